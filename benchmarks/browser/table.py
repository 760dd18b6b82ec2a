"""The printed browser table (issue 25's layout) and the trace split of the slowest page."""

from __future__ import annotations

from benchmarks.browser.figures import summarise

SPLIT_ORDER = ("scripting", "style+layout", "paint", "other")
JS_ORDER = ("vega", "chart component", "arrow", "streamlit", "other js")


def _s(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f} s"


def _x(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f}x"


def render_browser(browser: dict) -> list[str]:
    """The table, slowest page first, and the trace split when there is one."""
    lines = ["Browser: what one visitor waits for (headless Chromium, one context per app; to the last DOM change, "
             f"app idle and {browser.get('quiet_ms', 400)} ms without a mutation)"]
    if browser.get("skipped"):
        return lines + [f"  skipped: {browser['skipped']}"]
    lines.append(f"  {browser.get('changes')} Period changes and {browser.get('loads')} first loads per page, "
                 f"alternating with the trivial app served beside it; load average "
                 f"{browser.get('load_before')} before, {browser.get('load_after')} after")
    rows = [(r.get("title", p), summarise(r), r) for p, r in (browser.get("pages") or {}).items()]
    rows.sort(key=lambda t: -(t[1]["change_ratio"] or 0))
    lines.append(f"  | {'page':<20} | {'change, median':>14} | {'p90':>7} | {'trivial':>7} | {'vs trivial':>10} "
                 f"| {'p90 vs trivial':>14} | {'first load':>10} | {'first load vs trivial':>21} |")
    lines.append("  |" + "|".join("-" * w for w in (22, 16, 9, 9, 12, 16, 12, 23)) + "|")
    floor = browser.get("floor")
    if floor:  # last, whatever its figures: it is the yardstick's, not a page's
        rows.append((floor.get("title", "floor"), summarise(floor), floor))
    for title, f, _ in rows:
        lines.append(f"  | {title:<20} | {_s(f['change_median']):>14} | {_s(f['change_p90']):>7} "
                     f"| {_s(f['trivial_change_median']):>7} | {_x(f['change_ratio']):>10} "
                     f"| {_x(f['p90_ratio']):>14} | {_s(f['load_median']):>10} | {_x(f['load_ratio']):>21} |")
    if floor:
        lines.append(f"  {floor.get('title', 'floor')}: the trivial app with a second line chart below the first "
                     "(?charts=2), a floor for a page of two charts; not a page, so no target counts it.")
    for title, _, r in rows:
        for err in dict.fromkeys(r.get("errors", [])):
            lines.append(f"    ! {title}: {err}")
    if browser.get("trace"):
        lines += render_trace(browser["trace"])
    return lines


def _split_row(label: str, split: dict, keys: tuple[str, ...], total_key: str) -> str:
    total = split.get(total_key) or 0
    cells = "".join(f" {split.get(k, 0):>7.0f} ms {100 * split.get(k, 0) / total if total else 0:>3.0f}%"
                    for k in keys)
    return f"  {label:<24}{cells}  (of {total:.0f} ms)"


def render_trace(trace: dict) -> list[str]:
    """Main-thread time over the traced changes by kind, and the scripting by whose code ran."""
    lines = ["", f"Browser trace: {trace.get('title')} (the slowest page against the trivial app) over "
                 f"{trace.get('changes')} Period changes, per change; main thread of the page's renderer"]
    if trace.get("error"):
        return lines + [f"  ! {trace['error']}"]
    lines.append(f"  {'':<24}" + "".join(f" {k:>15}" for k in SPLIT_ORDER))
    for label, key in ((trace.get("title", "page"), "page"), ("trivial one-chart app", "trivial")):
        if trace.get(key):
            lines.append(_split_row(label, trace[key]["split"], SPLIT_ORDER, "busy"))
    lines.append("  JavaScript by bundle (V8 CPU profile, self time)")
    lines.append(f"  {'':<24}" + "".join(f" {k:>15}" for k in JS_ORDER))
    for label, key in ((trace.get("title", "page"), "page"), ("trivial one-chart app", "trivial")):
        if trace.get(key):
            lines.append(_split_row(label, trace[key]["js"], JS_ORDER, "total"))
    vega = (trace.get("page") or {}).get("vega_phases")
    if vega:
        lines.append("  Vega's share by phase (samples under each Vega entry point): "
                     + ", ".join(f"{k} {v:.0f} ms" for k, v in vega.items()))
    return lines
