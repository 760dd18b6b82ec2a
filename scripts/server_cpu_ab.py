"""Server CPU per rerun of two checkouts of tokenshare, paired: ``python scripts/server_cpu_ab.py
/path/to/base-checkout [page stems...]``.

``python -m benchmarks.server_cpu`` run once per checkout, one after the other, moves by 20-40%
between runs on this shared machine (the trivial app's own figure does), so a 10% "no page
slower" criterion cannot be read from two such runs. Here the base checkout's server, this
checkout's server and the trivial app (Streamlit's defaults) run at the same time; for each
page both servers get their own recorded Chromium session (benchmarks.server_cpu's recorder),
and the replays alternate base, this, trivial in a rotating order, ``ROUNDS`` rounds of
``PASSES`` passes each (environment variables; 4 and 3 by default). Load that comes and goes
hits both sides alike. Printed per page: the medians (ms of CPU per rerun, and as a multiple
of the trivial app) and the median of the per-round ratios this / base. Pages that exist in
one checkout only are left out. A throwaway tool for before/after checks, not part of the
bench (``python -m benchmarks``), which measures one checkout."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import server_cpu as sc  # noqa: E402 - after the path is set
from benchmarks.common import discover_pages  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "4"))
PASSES = int(os.environ.get("PASSES", "3"))


def _pages(base: Path, only: list[str]) -> list[dict]:
    in_base = {p["path"] for p in discover_pages(base / "app.py")}
    pages = list({p["path"]: p for p in discover_pages() if p["path"] in in_base}.values())
    return [p for p in pages if not only or Path(p["path"]).stem in only]


def main(argv: list[str]) -> int:
    if not argv or not (Path(argv[0]) / "app.py").is_file():
        print(__doc__.split("\n\n")[0])
        return 2
    base, only = Path(argv[0]).resolve(), argv[1:]
    lt = sc._load_test()
    srv = lt.srv
    logs = Path(tempfile.mkdtemp(prefix="tokenshare-ab-"))
    env = srv.server_env(None)
    servers = {"trivial": srv.start_server(env, logs / "trivial.log", app=sc.TRIVIAL_APP, cwd=sc.TRIVIAL_APP.parent),
               "base": srv.start_server(env, logs / "base.log", app=base / "app.py", cwd=base),
               "this": srv.start_server(env, logs / "this.log")}

    def one_pass(name: str, script: list[bytes]) -> float:
        c0 = lt.cpu_seconds(servers[name].pid)
        times, errors = asyncio.run(sc._replay(servers[name].url, script, PASSES, 60))
        if errors:
            print(f"  {name}: {errors[:2]}")
        return 1000 * (lt.cpu_seconds(servers[name].pid) - c0) / len(times)

    out = {"rounds": ROUNDS, "passes": PASSES, "load_before": os.getloadavg()[0], "pages": {}}
    try:
        scripts = {"trivial": asyncio.run(sc._record(servers["trivial"].url + "/", sc.trivial_actions(), 8, 60))}
        one_pass("trivial", scripts["trivial"])
        for page in _pages(base, only):
            for name in ("base", "this"):
                scripts[name] = asyncio.run(sc._record(f"{servers[name].url}/{page['url_path']}",
                                                       sc.page_actions(), 8, 60))
                one_pass(name, scripts[name])  # warm-up
            rows: dict[str, list[float]] = {"trivial": [], "base": [], "this": []}
            order = list(rows)
            for r in range(ROUNDS):
                for name in order[r % 3:] + order[:r % 3]:
                    rows[name].append(one_pass(name, scripts[name]))
            med = {k: statistics.median(v) for k, v in rows.items()}
            ratio = statistics.median(t / b for t, b in zip(rows["this"], rows["base"]))
            out["pages"][page["title"]] = {"rows": rows, "median": med, "this_over_base": ratio,
                                           "load": os.getloadavg()[0]}
            print(f"{page['title']:<18} trivial {med['trivial']:6.1f}  base {med['base']:6.1f} "
                  f"({med['base'] / med['trivial']:.2f}x)  this {med['this']:6.1f} ({med['this'] / med['trivial']:.2f}x)"
                  f"  this/base {ratio:.3f}  load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        for s in servers.values():
            s.stop()
    out["load_after"] = os.getloadavg()[0]
    (logs / "ab.json").write_text(json.dumps(out, indent=1))
    print(f"raw figures: {logs / 'ab.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
