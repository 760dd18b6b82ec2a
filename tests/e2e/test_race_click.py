"""The race's bump chart after a Period change (issue 25: its spec stays the same, so
Streamlit hands the new rows to the same Vega view, and the tooltip is on the points
only): a click on a point still picks its lab and sets the sidebar's lab filter (the URL
follows). The points carry the selection themselves: no Voronoi layer of nearest-point
cells over the plot, which cost every redraw ~70 ms of browser CPU."""

from __future__ import annotations

import pytest

from tests.e2e import server as srv

pytestmark = pytest.mark.browser

BUMP = f".st-key-race_bump_labs {srv.CHARTS}"


def test_bump_chart_still_picks_a_lab_after_a_period_change(sample_server, page):
    srv.open_page(page, sample_server.url + "/race")
    srv.wait_charts_drawn(page, at_least=2)  # the bump chart and the open tab's leader timeline
    bump = page.locator(BUMP).first

    srv.pick_selectbox(page, "grain", "month")
    srv.wait_charts_drawn(page, at_least=2)  # the bump chart and the open tab's leader timeline
    assert "grain=month" in page.url and page.locator(srv.EXCEPTION).count() == 0

    before = srv.runs(page)
    # the highest point drawn (a lab at #1): its centre
    top = bump.evaluate("""el => {
        const boxes = [...el.querySelectorAll('g.mark-symbol path')].map(p => p.getBoundingClientRect())
            .filter(b => b.width > 0);
        return boxes.reduce((a, b) => (b.y < a.y ? b : a));
    }""")
    page.mouse.click(top["x"] + top["width"] / 2, top["y"] + top["height"] / 2)
    page.wait_for_function("() => new URL(location.href).searchParams.has('lab')", timeout=30_000)
    srv.wait_rerun(page, before)
    assert srv.selected(page, "lab"), "the click set no lab"
    assert page.locator(srv.EXCEPTION).count() == 0
