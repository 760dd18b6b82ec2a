"""The Apps page in Chromium: choosing the coding category writes app_category=coding to
the address bar, and that address, opened in a fresh browser context, reopens the same
view with the same figures (tests/tiny_extras.py; figures by hand in
tests/pages/test_apps_tasks.py: overall, Beta's 500 of 1,000 listed tokens = 50.0%, tokens
per request 20 / 50 / 10, median 20, 2 kept fetches; coding, Alpha alone: 100.0%, 400 / 8
= 50, 1 fetch). The app name carrying Markdown renders as text, never as a link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import FAKE_KEY, _require_browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def apps_server(tmp_path_factory):
    _require_browser()
    from tests.tiny_extras import build_extras_snapshot

    snap = build_extras_snapshot(tmp_path_factory.mktemp("e2e-apps") / "snap")
    log = tmp_path_factory.mktemp("e2e-apps-log") / "streamlit.log"
    server = srv.start_server(srv.server_env(snap.path, {"OPENROUTER_API_KEY": FAKE_KEY}), log)
    yield server
    server.stop()


def test_apps_view_survives_a_shared_link(apps_server, page, context_factory):
    srv.open_page(page, f"{apps_server.url}/apps?lab=openai")
    assert srv.selectbox_value(page, "app_category") == "all"
    assert srv.metric_values(page) == ["50.0%", "20", "2"]
    text = page.locator("[data-testid='stApp']").inner_text()
    assert "*Delta* [x](http://e.com)" in text, "the name as the data gives it, Markdown characters and all"
    assert page.locator("a[href*='e.com']").count() == 0
    srv.pick_selectbox(page, "app_category", "coding")  # waits for the rerun
    page.wait_for_url(re.compile(r"app_category=coding"))
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"lab": ["openai"], "app_category": ["coding"]}
    assert srv.metric_values(page) == ["100.0%", "50", "1"]

    other = context_factory().new_page()
    srv.open_page(other, shared)
    assert srv.selectbox_value(other, "app_category") == "coding"
    assert srv.metric_values(other) == ["100.0%", "50", "1"]
    assert other.locator(srv.EXCEPTION).count() == 0
    assert "Only one fetch is kept" in other.locator("[data-testid='stApp']").inner_text()
