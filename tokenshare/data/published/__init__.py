"""Which snapshot the app opens and how one is published: local candidates and the
choice among them (``locate``), snapshots at a URL (``remote``), the published root's
``latest.json`` (``pointer``, ``root``) and ``publish`` itself. Imports core and
``tokenshare.data.snapshot``."""
