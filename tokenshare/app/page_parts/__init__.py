"""Parts that serve one page each, named for it: the Claims page's cards (``claims``),
the Data page's query views (``data_views``), its "Published root" section
(``data_root``) and its Coverage section (``data_coverage``), the Share page's focus
headline and chart (``share_focus``), the Race page's focus standing (``race_focus``), and
the SQL workbench's limits, examples and refusals from the engine's sandbox
(``workbench``)."""
