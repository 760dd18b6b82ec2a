"""The bench's browser figure (benchmarks/browser), its pure parts with figures worked
out by hand: median, p90 and the multiples of the trivial app, the slowest page, the
issue's targets on both sides of each threshold, the printed table, and the trace and
profile splits on hand-made events. (The measurement in Chromium itself:
tests/e2e/test_bench_browser.py.)"""

from __future__ import annotations

import pytest

from benchmarks import report
from tests.bench_results import bench_results
from benchmarks.browser import figures, table, trace


def test_median_and_p90_by_hand():
    six = [0.6, 0.2, 0.4, 0.8, 1.0, 0.5]  # sorted: 0.2 0.4 0.5 0.6 0.8 1.0
    assert figures.median(six) == pytest.approx(0.55)  # (0.5 + 0.6) / 2
    # p90 at position 0.9 * 5 = 4.5: halfway between the 5th (0.8) and 6th (1.0)
    assert figures.p90(six) == pytest.approx(0.9)
    assert figures.p90([0.2, 0.4]) == pytest.approx(0.38)  # 0.2 + 0.9 * 0.2
    assert figures.p90([0.7]) == 0.7
    assert figures.p90([]) is None and figures.median([]) is None
    ten = [float(i) for i in range(1, 11)]  # position 8.1: 9 + 0.1 * (10 - 9)
    assert figures.p90(ten) == pytest.approx(9.1)


def test_ratio_is_none_without_a_base():
    assert figures.ratio(3.0, 2.0) == 1.5
    assert figures.ratio(None, 2.0) is None
    assert figures.ratio(1.0, 0) is None and figures.ratio(1.0, None) is None


RACE = {"title": "Race", "url": "http://x/race",
        "change_s": [0.6, 0.2, 0.4, 0.8, 1.0, 0.5], "trivial_change_s": [0.2, 0.3, 0.2, 0.3, 0.2, 0.3],
        "load_s": [3.0, 5.0], "trivial_load_s": [2.0, 2.0], "errors": []}
# Slower than Race in seconds but a smaller multiple of its own trivial figures.
SHARE = {"title": "Share", "url": "http://x/share",
         "change_s": [2.0, 2.0], "trivial_change_s": [1.0, 1.0],
         "load_s": [6.0], "trivial_load_s": [5.0], "errors": []}


def test_summarise_by_hand():
    f = figures.summarise(RACE)
    assert f["change_median"] == pytest.approx(0.55) and f["change_p90"] == pytest.approx(0.9)
    # trivial sorted 0.2 0.2 0.2 0.3 0.3 0.3: median 0.25, p90 (position 4.5) 0.3
    assert f["trivial_change_median"] == pytest.approx(0.25) and f["trivial_change_p90"] == pytest.approx(0.3)
    assert f["change_ratio"] == pytest.approx(2.2) and f["p90_ratio"] == pytest.approx(3.0)
    assert f["load_median"] == 4.0 and f["load_ratio"] == pytest.approx(2.0)


def test_slowest_is_the_largest_multiple_not_the_longest_time():
    assert figures.slowest({"views/race.py": RACE, "views/share.py": SHARE}) == "views/race.py"
    assert figures.slowest({"views/x.py": {"change_s": [1.0], "trivial_change_s": []}}) is None


def _page(change: float, load: float, p90_change: float | None = None) -> dict:
    """A page whose change median is ``change`` x, load ``load`` x the trivial app's 1 s."""
    changes = [change, change, p90_change] if p90_change is not None else [change]
    return {"change_s": changes, "trivial_change_s": [1.0], "load_s": [load], "trivial_load_s": [1.0],
            "errors": []}


def test_targets_on_both_sides_of_each_threshold():
    at = figures.targets({"pages": {"a": {"title": "A", **_page(1.5, 1.5)}}})
    assert [t["ok"] for t in at] == [True, True, True, True]
    over_change = figures.targets({"pages": {"a": {"title": "A", **_page(1.51, 1.0)}}})
    assert [t["ok"] for t in over_change] == [False, True, True, True]
    assert over_change[0]["got"] == "A 1.51x"
    over_load = figures.targets({"pages": {"a": {"title": "A", **_page(1.0, 1.51)}}})
    assert [t["ok"] for t in over_load] == [True, True, False, True]
    # p90 of [1, 1, 3] at position 1.8: 1 + 0.8 * 2 = 2.6; of [1, 1, 2.25]: 1 + 0.8 * 1.25 = 2.0, at the limit
    assert [t["ok"] for t in figures.targets({"pages": {"a": _page(1.0, 1.0, 3.0)}})][1] is False
    assert [t["ok"] for t in figures.targets({"pages": {"a": _page(1.0, 1.0, 2.25)}})][1] is True
    failed = figures.targets({"pages": {"a": {**_page(1.0, 1.0), "change_s": [], "errors": ["Unsettled"]}}})
    assert [t["ok"] for t in failed] == [False, False, True, False]  # no change figure: no median, no p90
    assert figures.targets({}) == []


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_table_rows_slowest_first_with_the_figures():
    lines = table.render_browser({"changes": 6, "loads": 2, "quiet_ms": 400, "load_before": 1.0,
                                  "load_after": 1.5, "pages": {"views/share.py": SHARE, "views/race.py": RACE}})
    rows = [_cells(ln) for ln in lines if ln.strip().startswith("| ") and "page" not in ln]
    assert rows == [
        ["Race", "0.55 s", "0.90 s", "0.25 s", "2.2x", "3.0x", "4.00 s", "2.0x"],
        ["Share", "2.00 s", "2.00 s", "1.00 s", "2.0x", "2.0x", "6.00 s", "1.2x"],
    ]
    assert "load average 1.0 before, 1.5 after" in lines[1]



