"""The refresh from OpenRouter: the pipeline (``pipeline.run_refresh`` with
``RefreshOptions``), its steps (``plan``, ``fetch``, ``merge``, ``segments``,
``providers``), catalogue matching (``catalogue``), the lock, progress and errors, the
command line (``cli``) and the in-app auto-refresh (``auto``). The top of the data layer:
may import every other data sub-package."""
