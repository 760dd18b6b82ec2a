"""What every part of the harness shares: constants, the targets, timing and memory
helpers, and the pages and named queries that are measured."""

from __future__ import annotations

import ast
import statistics
import time
from pathlib import Path

from tokenshare.core import settings

REPO_ROOT = settings.REPO_ROOT
APP_FILE = REPO_ROOT / "app.py"
DEFAULT_ROWS = (1_000_000, 10_000_000)
DEFAULT_RUNS = 9  # a median of 5 moved by up to 30% between runs on this machine; of 9, by about 5%
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
    "server_cpu_ratio": 2.0,  # server CPU per rerun, each page against the trivial app (issue 14)
}

CORE = {
    # aggregation -> (named query, extra parameters)
    "open share by week": ("open_share_by_period", {}),
    "lab ranks by week": ("lab_ranks", {"scope": "open"}),
    "country shares by week": ("share_by_series", {"breakdown": "country", "volume": "named"}),
}


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


def select_pages(pages: list[dict], wanted: list[str] | None) -> list[dict]:
    """The pages named in ``wanted`` (url path, file or file stem), in app.py's order.
    A name with a query string (``segments?dimension=task``) is that page opened with
    those URL parameters, measured as a page of its own: its ``path`` key carries the
    query, ``file`` is the page's script and ``query`` the parameters."""
    if not wanted:
        return pages
    from urllib.parse import parse_qs

    out = []
    for p in pages:
        names = (p["path"], p["url_path"], Path(p["path"]).stem)
        if any(w in names for w in wanted):
            out.append(p)
        for w in wanted:
            base, _, qs = w.partition("?")
            if qs and base in names:
                query = {k: v[-1] for k, v in parse_qs(qs).items()}
                out.append({**p, "path": f"{p['path']}?{qs}", "file": p["path"], "url_path": f"{p['url_path']}?{qs}",
                            "title": f"{p['title']} ({qs})", "query": query})
    return list({p["path"]: p for p in out}.values())  # a file listed twice (segments, categories) runs once


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


def default_params(snapshot) -> dict:
    """Parameters for timing named queries: the full range, weekly, no filters."""
    return dict(
        start=snapshot.start_date, end=snapshot.end_date, grain="week", openness="all",
        countries=[], labs=[], top=10, breakdown="lab", volume="named", share_of="selection",
        scope="open", limit=500, tier="all", dimension="modality",
    )