def test_the_floor_is_the_last_row_and_counts_for_no_target():
    """The trivial app's two-chart form: its own row, last even when it is the largest
    multiple; neither the slowest page nor in a target's figures."""
    # changes sorted 0.3 0.32 0.4 0.5: median 0.36 / trivial median 0.2 = 1.8x;
    # p90 at position 2.7: 0.4 + 0.7 * 0.1 = 0.47 / 0.2 = 2.35x; loads 3.0 / 2.0 = 1.5x
    floor = {"title": "Trivial app, 2 charts", "change_s": [0.32, 0.5, 0.4, 0.3], "trivial_change_s": [0.2, 0.2],
             "load_s": [3.0], "trivial_load_s": [2.0], "errors": []}
    bench = {"changes": 4, "loads": 1, "quiet_ms": 400, "load_before": 1.0, "load_after": 1.0,
             "pages": {"views/share.py": SHARE}, "floor": floor}
    lines = table.render_browser(bench)
    rows = [_cells(ln) for ln in lines if ln.strip().startswith("| ") and "page" not in ln]
    assert rows == [
        ["Share", "2.00 s", "2.00 s", "1.00 s", "2.0x", "2.0x", "6.00 s", "1.2x"],
        ["Trivial app, 2 charts", "0.36 s", "0.47 s", "0.20 s", "1.8x", "2.4x", "3.00 s", "1.5x"],
    ]
    assert any(ln.strip().startswith("Trivial app, 2 charts: the trivial app with a second line chart") for ln in lines)
    assert all("Trivial app, 2 charts" not in t["got"] for t in figures.targets(bench))
    assert "floor" not in table.render_browser({**bench, "floor": None})[-1]

def test_report_render_prints_the_browser_table_and_targets():
    results = bench_results(browser={
                   "changes": 6, "loads": 2, "quiet_ms": 400, "load_before": 1.0, "load_after": 1.0,
                    "pages": {"views/race.py": RACE}})
    text = report.render(results)
    assert "Browser: what one visitor waits for" in text
    assert "[FAIL] browser: every page's change median within 1.5x the trivial app's: Race 2.20x" in text
    assert "[PASS] browser: no page failed to settle or showed an exception: 0 errors" in text


def _x(name: str, ts: float, dur: float, tid: int = 1) -> dict:
    return {"ph": "X", "name": name, "pid": 7, "tid": tid, "ts": ts * 1000, "dur": dur * 1000}


def test_trace_split_by_self_time():
    events = [
        {"ph": "M", "name": "thread_name", "pid": 7, "tid": 1, "args": {"name": "CrRendererMain"}},
        {"ph": "M", "name": "thread_name", "pid": 8, "tid": 1, "args": {"name": "CrRendererMain"}},
        {"ph": "X", "name": "RunTask", "pid": 8, "tid": 1, "ts": 0, "dur": 5000},  # a quieter renderer
        _x("RunTask", 0, 100),
        _x("FunctionCall", 10, 50),
        _x("Layout", 20, 10),  # forced by the script: layout
        _x("SomethingNew", 40, 5),  # no kind of its own: the script's
        _x("Paint", 70, 20),
        _x("RunTask", 200, 10),
        {"ph": "B", "name": "UpdateLayoutTree", "pid": 7, "tid": 1, "ts": 205_000},
        {"ph": "E", "name": "UpdateLayoutTree", "pid": 7, "tid": 1, "ts": 208_000},
        _x("FunctionCall", 0, 999, tid=2),  # another thread
    ]
    assert trace.main_thread(events) == (7, 1)
    # scripting 50 - 10 (layout); layout 10 + 3; paint 20; other: 100 - 50 - 20 and 10 - 3
    assert trace.split_events(events, 7, 1) == {"scripting": 40.0, "style+layout": 13.0, "paint": 20.0,
                                                "other": 37.0, "busy": 110.0}


def test_profile_split_by_bundle_and_vega_phase():
    base = "http://127.0.0.1:8501/static/js/"
    nodes = [
        {"id": 1, "callFrame": {"functionName": "(root)", "url": ""}, "children": [2, 3, 6, 8]},
        {"id": 2, "callFrame": {"functionName": "(idle)", "url": ""}},
        {"id": 3, "callFrame": {"functionName": "runAsync", "url": base + "embed.CX5AQgxi.js"}, "children": [4, 5]},
        {"id": 4, "callFrame": {"functionName": "_render", "url": base + "embed.CX5AQgxi.js"}},
        {"id": 5, "callFrame": {"functionName": "evaluate", "url": base + "embed.CX5AQgxi.js"}},
        {"id": 6, "callFrame": {"functionName": "CallExpression", "url": base + "embed.CX5AQgxi.js"},
         "children": [7]},
        {"id": 7, "callFrame": {"functionName": "ab", "url": base + "index.DormvYxC.js"}},
        {"id": 8, "callFrame": {"functionName": "f", "url": base + "ArrowVegaLiteChart.C1pLU68S.js"}},
    ]
    # a sample lasts until the next one: the first delta is the time before the first sample
    profile = {"nodes": nodes, "samples": [2, 4, 5, 5, 6, 7, 8, 2],
               "timeDeltas": [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000]}
    # by sample: idle (left out), _render 2, evaluate 3 + 4, CallExpression 5, index 6, chart 7, idle
    assert trace.split_profile(profile) == {"vega": 14.0, "chart component": 7.0, "arrow": 0.0,
                                            "streamlit": 6.0, "other js": 0.0, "total": 27.0}
    assert trace.vega_phases(profile) == {"compile+parse": 5.0, "dataflow": 7.0, "render": 2.0, "other vega": 0.0}
