"""The browser figure's run: the trivial app and tokenshare served side by side on the
sample, every chart page measured against the trivial app alternately, then the
slowest page traced. ``python -m benchmarks.browser.run [--pages race share]`` runs
this part alone and prints it as the bench does."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.browser import drive, figures, trace
from benchmarks.common import discover_pages

TRIVIAL_APP = Path(__file__).resolve().parent.parent / "trivial_app.py"
# Three of each Period (day, week, month, in turn): with six, Spend's median went from
# 1.2x to 1.6x between two runs at rest, the second after a change that only lightened
# its charts (tooltips on the marks).
DEFAULT_CHANGES = 9
# Two first loads a page moved its ratio by a third between runs with nothing changed
# (Race 1.4x -> 1.9x; paired over 5 loads, 1.45x): four give a median of the middle two.
DEFAULT_LOADS = 4
# The trivial app with one more chart of the same kind (``?charts=2``), measured as a
# page: what Streamlit itself costs for a second chart, the floor for a two-chart page.
FLOOR_QUERY = "?charts=2"
FLOOR_TITLE = "Trivial app, 2 charts"
TRACE_CHANGES = 3
TIMEOUT_MS = 120_000  # a first load on this shared 2-core box has taken 45 s at a load average of 30
# Not chart pages: the SQL workbench draws what a visitor's query returns.
NOT_CHART_PAGES = ("views/workbench.py",)


def chart_pages(only: list[str] | None = None) -> list[dict]:
    """Each page file of app.py once, under the url_path named like the file when it has
    one (``share``, not the default page's reserved ``home``; ``segments``, not the old
    ``categories``); ``only`` (url paths or file stems) narrows them."""
    chosen: dict[str, dict] = {}
    for p in discover_pages():
        if p["path"] not in chosen or p["url_path"] == Path(p["path"]).stem:
            chosen[p["path"]] = p
    pages = [p for p in chosen.values() if p["path"] not in NOT_CHART_PAGES or only]
    if only:
        pages = [p for p in pages if any(w in (p["path"], p["url_path"], Path(p["path"]).stem) for w in only)]
    return pages


def _alternate(i: int) -> tuple[str, str]:
    """Who goes first in round ``i``: the trivial app on even rounds, the page on odd."""
    return ("trivial", "page") if i % 2 == 0 else ("page", "trivial")


def warm_up(browser, url: str, quiet_ms: int = drive.QUIET_MS) -> None:
    """Visit ``url`` and go through every Period once, untimed: the server's caches then
    hold what the timed loads and changes ask for, as the trivial app's st.cache_data
    does, and the figures are the browser's and a warm server's (a cold page's first
    visit costs seconds of queries, which the AppTest cold figures report)."""
    ctx = drive.new_context(browser)
    try:
        tab = ctx.new_page()
        drive.first_load(tab, url, quiet_ms, TIMEOUT_MS)
        for _ in drive.GRAINS:
            drive.change(tab, quiet_ms, TIMEOUT_MS)
    finally:
        ctx.close()


def measure_page(browser, url: str, trivial_url: str, *, loads: int, changes: int,
                 quiet_ms: int = drive.QUIET_MS, warm: bool = True) -> dict:
    """``loads`` first loads (each in a fresh context) and then ``changes`` Period
    changes, of the page at ``url`` and of the trivial app, alternately; with ``warm``,
    after a ``warm_up`` of the page."""
    urls = {"page": url, "trivial": trivial_url}
    prefix = {"page": "", "trivial": "trivial_"}
    rec: dict = {"url": url, "load_s": [], "trivial_load_s": [], "change_s": [], "trivial_change_s": [],
                 "errors": []}
    ctxs, tabs = {}, {}
    try:
        if warm:
            warm_up(browser, url, quiet_ms)
        for i in range(loads):
            for who in _alternate(i):
                if who in ctxs:
                    ctxs.pop(who).close()
                ctxs[who] = drive.new_context(browser)
                tabs[who] = ctxs[who].new_page()
                rec[prefix[who] + "load_s"].append(
                    round(drive.first_load(tabs[who], urls[who], quiet_ms, TIMEOUT_MS), 3))
        for i in range(changes):
            for who in _alternate(i):
                rec[prefix[who] + "change_s"].append(round(drive.change(tabs[who], quiet_ms, TIMEOUT_MS), 3))
        shown = drive.exception_text(tabs["page"])
        if shown:
            rec["errors"].append(f"exception on the page: {shown}")
    except Exception as exc:  # noqa: BLE001 - one page that cannot be driven is reported, the rest measured
        rec["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
    finally:
        for ctx in ctxs.values():
            ctx.close()
    return rec


def trace_page(browser, url: str, changes: int, quiet_ms: int = drive.QUIET_MS) -> dict:
    """A fresh context's first load, one warm-up change, then ``changes`` traced changes."""
    ctx = drive.new_context(browser)
    try:
        tab = ctx.new_page()
        drive.first_load(tab, url, quiet_ms, TIMEOUT_MS)
        drive.change(tab, quiet_ms, TIMEOUT_MS)
        return trace.capture(browser, ctx, tab, lambda p: drive.change(p, quiet_ms, TIMEOUT_MS), changes)
    finally:
        ctx.close()


