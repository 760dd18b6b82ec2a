"""The race's bump chart after a Period change (issue 25: its spec stays the same, so
Streamlit hands the new rows to the same Vega view, and the tooltip is on the points
only): a click in its plot still picks the nearest lab's point and sets the sidebar's
lab filter (the URL follows)."""

from __future__ import annotations

import pytest

from tests.e2e import server as srv

pytestmark = pytest.mark.browser

BUMP = f".st-key-race_bump_labs {srv.CHARTS}"


def test_bump_chart_still_picks_a_lab_after_a_period_change(sample_server, page):
    srv.open_page(page, sample_server.url + "/race")
    srv.wait_charts_drawn(page, at_least=3)
    bump = page.locator(BUMP).first

    srv.pick_selectbox(page, "grain", "month")
    srv.wait_charts_drawn(page, at_least=3)
    assert "grain=month" in page.url and page.locator(srv.EXCEPTION).count() == 0

    box = bump.bounding_box()  # plot on the left, legend on the right
    before = srv.runs(page)
    # near the top of the plot: the nearest point is a lab ranked near #1
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.15)
    page.wait_for_function("() => new URL(location.href).searchParams.has('lab')", timeout=30_000)
    srv.wait_rerun(page, before)
    assert srv.selected(page, "lab"), "the click set no lab"
    assert page.locator(srv.EXCEPTION).count() == 0
