"""The first request a freshly started server gets is a deep link. With a pages/
folder beside app.py, Streamlit 1.67 fell back to its legacy pages-directory mode in
exactly this case and ran the page without app.py (no sidebar filters, an exception),
which is why the page files live in views/. This test keeps it that way."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import FAKE_KEY

pytestmark = pytest.mark.browser

DEEP_LINK = "/race?country=US&lab=arcee-ai&grain=week"


@pytest.fixture
def cold_server(sample_server, tmp_path):
    """The session's sample server if nothing has asked it for a page yet (so this
    test costs no extra start), else a new one."""
    if sample_server.fresh:
        sample_server.fresh = False
        yield sample_server
        return
    env = srv.server_env(None, {"OPENROUTER_API_KEY": FAKE_KEY})
    server = srv.start_server(env, tmp_path / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()


def test_first_request_after_start_is_a_deep_link(cold_server, page):
    assert not (srv.ROOT / "pages").exists(), "a pages/ folder beside app.py brings back legacy page mode"
    srv.open_page(page, cold_server.url + DEEP_LINK)
    assert page.locator(srv.EXCEPTION).count() == 0, page.locator(srv.EXCEPTION).all_inner_texts()
    # app.py ran: the sidebar has the filters and the navigation, with Race current
    assert srv.selected(page, "country") == ["US"]
    assert srv.selected(page, "lab") == ["arcee-ai"]
    assert srv.selectbox_value(page, "grain") == "week"
    current = page.locator("[data-testid='stSidebarNav'] a[aria-current='page']")
    assert current.count() == 1 and urlsplit(current.get_attribute("href")).path == "/race"
    # the navigation is in three sections, with their headers in order
    headers = page.locator("[data-testid='stNavSectionHeader']").all_inner_texts()
    assert [h.strip() for h in headers] == ["Market", "Evidence", "Data"], headers
    assert page.locator("h1").first.inner_text() == "The lab rivalry race"
    # the lab filter is the focus: Arcee AI's rank among every open-weight lab
    # (on the sample Arcee AI is below the daily top 50 in the latest week: a rank range)
    assert re.fullmatch(r"#\d+–#\d+", srv.metric_values(page)[2]), srv.metric_values(page)
    assert srv.wait_charts_drawn(page, at_least=1) >= 1
    assert page.locator("[role='dialog']").count() == 0
    # week is the default, so it leaves the URL; the rest stays
    assert parse_qs(urlsplit(page.url).query) == {"country": ["US"], "lab": ["arcee-ai"]}
