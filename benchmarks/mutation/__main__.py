"""``python -m benchmarks.mutation [--only NAME ...] [--rate R] [--seed S]``: see the
package docstring."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

from benchmarks.mutation import narrow, report
from benchmarks.mutation.run import Outcome, Pool, baseline
from benchmarks.mutation.targets import TestIndex, list_targets, map_tests, mutants_of, read_keyed, sample

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.mutation",
                                description="Mutation testing of tokenshare/analysis, the engine's pure parts and "
                                "the named queries under queries/pages and queries/build.")
    p.add_argument("--only", nargs="+", default=None, metavar="NAME",
                   help="only these targets: a query name (segment_mix), a module (tiers, analysis.tail.bounds) "
                   "or a path; every mutant of them unless --rate is given")
    p.add_argument("--rate", type=float, default=None,
                   help="share of each target's mutants run, sampled with --seed (default 0.05; 1 with --only)")
    p.add_argument("--seed", type=int, default=27, help="the sample's seed (default 27)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--budget", type=float, default=None,
                   help="seconds after which no new mutant starts (default: none, every sampled mutant runs)")
    p.add_argument("--whole-module", action="store_true",
                   help="run every test file naming a Python module for each of its mutants, not only the tests "
                   "naming the mutated function or a caller of it in the module (benchmarks/mutation/narrow.py)")
    p.add_argument("--whole-files", action="store_true",
                   help="narrow a Python mutant's test files to those naming its function, but run them whole")
    p.add_argument("--slow", type=float, default=45,
                   help="a test file whose baseline takes longer is not run per mutant (default 45 s)")
    p.add_argument("--equivalent", type=Path, default=HERE / "equivalent.txt",
                   help="known-equivalent mutants: an id and its reason a line")
    p.add_argument("--pinned", type=Path, default=HERE / "pinned.txt",
                   help="mutants always run whatever the sample (the bugs an issue named)")
    p.add_argument("--json", type=Path, default=None, help="write every result here")
    p.add_argument("--compare", type=Path, default=None, help="a --json file of an earlier run: print before/after")
    p.add_argument("--survivors-of", type=Path, default=None, metavar="JSON",
                   help="rerun only the mutants that survived in this --json run (after new tests) and print "
                   "that run's score with their new results")
    p.add_argument("--list", action="store_true", help="list the sampled mutants and their tests, run nothing")
    p.add_argument("--refresh-baseline", action="store_true", help="rerun the baseline even if it is kept")
    return p


def matches(target, only) -> bool:
    return any(o == target.name or o == Path(target.path).stem or target.name.endswith("." + o) or o in target.path
               for o in only)


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    t0 = time.monotonic()
    load0 = " ".join(f"{x:.1f}" for x in os.getloadavg())
    rate = args.rate if args.rate is not None else (1.0 if args.only else 0.05)
    targets = list_targets(ROOT)
    if args.only:
        targets = [t for t in targets if matches(t, args.only)]
        if not targets:
            print(f"no target matches {args.only}", file=sys.stderr)
            return 2
    index = TestIndex(ROOT)
    map_tests(targets, index)
    equivalent, pinned = read_keyed(args.equivalent), set(read_keyed(args.pinned))
    plan = []  # (target, mutant, key, original text)
    for t in targets:
        text = (ROOT / t.path).read_text(encoding="utf-8")
        for m in sample(ROOT, t, mutants_of(ROOT, t), rate, args.seed, pinned):
            plan.append((t, m, m.key(text), text))
    earlier = json.loads(args.survivors_of.read_text()) if args.survivors_of else None
    if earlier is not None:
        survived = {r["id"] for r in earlier if r["status"] == "survived"}
        plan = [x for x in plan if x[2] in survived]
    print(f"{len(targets)} targets, {len(plan)} mutants sampled (rate {rate:g}, seed {args.seed}; "
          f"{sum(k in equivalent for _, _, k, _ in plan)} known equivalent)", flush=True)
    if args.list:
        for t, m, key, text in plan:
            tests = t.tests if args.whole_module or not t.path.endswith(".py") else \
                narrow.tests_for(text, m.start, t.tests, index.tests, not args.whole_files)
            print(f"{key}  line {m.line(text)}  tests: {' '.join(tests) or '-'}\n{m.diff(text)}")
        return 0
    pool = Pool(ROOT, args.jobs)
    try:
        files = sorted({f for t in targets for f in t.tests})
        base = baseline(pool, files, ROOT / "bench_data" / "mutation_baseline.json", args.refresh_baseline, args.slow)
        dropped = report.apply_baseline(targets, base, args.slow)
        print(f"baseline: {len(files)} test files in {time.monotonic() - t0:.0f} s so far; "
              f"left out: {dropped or 'none'}", flush=True)
        deadline = None if args.budget is None else t0 + args.budget
        jobs = report.interleave([(t, m, k, x) for t, m, k, x in plan if k not in equivalent])
        selected = {}  # mutant id -> the test files it runs
        for t, m, key, text in jobs:
            narrowed = t.path.endswith(".py") and not args.whole_module
            selected[key] = narrow.tests_for(text, m.start, t.tests, index.tests, not args.whole_files) if narrowed else t.tests

        def one(worker, job):
            t, m, key, text = job
            tests = selected[key]
            if not tests:
                return Outcome("no tests")
            timeout = max(30.0, 3 * sum(base[f]["seconds"] for f in narrow.files_of(tests)) + 10)
            out = worker.run_mutant(m, text, tests, timeout, key.replace("/", "_").replace(":", "_"))
            print(f"  {out.status:9} {out.seconds:5.1f} s  {key}", flush=True)
            return out

        outcomes = pool.map(jobs, one, deadline)
        results = report.collect(jobs, outcomes, plan, equivalent)
        for r in results:
            r["tests"] = selected.get(r["id"], r["tests"])
    finally:
        pool.close()
    if earlier is not None:  # the earlier run, its survivors replaced by this run's results
        now = {r["id"]: r for r in results}
        results = [now.get(r["id"], dict(r, status="equivalent") if r["id"] in equivalent else r) for r in earlier]
    report.print_report(results, targets, rate, args.seed, time.monotonic() - t0)
    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    print(f"\nwall {time.monotonic() - t0:.0f} s, CPU {cpu:.0f} s (user + sys, this run and its test processes); "
          f"load average {load0} at the start, {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if args.compare:
        report.print_compare(json.loads(args.compare.read_text()), results, equivalent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
