"""The data layer: the snapshot format and everything that makes, checks or finds a
snapshot, one sub-package per job (lowest first; ``tests/test_layers.py`` holds the order):

- ``snapshot``: the snapshot's layout (file names, column types, the manifest, the
  ``Snapshot`` it opens as), its validation and validation stamps, atomic writing;
- ``reference``: the curated tables (data files in ``reference/``) and the spend evidence;
- ``openrouter``: the Data API client, its errors, response formats, key, pacing and the
  endpoint and segment fetchers;
- ``sample``: the synthetic sample generator;
- ``published``: which snapshot to open (a folder, a URL, a published root), publishing;
- ``refresh``: the refresh pipeline from OpenRouter, its steps, lock, progress, catalogue
  matching and the in-app auto-refresh.

May import ``tokenshare.core``; never engine, analysis or app, and never streamlit."""
