"""The app layer: everything that imports streamlit, between ``app.py`` and the pages in
``views/`` on one side and the analysis, engine, data and core layers on the other.

- ``urls`` declares every URL key (the registry), ``urlcheck`` checks a URL against it,
  ``urlparams`` reads the URL and shows the "Ignored … in the URL" notices;
- ``state`` holds the open snapshot, its query database and cached queries, and the page
  ``Context``; ``sidebar`` draws the global filters and makes that Context; ``focus`` the
  focus and its yardstick; ``text`` shows data values as text, never Markdown;
- ``page`` has the parts every page is made of;
- ``charts/``: the Altair charts and their plumbing (the spec cache, the point budget,
  what chart clicks do and chart export);
- ``hosting/``: other snapshots and the owner's refresh, auto-refresh, secrets, the
  server's garbage collection;
- ``page_parts/``: parts that serve one page each, named for it (Claims, Data).

May import any lower layer (core, data, engine, analysis); nothing below imports it."""
