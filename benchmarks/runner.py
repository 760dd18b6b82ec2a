"""Runs the benchmark: the snapshots to measure, one fresh worker process per snapshot
and kind (``python -m benchmarks.worker``), and the collected results."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO_ROOT, discover_pages, select_pages
from benchmarks.report import evaluate_targets
from benchmarks.snapshots import ensure_snapshot, scale_for_rows, size_label
from tokenshare.core import settings


def spawn(kind: str, snapshot: Path, runs: int, pages: list[dict], with_queries: bool = True,
          shared_script_cache: bool = True) -> dict:
    """Run one worker in a fresh process and return its results. The app worker opens
    ``snapshot`` the way the app does: through ``TOKENSHARE_SNAPSHOT``."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as fh:
        result_file = fh.name
    cmd = [sys.executable, "-m", "benchmarks.worker", "--worker", kind, "--snapshot", str(snapshot),
           "--runs", str(runs), "--result", result_file, "--pages", json.dumps(pages)]
    if not with_queries:
        cmd.append("--no-queries")
    if not shared_script_cache:
        cmd.append("--fresh-script-cache")
    env = {**settings.environment(), "PYTHONPATH": str(REPO_ROOT), "TOKENSHARE_SNAPSHOT": str(snapshot)}
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
            raise RuntimeError(f"{kind} worker on {snapshot} failed (exit {proc.returncode}):\n{tail}")
        return json.loads(Path(result_file).read_text(encoding="utf-8"))
    finally:
        Path(result_file).unlink(missing_ok=True)


def _browser(opts: dict, log) -> dict:
    from benchmarks.browser import run as browser_run

    kw = {k: opts[k] for k in ("changes", "loads") if opts.get(k)}
    return browser_run.run(pages=browser_run.chart_pages(opts.get("pages")), log=log, **kw)


def run(rows: list[int], runs: int, out_dir: Path, *, include_sample: bool = True, pandas: bool = True,
        prepare: bool = True, json_out: Path | None = None, only_pages: list[str] | None = None,
        shared_script_cache: bool = True, server: bool = False, profile: bool = False,
        browser: dict | None = None, log=print) -> dict:
    """Measure the bundled sample (unless ``include_sample`` is false) and a scaled
    snapshot of about each of ``rows`` usage rows; see the package docstring. With
    ``browser`` (its ``pages``, ``changes`` and ``loads``, None for the defaults), the
    browser figure too (benchmarks/browser)."""
    import duckdb
    import pandas as pd
    import streamlit

    pages = list({p["path"]: p for p in discover_pages()}.values())  # a file listed twice runs once
    if only_pages:
        pages = select_pages(pages, only_pages)
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
        todo.append({"kind": "sample", "label": "sample", "scale": 1, "path": settings.SAMPLE_DIR})
    for n in rows:
        if n <= 0:  # --rows 0: the sample only
            continue
        scale = scale_for_rows(n)
        todo.append({"kind": "scaled", "scale": scale, "path": ensure_snapshot(out_dir, scale, log=log)})
    for s in todo:
        manifest = json.loads((Path(s["path"]) / "manifest.json").read_text(encoding="utf-8"))
        s["rows"] = int(manifest["files"]["usage.parquet"]["rows"])
        if s["kind"] == "scaled":
            s["label"] = size_label(s["rows"])
        s["path"] = str(s["path"])
        started = time.perf_counter()
        if prepare and s["kind"] == "scaled":
            log(f"[{s['label']}] prepare (validation + database build, from scratch)…")
            s["prepare"] = spawn("prepare", Path(s["path"]), runs, pages)
        log(f"[{s['label']}] app: {len(pages)} pages, cold + {runs} warm reruns each, named queries…")
        s["app"] = spawn("app", Path(s["path"]), runs, pages, with_queries=True,
                         shared_script_cache=shared_script_cache)
        if pandas:
            log(f"[{s['label']}] pandas baseline…")
            s["pandas"] = spawn("pandas", Path(s["path"]), runs, pages)
        s["seconds"] = round(time.perf_counter() - started, 1)
        results["sizes"].append(s)
    if server:
        from benchmarks import server_cpu

        results["server"] = server_cpu.run(pages=pages, profile=profile, log=log)
    if browser is not None:
        results["browser"] = _browser(browser, log)
    results["env"]["load_after"] = round(os.getloadavg()[0], 2)
    results["targets"] = evaluate_targets(results)
    if json_out:
        json_out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    return results
