"""Page-local controls rerun their part of the page only (st.fragment), in a real
browser on the bundled sample: the Share page's Launch markers toggle and Break down by
control end in a fragment run (the server's script_finished says so), write the URL,
and change what they draw; a lab clicked on the share area still sets the sidebar's lab
filter, and the whole page follows it (a full run, the focus headline)."""

from __future__ import annotations

import pytest

from tests.e2e import server as srv

pytestmark = pytest.mark.browser


def _finished_statuses(page) -> list[str]:
    """Record the script_finished status of every run the server reports from now on."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    seen: list[str] = []

    def on_frame(frame) -> None:
        if isinstance(frame, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(frame)
        except Exception:  # noqa: BLE001 - not a ForwardMsg
            return
        if msg.WhichOneof("type") == "script_finished":
            seen.append(ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished))

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return seen


def test_share_controls_rerun_their_fragment_and_a_lab_click_the_page(sample_server, context_factory):
    sample_server.fresh = False
    page = context_factory().new_page()
    statuses = _finished_statuses(page)
    srv.open_page(page, sample_server.url + "/?by=lab")
    assert statuses and statuses[-1] == "FINISHED_SUCCESSFULLY"
    charts_before = srv.wait_charts_drawn(page, at_least=2)
    h1 = page.locator("h1").first.inner_text()

    before, n = srv.runs(page), len(statuses)
    page.locator(".st-key-markers [data-testid='stCheckbox'], .st-key-markers label").first.click()
    srv.wait_rerun(page, before)
    assert statuses[n:] == ["FINISHED_FRAGMENT_RUN_SUCCESSFULLY"]
    assert "markers=true" in page.url
    assert srv.wait_charts_drawn(page, at_least=charts_before) == charts_before
    assert page.locator("h1").first.inner_text() == h1

    before, n = srv.runs(page), len(statuses)
    page.locator(".st-key-by button", has_text="country").first.click()
    srv.wait_rerun(page, before)
    assert statuses[n:] == ["FINISHED_FRAGMENT_RUN_SUCCESSFULLY"]
    assert "by=country" in page.url and "markers=true" in page.url
    srv.wait_charts_drawn(page, at_least=charts_before)
    assert page.locator(srv.EXCEPTION).count() == 0

    # back to labs, then click the share area low down, on the bottom band (a lab, not Rest)
    before = srv.runs(page)
    page.locator(".st-key-by button", has_text="lab").first.click()
    srv.wait_rerun(page, before)
    box = page.locator(f".st-key-share_area_labs {srv.CHARTS}").first.bounding_box()  # plot, then legend
    before, n = srv.runs(page), len(statuses)
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.62)  # the bottom band
    page.wait_for_function("() => new URL(location.href).searchParams.has('lab')", timeout=30_000)
    srv.wait_idle(page)
    assert "FINISHED_SUCCESSFULLY" in statuses[n:]  # the whole page ran again
    assert srv.selected(page, "lab")
    assert any("share of all named tokens" in t for t in page.locator("[data-testid='stMetricLabel']").all_inner_texts())
