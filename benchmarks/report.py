"""The printed report: sizes, the one-off costs, pages cold and warm, named queries, the
core aggregations against pandas and the floor, memory, and which targets hold."""

from __future__ import annotations

from benchmarks.common import TARGETS


def _fmt_ms(v) -> str:
    if v is None:
        return "–"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


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

    lines += render_cache(sizes)

    lines += render_live(results)

    lines.append("")
    lines.append("Targets")
    for t in evaluate_targets(results):
        lines.append(f"  [{'PASS' if t['ok'] else 'FAIL'}] {t['what']}: {t['got']}")
    return "\n".join(lines)


def render_live(results: dict) -> list[str]:
    """The figures through real servers: server CPU per rerun and the browser's."""
    from benchmarks.browser.table import render_browser

    lines: list[str] = []
    if results.get("server"):
        lines += ["", *render_server(results["server"])]
    if results.get("browser"):
        lines += ["", *render_browser(results["browser"])]
    return lines


def render_cache(sizes: list[dict]) -> list[str]:
    """The app's one cache (tokenshare/app/cache.py) after every page's AppTest runs: per
    kind, hits, misses, entries dropped for the budget, entries and MB kept."""
    sizes = [s for s in sizes if s["app"].get("cache")]
    if not sizes:
        return []
    lines = ["", "App cache after the page runs (tokenshare/app/cache.py; one budget for every kind)"]
    lines.append(f"  {'size':>7} {'kind':<9} {'hits':>7} {'misses':>7} {'hit rate':>9} {'evicted':>8} {'entries':>8} {'MB kept':>8}")
    for s in sizes:
        c = s["app"]["cache"]
        for kind, k in sorted(c["kinds"].items()):
            asked = k["hits"] + k["misses"]
            rate = f"{k['hits'] / asked:.0%}" if asked else "–"
            lines.append(f"  {s['label']:>7} {kind:<9} {k['hits']:>7,} {k['misses']:>7,} {rate:>9} {k['evicted']:>8,} "
                         f"{k['entries']:>8,} {k['bytes'] / 2**20:>8.1f}")
        lines.append(f"  {s['label']:>7} {'all':<9} {'':>7} {'':>7} {'':>9} {'':>8} {'':>8} "
                     f"{c['bytes'] / 2**20:>8.1f}  of a {c['budget'] / 2**20:.0f} MB budget")
    return lines


def render_server(server: dict) -> list[str]:
    """Server CPU per rerun through a real server, each page against the trivial app
    measured in the same run, and where the CPU went when profiled."""
    from benchmarks.profile_split import BUCKETS

    lines = ["Server CPU per rerun (a real `streamlit run` server on the sample, one websocket session replaying "
             "a Chromium session's filter changes; query cache warm, as in the load test)"]
    if server.get("skipped"):
        return lines + [f"  skipped: {server['skipped']}"]
    lines.append(f"  {server['changes']} changes recorded per page, replayed {server['passes']}x after a warm-up; "
                 f"load average {server.get('load_before')} before, {server.get('load_after')} after")
    trivial = server.get("trivial") or {}
    base = trivial.get("cpu_ms")
    profiled = any("profile" in r for r in [trivial, *server["pages"].values()])
    head = f"  {'page':<24} {'cpu ms':>7} {'x trivial':>9} {'wall ms':>8} {'load':>5}"
    if profiled:
        head += "".join(f" {b[:9]:>9}" for b in BUCKETS)
    lines.append(head)
    rows = [("trivial one-chart app", trivial)] + [(r.get("title", p), r) for p, r in server["pages"].items()]
    for title, r in rows:
        ratio = f"{r['cpu_ms'] / base:.2f}" if base and r.get("cpu_ms") else "–"
        row = (f"  {title:<24} {_fmt_ms(r.get('cpu_ms')):>7} {ratio:>9} {_fmt_ms(r.get('wall_ms')):>8} "
               f"{r.get('load', '–'):>5}")
        if profiled:
            prof = r.get("profile") or {}
            row += "".join(f" {100 * prof[b]:>8.0f}%" if b in prof else f" {'–':>9}" for b in BUCKETS)
        lines.append(row)
        for err in dict.fromkeys(r.get("errors", [])):
            lines.append(f"    ! {err}")
    if server.get("server_log_errors"):
        lines.append(f"  ! {server['server_log_errors']} tracebacks in the server log")
    return lines


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
    server = results.get("server") or {}
    base = (server.get("trivial") or {}).get("cpu_ms")
    if base:
        cpu = {r.get("title", p): r.get("cpu_ms") for p, r in server["pages"].items()}
        out.append({"what": f"server CPU per rerun: every page within {TARGETS['server_cpu_ratio']:.0f}x the "
                            f"trivial app ({_fmt_ms(base)} ms)",
                    "ok": None not in cpu.values() and max(cpu.values()) <= TARGETS["server_cpu_ratio"] * base,
                    "got": ", ".join(f"{k} {v / base:.2f}x" if v else f"{k} –" for k, v in cpu.items())})
        out.append({"what": "no page raised an exception through the server",
                    "ok": not any(r.get("errors") for r in server["pages"].values()) and not server.get("server_log_errors"),
                    "got": f"{sum(len(r.get('errors', [])) for r in server['pages'].values())} errors"})
    from benchmarks.browser.figures import targets as browser_targets

    out += browser_targets(results.get("browser") or {})
    errs = sum(len(r.get("errors", [])) for s in sizes for r in s["app"]["pages"].values())
    out.append({"what": "no page raised an exception", "ok": errs == 0, "got": f"{errs} exceptions"})
    return out
