"""The app worker: the app start, every page cold and warm (AppTest), every named query
uncached, the core aggregations and the floor, with peak memory, all in one fresh
process pointed at one snapshot (``TOKENSHARE_SNAPSHOT``, set by the runner)."""

from __future__ import annotations

import gc
import sys
import time

from benchmarks.common import (
    APP_FILE, CORE, OTHER_DATABASE_PREFIXES, default_params, is_read_query, median_ms,
    named_queries, peak_mb, timed,
)


def filter_settings(n: int) -> list[dict]:
    """``n`` filter settings, no two alike in (grain, countries): every rerun that
    applies the next one misses the query cache for every filter-dependent query."""
    grains = ("month", "day", "week")
    countries = ([], ["US"], ["CN"], ["US", "CN"])
    combos = [(g, c) for c in countries for g in grains]
    out = []
    for i in range(n):
        g, c = combos[(i + 1) % len(combos)]
        out.append({"grain": g, "country": c, "top": 5 + (i * 3) % 21})
    return out


def _apply(at, setting: dict) -> None:
    at.selectbox(key="grain").set_value(setting["grain"])
    at.multiselect(key="country").set_value(setting["country"])
    at.slider(key="top").set_value(setting["top"])


def _errors(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


def _chart_points(at) -> int:
    from tokenshare.app.charts.budget import chart_points

    return max((chart_points(c.proto) for c in at.get("vega_lite_chart")), default=0)


def share_script_cache() -> None:
    """AppTest compiles app.py and the page anew on every run (a fresh ScriptCache each
    time: 10-60 ms here); the Streamlit server keeps one ScriptCache for all sessions
    and compiles a script once. One shared cache makes an AppTest rerun cost what a
    server rerun does."""
    import streamlit.testing.v1.app_test as app_test_mod
    import streamlit.testing.v1.local_script_runner as runner_mod
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test_mod.ScriptCache = lambda: shared
    runner_mod.ScriptCache = lambda: shared


def preload_app_imports() -> list[str]:
    """Import the tokenshare modules ``app.py`` imports at its top (the app layer), so
    the app start is timed without them, as it always was (the harness imported the
    app's UI module before the first run)."""
    import ast
    import importlib

    tree = ast.parse(APP_FILE.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    loaded = []
    for name in dict.fromkeys(n for n in names if n.split(".")[0] == "tokenshare"):
        try:
            importlib.import_module(name)
        except ImportError:  # a name imported from a module, not a module
            continue
        loaded.append(name)
    return loaded


def _app_function(name: str):
    """The app layer's ``name`` (``active_resolution``, ``open_db``), found in whichever
    ``tokenshare.app`` module the app run has loaded, so the harness does not depend on
    how the app layer is split into modules."""
    for mod_name, mod in sorted(sys.modules.items()):
        if mod_name.startswith("tokenshare.app") and callable(getattr(mod, name, None)):
            return getattr(mod, name)
    raise RuntimeError(f"no tokenshare.app module loaded by app.py defines {name}()")


def _clear_query_cache() -> None:
    """Forget every kept query result (tokenshare/app/cache.py) and st.cache_data."""
    import streamlit as st

    from tokenshare.app import cache

    st.cache_data.clear()
    cache.clear("query")


def _time_page(page: dict, settings: list[dict]) -> dict:
    from streamlit.testing.v1 import AppTest

    rec: dict = {"title": page["title"]}
    try:
        _clear_query_cache()
        at = AppTest.from_file(str(APP_FILE), default_timeout=600)
        at.run()  # app.py's own queries are cached again, as on any page switch
        _clear_query_cache()
        at.switch_page(page.get("file", page["path"]))
        for key, value in page.get("query", {}).items():  # a page variant (segments?dimension=task)
            at.query_params[key] = value
        # The pages before this one left their AppTests and charts as garbage for
        # the cyclic collector: collected here, so a page's figures do not depend on
        # which pages ran before it in this process (Spend warm, sample: 116 ms run
        # alone, 126-145 ms after five other pages, 111 ms after them with this).
        gc.collect()
        t = time.perf_counter()
        at.run()
        rec["cold_ms"] = round((time.perf_counter() - t) * 1000, 1)
        rec["errors"] = _errors(at)
        rec["chart_points"] = _chart_points(at)
        samples, cpu = [], []
        for i, setting in enumerate(settings):
            _apply(at, setting)
            t, c = time.perf_counter(), time.process_time()
            at.run()
            if i:  # the first is the warm-up
                samples.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            rec["errors"] += _errors(at)
            rec["chart_points"] = max(rec["chart_points"], _chart_points(at))
        rec["warm_ms"] = median_ms(samples)
        # CPU time of the whole process (every thread) in the same reruns: what the
        # rerun costs, whatever else is running on the machine
        rec["warm_cpu_ms"] = median_ms(cpu)
        rec["warm_max_ms"] = round(max(samples) * 1000, 1)
    except Exception as exc:  # noqa: BLE001 - a broken page is reported, not fatal
        rec["errors"] = rec.get("errors", []) + [f"{type(exc).__name__}: {exc}"[:300]]
    return rec


def _time_queries(out: dict, snapshot, runs: int) -> None:
    from tokenshare.core import sql

    db = _app_function("open_db")(snapshot)  # the app's own cached database
    base = default_params(snapshot)
    for name in named_queries():
        missing = [p for p in sql.query_parameters(name) if p not in base]
        if not is_read_query(name):
            out["queries"][name] = {"skipped": "not a SELECT"}
            continue
        if missing:
            out["queries"][name] = {"skipped": "needs $" + ", $".join(missing)}
            continue
        if name.startswith(OTHER_DATABASE_PREFIXES):
            out["queries"][name] = {"skipped": "runs on the Compare page's two-snapshot database"}
            continue
        try:
            ms, df = timed(lambda: db.query(name, **base), runs)
            out["queries"][name] = {"ms": ms, "rows": len(df)}
        except Exception as exc:  # noqa: BLE001 - e.g. a query for another database
            first = str(exc).splitlines()[0] if str(exc) else ""
            out["queries"][name] = {"error": f"{type(exc).__name__}: {first}"[:160]}
    for label, (name, extra) in CORE.items():
        ms, _ = timed(lambda: db.query(name, **{**base, **extra}), runs)
        out["core"][label] = ms
    out["floor_ms"], _ = timed(lambda: db.query("bench_floor"), runs)


def app_worker(runs: int, pages: list[dict], with_queries: bool, *, shared_script_cache: bool = True) -> dict:
    """Measure the snapshot the app opens (``TOKENSHARE_SNAPSHOT``) in this (fresh)
    process. See the package docstring."""
    import streamlit  # noqa: F401
    from streamlit.testing.v1 import AppTest

    from tokenshare.core import sql  # noqa: F401

    preload_app_imports()
    out: dict = {"pages": {}, "queries": {}, "core": {}, "errors": []}
    out["peak_mb_after_imports"] = peak_mb()
    if shared_script_cache:
        share_script_cache()

    at = AppTest.from_file(str(APP_FILE), default_timeout=600)
    t = time.perf_counter()
    at.run()
    out["start_ms"] = round((time.perf_counter() - t) * 1000, 1)
    out["errors"] += _errors(at)
    snapshot = _app_function("active_resolution")().snapshot
    out["snapshot_id"] = snapshot.snapshot_id if snapshot else None

    settings = filter_settings(runs + 1)
    for page in pages:
        out["pages"][page["path"]] = _time_page(page, settings)
    out["peak_mb_app"] = peak_mb()
    from tokenshare.app import cache

    out["cache"] = cache.stats()  # hits and misses over every page's runs

    if with_queries and snapshot is not None:
        _time_queries(out, snapshot, runs)
    out["peak_mb"] = peak_mb()
    return out
