"""Share this view (issue 24): the canonical link of the view on the page (``link``), the
filters and headline in words (``words``), a PNG card of the page's main chart rendered on
the server (``card``), and the control every page shows under its header (``control``).
``link``, ``words`` and ``card`` are plain Python (no streamlit), tested on their own."""
