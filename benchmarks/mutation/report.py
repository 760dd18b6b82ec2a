"""The run's order, its results and the printed score (per target, per group, the
survivors with their diffs; before/after against an earlier run's JSON)."""

from __future__ import annotations

import itertools
from collections import defaultdict

GROUPS = {"analysis": "tokenshare/analysis", "engine": "engine (pure parts)", "queries": "queries/pages + build"}
KILLED = ("killed", "timeout")


def apply_baseline(targets, base: dict, slow: float) -> list[str]:
    """Test files that failed unmutated or are slower than ``slow`` seconds are left out
    (a failing file would count every mutant as killed)."""
    bad = sorted(f for f, r in base.items() if r["rc"] != 0 or r["seconds"] > slow)
    for t in targets:
        t.tests = sorted((f for f in t.tests if f not in bad), key=lambda f: base[f]["seconds"])
    def why(r):
        return "timed out" if r["rc"] is None else "failed" if r["rc"] != 0 else f"{r['seconds']} s"
    return [f"{f} ({why(base[f])})" for f in bad]


def interleave(jobs: list) -> list:
    """Round-robin over targets, so a run cut by the budget still reaches every target."""
    by_target = defaultdict(list)
    for job in jobs:
        by_target[job[0].path].append(job)
    return [j for group in itertools.zip_longest(*by_target.values()) for j in group if j is not None]


def collect(jobs, outcomes, plan, equivalent) -> list[dict]:
    done = {job[2]: out for job, out in zip(jobs, outcomes)}
    out = []
    for t, m, key, text in plan:
        o = done.get(key)
        status = "equivalent" if key in equivalent else (o.status if o is not None else "not run")
        out.append({"id": key, "target": t.name, "path": t.path, "group": t.group, "line": m.line(text),
                    "operator": m.operator, "status": status, "seconds": round(o.seconds, 1) if o else 0,
                    "tests": t.tests, "diff": m.diff(text), "reason": equivalent.get(key, "")})
    return out


def score(rows) -> tuple[int, int]:
    counted = [r for r in rows if r["status"] in KILLED + ("survived",)]
    return sum(r["status"] in KILLED for r in counted), len(counted)


def pct(k, n) -> str:
    return f"{100 * k / n:5.1f}%" if n else "   - "


def print_report(results, targets, rate, seed, seconds) -> None:
    by_target = defaultdict(list)
    for r in results:
        by_target[r["target"]].append(r)
    print(f"\nMutation score (sample rate {rate:g}, seed {seed}; killed / mutants run, known-equivalent left out)")
    print(f"{'target':44} {'killed':>7} {'score':>7} {'surv':>5} {'equiv':>5} {'other':>5}  tests")
    for t in targets:
        rows = by_target.get(t.name, [])
        if not rows:
            continue
        k, n = score(rows)
        surv = sum(r["status"] == "survived" for r in rows)
        eq = sum(r["status"] == "equivalent" for r in rows)
        other = len(rows) - n - eq
        print(f"{t.name:44} {f'{k}/{n}':>7} {pct(k, n):>7} {surv:5} {eq:5} {other:5}  {len(t.tests)} ({t.via})")
    print()
    for g, label in GROUPS.items():
        k, n = score([r for r in results if r["group"] == g])
        print(f"{label:44} {f'{k}/{n}':>7} {pct(k, n):>7}")
    k, n = score(results)
    print(f"{'all':44} {f'{k}/{n}':>7} {pct(k, n):>7}   ({seconds:.0f} s)")
    odd = [r for r in results if r["status"] not in KILLED + ("survived", "equivalent")]
    if odd:
        print("\nnot counted: " + ", ".join(f"{r['id']} ({r['status']})" for r in odd))
    survivors = [r for r in results if r["status"] == "survived"]
    print(f"\nSurvivors ({len(survivors)}):")
    for r in survivors:
        print(f"\n{r['id']}  (line {r['line']}; tests: {' '.join(r['tests'])})\n{r['diff']}", end="")


def print_compare(before, after, equivalent=()) -> None:
    """``before`` re-scored with today's known-equivalent list, so both sides leave out
    the same mutants."""
    before = [dict(r, status="equivalent") if r["id"] in equivalent else r for r in before]
    print("\nBefore / after (the same sample: the same seed and rate give the same mutants for an unchanged file)")
    for g, label in list(GROUPS.items()) + [(None, "all")]:
        cells = []
        for rows in (before, after):
            k, n = score([r for r in rows if g is None or r["group"] == g])
            cells.append(f"{k}/{n} {pct(k, n).strip()}")
        print(f"{label:44} before {cells[0]:>16}   after {cells[1]:>16}")
    was = {r["id"]: r["status"] for r in before}
    newly = [r["id"] for r in after if r["status"] in KILLED and was.get(r["id"]) == "survived"]
    print(f"killed now, survived before: {len(newly)}")
    for i in newly:
        print(f"  {i}")
