"""Streamlit's garbage collection after every script run, without the cost of the heap
that never changes.

After each script run Streamlit calls ``gc.collect(2)`` (``runner.postScriptGC``, on by
default), a full collection that walks every object the process tracks: with Altair,
pandas, pyarrow, DuckDB and Streamlit imported, about 125,000 objects and 75-85 ms of
CPU on this machine, for the trivial one-chart app as for ours. Measured through the
real server (py-spy, ``python -m benchmarks --profile``) it was half of a Share rerun's
CPU and three quarters of the trivial app's.

``freeze_imports()`` runs once per process, in the first script run: it imports what
the pages will import anyway (every module of tokenshare.app and tokenshare.analysis),
builds one throwaway chart so that Altair's lazily built lookup tables exist, collects
the garbage, and then ``gc.freeze()``s what is left: modules, classes, functions and
those tables, which live as long as the process. Later collections skip them. Objects
made afterwards (sessions, caches, charts, frames) are collected as before. Since then the
post-run collection itself is off (``.streamlit/config.toml``): the heap the cache's shared
frames grow (pandas' copy-on-write references among them) made it half or more of a rerun
again; Python's automatic collections remain, and skip the frozen heap too. The only cost
is that anything alive at that moment which becomes garbage later is never freed: at the
first run that is the imports, the app's settings and the first session's state, a one-off
of a few hundred kilobytes."""

from __future__ import annotations

import gc
import importlib
import pkgutil
import threading

_lock = threading.Lock()
_frozen = False


def _import_all(package_name: str) -> None:
    package = importlib.import_module(package_name)
    for info in pkgutil.walk_packages(package.__path__, package_name + "."):
        try:
            importlib.import_module(info.name)
        except ImportError:  # an optional dependency: the page that needs it says so
            continue


def _warm_altair() -> None:
    import altair as alt
    import pandas as pd

    alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q", tooltip=["x:Q"]).to_dict(validate=False)


def freeze_imports() -> bool:
    """Freeze the import-time heap once per process (see the module docstring); True
    when this call did it."""
    global _frozen
    if _frozen:
        return False
    with _lock:
        if _frozen:
            return False
        for name in ("tokenshare.app", "tokenshare.analysis"):
            _import_all(name)
        _warm_altair()
        gc.collect()
        gc.freeze()
        _frozen = True
        return True
