"""Parts that serve one page each, named for it: the Claims page's cards (``claims``),
the Data page's query views (``data_views``) and its "Published root" section
(``data_root``), the SQL workbench's limits, examples and refusals from the engine's
sandbox (``workbench``)."""
