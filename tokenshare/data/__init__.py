"""The data layer: the snapshot format and everything that makes, checks or finds a
snapshot. ``format`` (names, types, manifest and labs parsing), ``validate`` and
``stamps`` (the checks, and remembering that they passed), ``write`` (atomic writing),
``locate`` and ``remote`` (which snapshot to open, from a folder or a URL), the refresh
from OpenRouter (``refresh`` and its ``refresh_*`` steps, ``catalogue_match``, the
``openrouter*`` client and response formats), the synthetic sample (``sample*``) and
the curated tables in ``reference/``. May import ``tokenshare.core``; never engine,
analysis or app, and never streamlit."""
