"""Benchmark harness: ``python -m tokenshare bench [--rows N ...] [--runs K]``.

For each size it builds (or reuses) a scaled synthetic snapshot under ``--out-dir``
(``bench_data/``, git-ignored) with the sample generator, then measures in fresh
subprocesses, one per size and kind, so that no peak or cache leaks from one into the
next:

- **prepare** (once per snapshot, fresh process): the full validation (checksums and
  every DuckDB check) and the query database build, with their peak memory. The app
  pays this once per snapshot and machine; later starts reuse the results.
- **app** (fresh process, AppTest, with one compiled-script cache shared by all runs as
  in the Streamlit server): the app start (first page, every cache empty but the
  on-disk ones), then for every page in ``app.py``: *cold* (first visit with the
  query cache cleared, database open) and *warm* (median of K reruns after a warm-up
  rerun, each rerun changing the grain and the country filter so that every
  filter-dependent query misses the cache); then every named query uncached (median of
  K), the three core aggregations and the floor (DuckDB summing the usage table's tokens
  by week, no joins). Peak resident memory is VmHWM from /proc/self/status.
- **pandas** (fresh process): the same core aggregations done the way most Streamlit
  apps do them: one DataFrame loaded once with models and labs merged in, filtered and
  grouped on every rerun.

Results print as a table (and ``--json`` writes them raw)."""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
APP_FILE = REPO_ROOT / "app.py"
DEFAULT_ROWS = (1_000_000, 10_000_000)
DEFAULT_RUNS = 9  # a median of 5 moved by up to 30% between runs on this machine; of 9, by about 5%
DAYS = 691  # 2025-01-01 .. 2026-11-22, the sample generator's range
ROWS_PER_SCALE = 50 * DAYS  # each scale unit adds the day's top 50 models
SEED = 42
# Query families the harness does not time as app queries: they build the database,
# validate a snapshot, read Parquet metadata, or are the benchmark's own floor.
SKIPPED_PREFIXES = ("setup_", "validate_", "parquet_", "bench_")
OTHER_DATABASE_PREFIXES = ("compare_",)  # listed, not timed: their tables are not in the app's database

TARGETS = {
    "sample_warm_ms": 150,
    "big_warm_ms": 500,
    "big_cold_ms": 2000,
    "big_peak_mb": 1536,
    "pandas_speedup": 5.0,
    "floor_ratio": 3.0,
    "chart_points": 5000,
}


# --------------------------------------------------------------------------- helpers


def scale_for_rows(rows: int) -> int:
    """The sample generator's --scale that gives about ``rows`` usage rows."""
    return max(1, round((rows - DAYS) / ROWS_PER_SCALE))


def rows_for_scale(scale: int) -> int:
    return scale * ROWS_PER_SCALE + DAYS


def vm_status() -> dict[str, int]:
    """VmHWM (peak resident) and VmRSS of this process, in bytes."""
    out = {}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def peak_mb() -> float | None:
    hwm = vm_status().get("VmHWM")
    return round(hwm / 2**20, 1) if hwm else None


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def timed(fn, runs: int, warmup: int = 1) -> tuple[float, object]:
    """Median wall time in ms of ``fn()`` over ``runs`` calls after ``warmup`` calls."""
    result = None
    for _ in range(warmup):
        result = fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t)
    return median_ms(samples), result


