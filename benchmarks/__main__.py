"""``python -m benchmarks [--rows N ...] [--runs K] ...``: see the package docstring."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks.common import DEFAULT_ROWS, DEFAULT_RUNS
from tokenshare.cli import positive_int


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Build (or reuse) scaled synthetic snapshots under --out-dir and print, for "
        "each size: every page's cold and warm rerun time (AppTest), every named query's time, "
        "peak memory, and the core aggregations against a pandas baseline and the floor.",
    )
    p.add_argument("--rows", type=int, nargs="+", default=None, metavar="N",
                   help="usage rows of each scaled snapshot (default: 1000000 10000000; 0 for the sample only)")
    p.add_argument("--runs", type=positive_int, default=DEFAULT_RUNS,
                   help=f"timed runs per figure, median reported (default {DEFAULT_RUNS})")
    p.add_argument("--out-dir", type=Path, default=Path("bench_data"),
                   help="where the scaled snapshots are kept (default bench_data/, git-ignored)")
    p.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    p.add_argument("--pages", nargs="+", default=None, metavar="PAGE",
                   help="only these pages (url path or file stem, e.g. share race); default: every page in app.py")
    p.add_argument("--no-sample", action="store_true", help="skip the bundled sample's page timings")
    p.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    p.add_argument("--no-prepare", action="store_true",
                   help="skip the one-off validation and database build from scratch")
    p.add_argument("--no-server", action="store_true",
                   help="skip the server CPU per rerun (a real streamlit run server on the sample, driven over "
                   "its websocket, against a trivial one-chart app; needs chromium to record the changes)")
    p.add_argument("--no-browser", action="store_true",
                   help="skip the browser figure (each chart page in headless Chromium against the trivial app: "
                   "first load and Period changes to the last DOM change, and the slowest page's trace)")
    p.add_argument("--browser-pages", nargs="+", default=None, metavar="PAGE",
                   help="the browser figure for these pages only (url path or file stem); default: every chart page")
    p.add_argument("--browser-changes", type=positive_int, default=None, metavar="N",
                   help="Period changes per page in the browser figure, median and p90 reported (default 9)")
    p.add_argument("--browser-loads", type=positive_int, default=None, metavar="N",
                   help="first loads per page in the browser figure, each in a fresh context (default 4)")
    p.add_argument("--profile", action="store_true",
                   help="also split each page's server CPU with py-spy (DuckDB, pandas, Altair, serialisation, "
                   "Streamlit, app code)")
    p.add_argument("--fresh-script-cache", action="store_true",
                   help="let AppTest compile app.py and the page on every run (by default one compiled-"
                   "script cache is shared by all runs, as in the Streamlit server)")
    return p


def main(argv: list[str] | None = None) -> int:
    from benchmarks import report, runner

    args = build_parser().parse_args(argv)
    rows = args.rows or list(DEFAULT_ROWS)
    started = time.perf_counter()
    results = runner.run(
        rows, args.runs, args.out_dir, include_sample=not args.no_sample, pandas=not args.no_pandas,
        prepare=not args.no_prepare, json_out=args.json, only_pages=args.pages,
        shared_script_cache=not args.fresh_script_cache, server=not args.no_server and not args.no_sample,
        profile=args.profile, browser=None if args.no_browser or args.no_sample else {
            "pages": args.browser_pages, "changes": args.browser_changes, "loads": args.browser_loads},
        log=lambda m: print(m, file=sys.stderr, flush=True),
    )
    print(report.render(results))
    print(f"\n(bench took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
