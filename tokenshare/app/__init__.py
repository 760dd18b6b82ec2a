"""The app layer: everything that imports streamlit, between ``app.py`` and the pages in
``views/`` on one side and the analysis, engine, data and core layers on the other.

- ``urls`` declares every URL key (the registry), ``urlcheck`` checks a URL against it,
  ``urlparams`` reads the URL and shows the "Ignored … in the URL" notices;
- ``state`` holds the open snapshot, its query database and cached queries, and the page
  ``Context``; ``sidebar`` draws the global filters and makes that Context;
- ``page`` has the parts every page is made of, ``interactions`` what chart clicks do,
  ``charts`` the Altair charts (``fastcharts`` makes them cheap, ``budget`` keeps them
  small), ``snapshots`` the other snapshots (listing, comparing, refreshing), ``secrets``
  the OpenRouter key from st.secrets, ``dataviews`` the Data page's list of views.

May import any lower layer (core, data, engine, analysis); nothing below imports it."""