def discover_pages(app_file: Path = APP_FILE) -> list[dict]:
    """Every page app.py hands to st.navigation: each ``st.Page("views/x.py", ...)``
    call's file, title and url_path, in the order written. Read from the source, so a
    page another developer adds is measured without touching the harness."""
    tree = ast.parse(app_file.read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name != "Page" or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        path = node.args[0].value
        if not isinstance(path, str) or not path.endswith(".py"):
            continue
        kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
        pages.append({
            "path": path,
            "title": kw.get("title", Path(path).stem),
            "url_path": kw.get("url_path", Path(path).stem),
            "line": node.lineno,
        })
    pages.sort(key=lambda p: p["line"])
    if not pages:  # a different app.py layout: fall back to the views folder
        pages = [{"path": f"views/{p.name}", "title": p.stem, "url_path": p.stem, "line": 0}
                 for p in sorted((REPO_ROOT / "views").glob("*.py"))]
    return pages


def is_read_query(name: str) -> bool:
    """A query that only reads (its first statement is SELECT or WITH): the harness
    never runs one that changes settings or creates things on the app's database."""
    from tokenshare.core import sql

    body = "\n".join(l for l in sql.load_sql(name).splitlines() if not l.lstrip().startswith("--")).strip()
    first = body.split(None, 1)[0].upper() if body else ""
    return first in {"SELECT", "WITH", "FROM"} and ";" not in body.rstrip().rstrip(";")


def named_queries() -> list[str]:
    from tokenshare.core import sql

    return [n for n in sql.all_query_names() if not n.startswith(SKIPPED_PREFIXES)]


# --------------------------------------------------------------------------- snapshots


def ensure_snapshot(out_dir: Path, scale: int, *, seed: int = SEED, log=print) -> Path:
    """The synthetic snapshot of ``scale`` under ``out_dir``, generated in a
    subprocess (its 2.5 GB peak at scale 300 stays out of this process) unless a
    snapshot of the same seed and scale is already there."""
    target = out_dir / f"scale-{scale}"
    manifest = target / "manifest.json"
    if manifest.is_file():
        try:
            gen = json.loads(manifest.read_text(encoding="utf-8")).get("generator", {})
        except (OSError, ValueError):
            gen = {}
        if gen == {"seed": seed, "scale": scale}:
            return target
    out_dir.mkdir(parents=True, exist_ok=True)
    log(f"generating {target} (scale {scale}, about {rows_for_scale(scale):,} usage rows)…")
    cmd = [sys.executable, "-m", "tokenshare", "sample", "--out", str(target),
           "--seed", str(seed), "--scale", str(scale), "--force"]
    subprocess.run(cmd, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)
    return target


# --------------------------------------------------------------------------- workers


def _filter_settings(n: int) -> list[dict]:
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


def chart_points(proto) -> int:
    """Data rows a chart sends to the browser: Streamlit moves an Altair chart's data out
    of the spec into Arrow datasets beside it (proto.datasets), so count those, plus any
    data left inline in the spec (top-level datasets, or a layer's ``data.values``)."""
    import pyarrow as pa

    n = 0
    for d in proto.datasets:
        n += pa.ipc.open_stream(d.data.data).read_all().num_rows
    if proto.HasField("data") and proto.data.data:
        n += pa.ipc.open_stream(proto.data.data).read_all().num_rows
    spec = json.loads(proto.spec)
    n += sum(len(v) for v in (spec.get("datasets") or {}).values() if isinstance(v, list))
    return n + _inline_values(spec)


def _inline_values(node) -> int:
    """Rows given inline anywhere in a spec (``"data": {"values": [...]}``, as the
    charts' one-row reference rules are)."""
    if isinstance(node, list):
        return sum(_inline_values(v) for v in node)
    if not isinstance(node, dict):
        return 0
    n = 0
    for k, v in node.items():
        if k == "data" and isinstance(v, dict) and isinstance(v.get("values"), list):
            n += len(v["values"])
        else:
            n += _inline_values(v)
    return n


def _chart_points(at) -> int:
    return max((chart_points(c.proto) for c in at.get("vega_lite_chart")), default=0)


def _share_script_cache() -> None:
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


def default_params(snapshot) -> dict:
    """Parameters for timing named queries: the full range, weekly, no filters."""
    return dict(
        start=snapshot.start_date, end=snapshot.end_date, grain="week", openness="all",
        countries=[], labs=[], top=10, breakdown="lab", volume="named", share_of="selection",
        scope="open", limit=500,
    )


CORE = {
    # aggregation -> (named query, extra parameters)
    "open share by week": ("open_share_by_period", {}),
    "lab ranks by week": ("lab_ranks", {"scope": "open"}),
    "country shares by week": ("share_by_series", {"breakdown": "country", "volume": "named"}),
}


def app_worker(snapshot_path: str, runs: int, pages: list[dict], with_queries: bool) -> dict:
    """Measure one snapshot in this (fresh) process. See the module docstring."""
    os.environ["TOKENSHARE_SNAPSHOT"] = snapshot_path
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tokenshare.core import sql
    from tokenshare.app import ui

    out: dict = {"pages": {}, "queries": {}, "core": {}, "errors": []}
    out["peak_mb_after_imports"] = peak_mb()
    if os.environ.get("TOKENSHARE_BENCH_SHARED_SCRIPT_CACHE", "1") != "0":
        _share_script_cache()

    at = AppTest.from_file(str(APP_FILE), default_timeout=600)
    t = time.perf_counter()
    at.run()
    out["start_ms"] = round((time.perf_counter() - t) * 1000, 1)
    out["errors"] += _errors(at)
    snapshot = ui.active_resolution().snapshot
    out["snapshot_id"] = snapshot.snapshot_id if snapshot else None

    settings = _filter_settings(runs + 1)
    for page in pages:
        rec: dict = {"title": page["title"]}
        try:
            st.cache_data.clear()
            at = AppTest.from_file(str(APP_FILE), default_timeout=600)
            at.run()  # app.py's own queries are cached again, as on any page switch
            st.cache_data.clear()
            at.switch_page(page["path"])
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
        out["pages"][page["path"]] = rec
    out["peak_mb_app"] = peak_mb()

    if with_queries and snapshot is not None:
        db = ui.open_db(snapshot)  # the app's own cached database
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
    out["peak_mb"] = peak_mb()
    return out


def pandas_worker(snapshot_path: str, runs: int) -> dict:
    """The baseline: how most Streamlit apps do it. One DataFrame with the models and
    labs merged in, loaded once (st.cache_data would keep it), then on every rerun the
    date filter, the period column and a groupby."""
    import numpy as np
    import pandas as pd

    path = Path(snapshot_path)
    t = time.perf_counter()
    usage = pd.read_parquet(path / "usage.parquet")
    models = pd.read_parquet(path / "models.parquet", columns=["model_permaslug", "author", "open_weights"])
    labs = pd.read_csv(path / "labs.csv", dtype=str, keep_default_na=False)
    df = usage.merge(models, on="model_permaslug", how="left").merge(labs, on="author", how="left")
    df["lab_name"] = df["lab_name"].fillna(df["author"])
    df["country_name"] = df["country_name"].fillna("Unknown country")
    df["openness"] = np.select(
        [df["model_permaslug"].eq("other"), df["open_weights"].eq(True), df["open_weights"].eq(False)],
        ["other", "open", "closed"], "unclassified",
    )
    df["date"] = pd.to_datetime(df["date"])
    load_ms = round((time.perf_counter() - t) * 1000, 1)
    start, end = df["date"].min(), df["date"].max()

    def selected():
        sel = df[(df["date"] >= start) & (df["date"] <= end)]
        week = sel["date"] - pd.to_timedelta(sel["date"].dt.weekday, unit="D")
        return sel.assign(period=week)

    def open_share():
        sel = selected()
        g = sel.groupby(["period", "openness"])["total_tokens"].sum().unstack(fill_value=0)
        return g["open"] / (g["open"] + g["closed"])

    def lab_ranks():
        sel = selected()
        g = sel[sel["openness"] == "open"].groupby(["period", "lab_name"])["total_tokens"].sum().reset_index()
        g["share"] = g["total_tokens"] / g.groupby("period")["total_tokens"].transform("sum")
        g["rank"] = g.groupby("period")["total_tokens"].rank(method="first", ascending=False)
        return g.sort_values(["period", "rank"])

    def country_shares():
        sel = selected()
        g = sel[sel["openness"].isin(["open", "closed"])].groupby(["period", "country_name"])["total_tokens"].sum()
        return (g / g.groupby(level="period").transform("sum")).reset_index()

    out = {"load_ms": load_ms, "core": {}}
    for label, fn in (("open share by week", open_share), ("lab ranks by week", lab_ranks),
                      ("country shares by week", country_shares)):
        out["core"][label], _ = timed(fn, runs)
    out["peak_mb"] = peak_mb()
    return out


def prepare_worker(snapshot_path: str) -> dict:
    """First open of a snapshot on this machine: full validation, then the database
    (or its derived file) built from scratch."""
    from tokenshare.engine import db as dbmod
    from tokenshare.data import snapshot as snapmod

    # (getattr: the harness also runs against older checkouts, for before/after figures)
    for forget in (getattr(dbmod, "forget_derived", None), getattr(snapmod, "forget_validation", None)):
        if forget is not None:
            forget(Path(snapshot_path))
    load_snapshot = snapmod.load_snapshot
    t = time.perf_counter()
    snapshot = load_snapshot(snapshot_path)
    validate_ms = round((time.perf_counter() - t) * 1000, 1)
    validate_peak = peak_mb()
    t = time.perf_counter()
    db = dbmod.SnapshotDB(snapshot)
    open_ms = round((time.perf_counter() - t) * 1000, 1)
    rows = int(db.query("snapshot_summary").iloc[0]["usage_rows"])
    build_peak = peak_mb()
    workbench_ms = None
    try:
        from tokenshare.engine import workbench as wbmod
    except ImportError:  # an older checkout
        wbmod = None
    if wbmod is not None and hasattr(wbmod, "ensure_workbench_file"):
        # the SQL workbench's own copy of the tables, written at its first visit
        for f in Path(snapshot_path).glob(wbmod.WORKBENCH_PREFIX + "*"):
            f.unlink(missing_ok=True)
        t = time.perf_counter()
        if wbmod.ensure_workbench_file(db) is not None:
            workbench_ms = round((time.perf_counter() - t) * 1000, 1)
    db.close()
    return {"validate_ms": validate_ms, "validate_peak_mb": validate_peak, "build_ms": open_ms,
            "peak_mb": build_peak, "workbench_ms": workbench_ms, "workbench_peak_mb": peak_mb(),
            "usage_rows": rows}


def _spawn(kind: str, snapshot: Path, runs: int, pages: list[dict], with_queries: bool = True,
           log=print) -> dict:
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as fh:
        result_file = fh.name
    cmd = [sys.executable, "-m", "tokenshare.bench", "--worker", kind, "--snapshot", str(snapshot),
           "--runs", str(runs), "--result", result_file, "--pages", json.dumps(pages)]
    if not with_queries:
        cmd.append("--no-queries")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
            raise RuntimeError(f"{kind} worker on {snapshot} failed (exit {proc.returncode}):\n{tail}")
        return json.loads(Path(result_file).read_text(encoding="utf-8"))
    finally:
        Path(result_file).unlink(missing_ok=True)


# --------------------------------------------------------------------------- report


def _fmt_ms(v) -> str:
    if v is None:
        return "–"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def _size_label(rows: int) -> str:
    if rows >= 1_000_000:
        m = rows / 1_000_000
        return f"{m:.0f}M" if abs(m - round(m)) < 0.05 else f"{m:.1f}M"
    if rows >= 1000:
        return f"{rows / 1000:.0f}k"
    return str(rows)


def render(results: dict) -> str:
    """The printed report: sizes, pages, named queries, core vs pandas and floor,
    memory, and which targets hold."""
    lines: list[str] = []
    env = results["env"]
    lines.append(
        f"tokenshare bench · {env['cpus']} cores · load average {env['load_before']} before, "
        f"{env['load_after']} after · Python {env['python']} · duckdb {env['duckdb']} · "
        f"streamlit {env['streamlit']} · pandas {env['pandas']} · {env['when']}"
    )
    lines.append(f"runs: median of {results['runs']} (after 1 warm-up); times in ms")
    sizes = results["sizes"]
    lines.append("")
    lines.append("Sizes")
    for s in sizes:
        lines.append(f"  {s['label']:>7}: {s['rows']:,} usage rows, scale {s['scale']}, {s['path']}")

    big = [s for s in sizes if s["kind"] == "scaled"]
    lines.append("")
    lines.append("One-off per snapshot on a machine (fresh process): full validation, then the query database build,")
    lines.append("then the SQL workbench's copy of the tables (written at the workbench's first visit)")
    lines.append(f"  {'size':>7} {'validate':>9} {'peak MB':>8} {'build':>8} {'peak MB':>8} {'workbench':>10} {'peak MB':>8}")
    for s in sizes:
        p = s.get("prepare") or {}
        if p:
            lines.append(f"  {s['label']:>7} {_fmt_ms(p.get('validate_ms')):>9} {p.get('validate_peak_mb') or '–':>8} "
                         f"{_fmt_ms(p.get('build_ms')):>8} {p.get('peak_mb') or '–':>8} "
                         f"{_fmt_ms(p.get('workbench_ms')):>10} {p.get('workbench_peak_mb') or '–':>8}")

    lines.append("")
    lines.append("Pages (AppTest): cold = first visit, database open, query cache empty; warm = rerun after a filter change")
    head = f"  {'page':<22}"
    for s in sizes:
        head += f" {s['label'] + ' cold':>11} {s['label'] + ' warm':>11}"
    head += f" {'max points':>10}"
    lines.append(head)
    row = f"  {'app start (fresh)':<22}"
    for s in sizes:
        row += f" {_fmt_ms(s['app'].get('start_ms')):>11} {'':>11}"
    lines.append(row)
    paths = list(dict.fromkeys(p for s in sizes for p in s["app"]["pages"]))
    for path in paths:
        title = next((s["app"]["pages"][path]["title"] for s in sizes if path in s["app"]["pages"]), path)
        row = f"  {title:<22}"
        pts = 0
        for s in sizes:
            rec = s["app"]["pages"].get(path, {})
            row += f" {_fmt_ms(rec.get('cold_ms')):>11} {_fmt_ms(rec.get('warm_ms')):>11}"
            pts = max(pts, rec.get("chart_points", 0))
        row += f" {pts:>10,}"
        lines.append(row)
    for s in sizes:
        for path, rec in s["app"]["pages"].items():
            for err in dict.fromkeys(rec.get("errors", [])):
                lines.append(f"  ! {s['label']} {path}: {err}")
        for err in dict.fromkeys(s["app"].get("errors", [])):
            lines.append(f"  ! {s['label']} app start: {err}")

    lines.append("")
    lines.append("Warm reruns in CPU time (the process, all threads; wall time above also waits for the CPU")
    lines.append("whenever other programs use it: compare the load average in the first line)")
    row = f"  {'page':<22}" + "".join(f" {s['label'] + ' warm cpu':>15}" for s in sizes)
    lines.append(row)
    for path in paths:
        title = next((s["app"]["pages"][path]["title"] for s in sizes if path in s["app"]["pages"]), path)
        lines.append(f"  {title:<22}" + "".join(
            f" {_fmt_ms(s['app']['pages'].get(path, {}).get('warm_cpu_ms')):>15}" for s in sizes))

    lines.append("")
    lines.append("Named queries (uncached, full range, weekly, no filters)")
    qsizes = [s for s in sizes if s["app"].get("queries")]
    lines.append(f"  {'query':<34}" + "".join(f" {s['label']:>9}" for s in qsizes) + f" {'rows':>8}")
    names = list(dict.fromkeys(n for s in qsizes for n in s["app"]["queries"]))
    for name in names:
        row = f"  {name:<34}"
        note = ""
        nrows = ""
        for s in qsizes:
            q = s["app"]["queries"].get(name, {})
            if "ms" in q:
                row += f" {_fmt_ms(q['ms']):>9}"
                nrows = f"{q['rows']:,}"
            else:
                row += f" {'–':>9}"
                note = q.get("skipped") or q.get("error") or ""
        lines.append(row + f" {nrows:>8}" + (f"  ({note})" if note else ""))

    lines.append("")
    lines.append("Core aggregations: ours (named query, uncached) vs pandas (DataFrame loaded once, filtered and grouped per rerun) and the floor")
    lines.append(f"  {'aggregation':<24} {'size':>7} {'ours':>8} {'pandas':>8} {'floor':>8} {'ours/pandas':>12} {'ours/floor':>11}")
    for s in qsizes:
        floor = s["app"].get("floor_ms")
        for label, ours in s["app"]["core"].items():
            pd_ms = (s.get("pandas") or {}).get("core", {}).get(label)
            r_pd = f"{ours / pd_ms:.3f}" if pd_ms else "–"
            r_fl = f"{ours / floor:.2f}" if floor else "–"
            lines.append(f"  {label:<24} {s['label']:>7} {_fmt_ms(ours):>8} {_fmt_ms(pd_ms):>8} {_fmt_ms(floor):>8} {r_pd:>12} {r_fl:>11}")
    for s in qsizes:
        p = s.get("pandas") or {}
        if p:
            lines.append(f"  pandas at {s['label']}: load + merge once {_fmt_ms(p['load_ms'])} ms, peak {p['peak_mb']} MB")

    lines.append("")
    lines.append("Peak resident memory of the app process (VmHWM, MB): after the page runs / at the end")
    for s in sizes:
        a = s["app"]
        lines.append(f"  {s['label']:>7}: {a.get('peak_mb_app')} / {a.get('peak_mb')} (after imports {a.get('peak_mb_after_imports')})")

    lines.append("")
    lines.append("Targets")
    for t in evaluate_targets(results):
        lines.append(f"  [{'PASS' if t['ok'] else 'FAIL'}] {t['what']}: {t['got']}")
    return "\n".join(lines)


def evaluate_targets(results: dict) -> list[dict]:
    out = []
    sizes = results["sizes"]
    sample = next((s for s in sizes if s["kind"] == "sample"), None)
    scaled = [s for s in sizes if s["kind"] == "scaled"]
    biggest = max(scaled, key=lambda s: s["rows"]) if scaled else None

    def pages_of(s):
        return {p: r for p, r in s["app"]["pages"].items()}

    if sample:
        warm = {r["title"]: r.get("warm_ms") for r in pages_of(sample).values()}
        worst = max((v for v in warm.values() if v is not None), default=None)
        out.append({"what": f"sample: every page's warm rerun median <= {TARGETS['sample_warm_ms']} ms",
                    "ok": worst is not None and worst <= TARGETS["sample_warm_ms"] and None not in warm.values(),
                    "got": ", ".join(f"{k} {_fmt_ms(v)}" for k, v in warm.items())})
    if biggest:
        b = biggest["label"]
        warm = {r["title"]: r.get("warm_ms") for r in pages_of(biggest).values()}
        cold = {r["title"]: r.get("cold_ms") for r in pages_of(biggest).values()}
        out.append({"what": f"{b}: every page's warm rerun <= {TARGETS['big_warm_ms']} ms",
                    "ok": None not in warm.values() and max(warm.values()) <= TARGETS["big_warm_ms"],
                    "got": ", ".join(f"{k} {_fmt_ms(v)}" for k, v in warm.items())})
        out.append({"what": f"{b}: every page's cold visit <= {TARGETS['big_cold_ms']} ms",
                    "ok": None not in cold.values() and max(cold.values()) <= TARGETS["big_cold_ms"],
                    "got": ", ".join(f"{k} {_fmt_ms(v)}" for k, v in cold.items())})
        start = biggest["app"].get("start_ms")
        out.append({"what": f"{b}: app start in a fresh process (first page) <= {TARGETS['big_cold_ms']} ms",
                    "ok": start is not None and start <= TARGETS["big_cold_ms"], "got": f"{_fmt_ms(start)} ms"})
        peak = biggest["app"].get("peak_mb_app")
        out.append({"what": f"{b}: peak memory of the app process <= {TARGETS['big_peak_mb']} MB",
                    "ok": peak is not None and peak <= TARGETS["big_peak_mb"], "got": f"{peak} MB"})
        pd_core = (biggest.get("pandas") or {}).get("core", {})
        floor = biggest["app"].get("floor_ms")
        for label, ours in biggest["app"]["core"].items():
            p = pd_core.get(label)
            out.append({"what": f"{b}: {label} >= {TARGETS['pandas_speedup']:.0f}x faster than pandas",
                        "ok": bool(p) and p / ours >= TARGETS["pandas_speedup"],
                        "got": f"{_fmt_ms(ours)} vs {_fmt_ms(p)} ms ({p / ours:.1f}x)" if p else "no baseline"})
            out.append({"what": f"{b}: {label} within {TARGETS['floor_ratio']:.0f}x the floor",
                        "ok": bool(floor) and ours / floor <= TARGETS["floor_ratio"],
                        "got": f"{_fmt_ms(ours)} vs {_fmt_ms(floor)} ms ({ours / floor:.2f}x)" if floor else "no floor"})
    pts = max((r.get("chart_points", 0) for s in sizes for r in s["app"]["pages"].values()), default=0)
    out.append({"what": f"no chart sends more than {TARGETS['chart_points']:,} data points (pages as benchmarked)",
                "ok": pts <= TARGETS["chart_points"], "got": f"largest {pts:,}"})
    errs = sum(len(r.get("errors", [])) for s in sizes for r in s["app"]["pages"].values())
    out.append({"what": "no page raised an exception", "ok": errs == 0, "got": f"{errs} exceptions"})
    return out


# --------------------------------------------------------------------------- entry


def run(rows: list[int], runs: int, out_dir: Path, *, include_sample: bool = True, pandas: bool = True,
        prepare: bool = True, json_out: Path | None = None, only_pages: list[str] | None = None,
        log=print) -> dict:
    import duckdb
    import pandas as pd
    import streamlit

    from tokenshare.data.snapshot import SAMPLE_DIR

    pages = list({p["path"]: p for p in discover_pages()}.values())  # a file listed twice runs once
    if only_pages:
        pages = [p for p in pages if any(w in (p["path"], p["url_path"], Path(p["path"]).stem) for w in only_pages)]
    results: dict = {
        "runs": runs,
        "pages": pages,
        "env": {
            "cpus": os.cpu_count(), "load_before": round(os.getloadavg()[0], 2),
            "python": platform.python_version(), "duckdb": duckdb.__version__,
            "streamlit": streamlit.__version__, "pandas": pd.__version__,
            "when": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        },
        "sizes": [],
    }
    todo = []
    if include_sample:
        todo.append({"kind": "sample", "label": "sample", "scale": 1, "path": SAMPLE_DIR})
    for n in rows:
        if n <= 0:  # --rows 0: the sample only
            continue
        scale = scale_for_rows(n)
        todo.append({"kind": "scaled", "scale": scale, "path": ensure_snapshot(out_dir, scale, log=log)})
    for s in todo:
        manifest = json.loads((Path(s["path"]) / "manifest.json").read_text(encoding="utf-8"))
        s["rows"] = int(manifest["files"]["usage.parquet"]["rows"])
        if s["kind"] == "scaled":
            s["label"] = _size_label(s["rows"])
        s["path"] = str(s["path"])
        started = time.perf_counter()
        if prepare and s["kind"] == "scaled":
            log(f"[{s['label']}] prepare (validation + database build, from scratch)…")
            s["prepare"] = _spawn("prepare", Path(s["path"]), runs, pages, log=log)
        log(f"[{s['label']}] app: {len(pages)} pages, cold + {runs} warm reruns each, named queries…")
        s["app"] = _spawn("app", Path(s["path"]), runs, pages, with_queries=True, log=log)
        if pandas:
            log(f"[{s['label']}] pandas baseline…")
            s["pandas"] = _spawn("pandas", Path(s["path"]), runs, pages, log=log)
        s["seconds"] = round(time.perf_counter() - started, 1)
        results["sizes"].append(s)
    results["env"]["load_after"] = round(os.getloadavg()[0], 2)
    results["targets"] = evaluate_targets(results)
    if json_out:
        json_out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    return results


def _worker_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="tokenshare.bench worker")
    p.add_argument("--worker", choices=("app", "pandas", "prepare"), required=True)
    p.add_argument("--snapshot", required=True)
    p.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    p.add_argument("--result", required=True)
    p.add_argument("--pages", default="[]")
    p.add_argument("--no-queries", action="store_true")
    a = p.parse_args(argv)
    if a.worker == "app":
        res = app_worker(a.snapshot, a.runs, json.loads(a.pages), not a.no_queries)
    elif a.worker == "pandas":
        res = pandas_worker(a.snapshot, a.runs)
    else:
        res = prepare_worker(a.snapshot)
    Path(a.result).write_text(json.dumps(res, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(_worker_main(sys.argv[1:]))
