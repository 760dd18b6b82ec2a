"""One measurement in a fresh process: ``python -m benchmarks.worker --worker KIND ...``.
The runner starts these; each writes its results as JSON to ``--result``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.common import DEFAULT_RUNS


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    p.add_argument("--worker", choices=("app", "pandas", "prepare"), required=True)
    p.add_argument("--snapshot", required=True)
    p.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    p.add_argument("--result", required=True)
    p.add_argument("--pages", default="[]")
    p.add_argument("--no-queries", action="store_true")
    p.add_argument("--fresh-script-cache", action="store_true",
                   help="compile the scripts anew on every AppTest run (AppTest's own behaviour)")
    a = p.parse_args(argv)
    if a.worker == "app":
        from benchmarks.app_timing import app_worker
        from tokenshare.core import settings

        if settings.snapshot_location() != a.snapshot:
            p.error(f"the app worker measures TOKENSHARE_SNAPSHOT, which is "
                    f"{settings.snapshot_location()!r}, not --snapshot {a.snapshot!r}")
        res = app_worker(a.runs, json.loads(a.pages), not a.no_queries,
                         shared_script_cache=not a.fresh_script_cache)
    elif a.worker == "pandas":
        from benchmarks.baselines import pandas_worker

        res = pandas_worker(a.snapshot, a.runs)
    else:
        from benchmarks.baselines import prepare_worker

        res = prepare_worker(a.snapshot)
    Path(a.result).write_text(json.dumps(res, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