def trace_slowest(browser, out: dict, base_url: str, trivial_url: str, trace_changes: int, log) -> dict:
    path = figures.slowest(out["pages"])
    if path is None:
        return {"error": "no page has a change figure to compare"}
    rec = out["pages"][path]
    res = {"path": path, "title": rec.get("title", path), "changes": trace_changes}
    log(f"[browser] trace: {res['title']} and the trivial app, {trace_changes} changes each…")
    try:
        res["page"] = trace_page(browser, rec["url"], trace_changes)
        res["trivial"] = trace_page(browser, trivial_url, trace_changes)
    except Exception as exc:  # noqa: BLE001 - the table stands without the trace
        res["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return res


def run(*, pages: list[dict] | None = None, changes: int = DEFAULT_CHANGES, loads: int = DEFAULT_LOADS,
        trace_changes: int = TRACE_CHANGES, snapshot: str | Path | None = None, floor: bool = True,
        log=print) -> dict:
    """Serve the trivial app and tokenshare side by side and measure every page in
    ``pages`` (default: ``chart_pages()``) against it, and with ``floor`` the trivial
    app's two-chart form the same way (``out["floor"]``); see the package docstring."""
    from playwright.sync_api import sync_playwright

    from tests.e2e import server as srv
    from tokenshare.core import settings

    if not os.path.exists(srv.CHROMIUM):
        return {"skipped": f"no chromium at {srv.CHROMIUM} (apt-get install chromium)"}
    pages = chart_pages() if pages is None else pages
    out: dict = {"changes": changes, "loads": loads, "quiet_ms": drive.QUIET_MS,
                 "load_before": round(os.getloadavg()[0], 2), "pages": {}}
    logs = Path(tempfile.mkdtemp(prefix="tokenshare-bench-browser-"))
    env = srv.server_env(snapshot or settings.SAMPLE_DIR)
    trivial = srv.start_server(env, logs / "trivial.log", app=TRIVIAL_APP, cwd=TRIVIAL_APP.parent)  # Streamlit's defaults
    app = None
    try:
        app = srv.start_server(env, logs / "app.log")
        with sync_playwright() as pw:
            browser = srv.launch_browser(pw)
            warm_up(browser, trivial.url + "/")
            for page in pages:
                log(f"[browser] {page['title']}: {loads} first loads, {changes} changes, against the trivial app…")
                rec = measure_page(browser, f"{app.url}/{page['url_path']}", trivial.url + "/",
                                   loads=loads, changes=changes)
                out["pages"][page["path"]] = {"title": page["title"], **rec}
            if floor:
                log(f"[browser] {FLOOR_TITLE}: the same, against the trivial app…")
                out["floor"] = {"title": FLOOR_TITLE, **measure_page(
                    browser, trivial.url + "/" + FLOOR_QUERY, trivial.url + "/", loads=loads, changes=changes)}
            if trace_changes:
                out["trace"] = trace_slowest(browser, out, app.url, trivial.url + "/", trace_changes, log)
            browser.close()
    finally:
        trivial.stop()
        if app is not None:
            app.stop()
    out["load_after"] = round(os.getloadavg()[0], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    from benchmarks.browser.table import render_browser
    from tokenshare.cli import positive_int

    ap = argparse.ArgumentParser(prog="python -m benchmarks.browser.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", nargs="+", default=None, metavar="PAGE", help="url paths or file stems")
    ap.add_argument("--changes", type=positive_int, default=DEFAULT_CHANGES)
    ap.add_argument("--loads", type=positive_int, default=DEFAULT_LOADS)
    ap.add_argument("--trace-changes", type=int, default=TRACE_CHANGES, help="0: no trace")
    ap.add_argument("--snapshot", default=None)
    ap.add_argument("--no-floor", action="store_true", help="skip the trivial app's two-chart form")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw results here")
    a = ap.parse_args(argv)
    res = run(pages=chart_pages(a.pages), changes=a.changes, loads=a.loads, trace_changes=a.trace_changes,
              snapshot=a.snapshot, floor=not a.no_floor, log=lambda m: print(m, file=sys.stderr, flush=True))
    if a.json:
        a.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print("\n".join(render_browser(res)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
