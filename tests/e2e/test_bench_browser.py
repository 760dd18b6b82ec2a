"""The bench's browser figure measured for real, small: the Claims page of the app on
the tiny snapshot against the trivial app (benchmarks/trivial_app.py) served beside it,
one first load and two Period changes each after a warm-up, through the bench's own
measure_page; the figures are positive, the changes really changed the Period, and the
printed table has the page's row."""

from __future__ import annotations

import pytest

from benchmarks.browser import drive, table
from benchmarks.browser.run import FLOOR_QUERY, TRIVIAL_APP, measure_page, warm_up
from tests.e2e import server as srv
from tests.e2e.conftest import _require_browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def trivial_server(tmp_path_factory):
    _require_browser()
    server = srv.start_server(srv.server_env(None), tmp_path_factory.mktemp("e2e-trivial") / "streamlit.log",
                              app=TRIVIAL_APP, cwd=TRIVIAL_APP.parent)
    yield server
    server.stop()


def test_measure_page_against_the_trivial_app(browser, app_server, trivial_server):
    warm_up(browser, trivial_server.url + "/")
    rec = measure_page(browser, f"{app_server.url}/claims", trivial_server.url + "/", loads=1, changes=2)
    assert rec["errors"] == []
    for key in ("load_s", "trivial_load_s", "change_s", "trivial_change_s"):
        assert len(rec[key]) == (1 if "load" in key else 2), key
        assert all(0 < s < 120 for s in rec[key]), (key, rec[key])
    lines = table.render_browser({"changes": 2, "loads": 1, "pages": {"views/claims.py": {"title": "Claims", **rec}}})
    row = next(ln for ln in lines if ln.strip().startswith("| Claims"))
    assert row.count(" s ") >= 4 and row.count("x ") == 3



def test_the_floor_is_the_trivial_app_with_a_second_chart(browser, trivial_server):
    """``?charts=2`` draws two line charts of the trivial app's rows (the second twice the
    first), the plain URL one: the floor differs from the yardstick by one chart only."""
    ctx = drive.new_context(browser)
    try:
        page = ctx.new_page()
        for query, charts in (("", 1), (FLOOR_QUERY, 2)):
            drive.first_load(page, trivial_server.url + "/" + query)
            assert page.locator("[data-testid='stVegaLiteChart']").count() == charts, query
            drive.change(page)  # the Period still drives every chart on it
            assert page.locator("[data-testid='stVegaLiteChart']").count() == charts, query
    finally:
        ctx.close()

def test_a_change_is_timed_to_the_last_dom_change(browser, trivial_server):
    """Two changes from week: month then day, each settled (idle, 400 ms quiet) with the
    select box showing it, and the last mutation after the press."""
    ctx = drive.new_context(browser)
    try:
        page = ctx.new_page()
        load = drive.first_load(page, trivial_server.url + "/")
        assert 0 < load == page.evaluate("window.__bbLastMutation") / 1000
        for expected in ("month", "day"):
            seconds = drive.change(page)
            assert srv.selectbox_value(page, "grain") == expected
            last, press, now = page.evaluate("[window.__bbLastMutation, window.__bbPress, performance.now()]")
            assert seconds == pytest.approx((last - press) / 1000) and seconds > 0
            assert now - last >= drive.QUIET_MS
    finally:
        ctx.close()


def test_the_live_announcers_timer_is_not_the_pages_change(browser):
    """react-aria's live announcer (the select box's hidden "3 options available" region)
    empties itself 7 s after a list opens: a change there moves neither the last-mutation
    time nor the count; a change anywhere else moves both."""
    ctx = drive.new_context(browser)
    try:
        page = ctx.new_page()
        page.set_content("<main><p id='text'>a</p></main>"
                         "<div data-live-announcer='true'><div role='log'><div id='said'>3 options</div></div></div>")
        page.wait_for_function("window.__bbMutations !== undefined")
        before = page.evaluate("[window.__bbLastMutation, window.__bbMutations]")
        page.evaluate("""async () => {
            document.getElementById('said').remove();
            document.querySelector('[role=log]').setAttribute('aria-busy', 'true');
            document.querySelector('[role=log]').append('5 options');
            await new Promise(r => setTimeout(r, 50));
        }""")
        assert page.evaluate("[window.__bbLastMutation, window.__bbMutations]") == before
        page.evaluate("async () => { document.getElementById('text').textContent = 'b';"
                      " await new Promise(r => setTimeout(r, 50)); }")
        last, count = page.evaluate("[window.__bbLastMutation, window.__bbMutations]")
        assert last > before[0] and count == before[1] + 1
    finally:
        ctx.close()
