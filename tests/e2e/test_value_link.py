"""The Value page in Chromium: choosing the coding index writes index=coding to the
address bar, and that address, opened in a fresh browser context, reopens the same view
with the same figures (tests/tiny_value.py; figures by hand in tests/pages/test_value.py:
with the intelligence index 100.0% / 100.0% / 41.3% of tokens in the top band, 60 or
more; with the coding index no model scores 60, so the top band is 50 to 60: DeepSeek V3
2,850 + Qwen 2,090 open of 5,860 with Mistral Medium's 920, 84.3%)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import FAKE_KEY, _require_browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def value_server(tmp_path_factory):
    _require_browser()
    from tests.tiny_value import build_value_snapshot

    snap = build_value_snapshot(tmp_path_factory.mktemp("e2e-value") / "snap")
    log = tmp_path_factory.mktemp("e2e-value-log") / "streamlit.log"
    server = srv.start_server(srv.server_env(snap.path, {"OPENROUTER_API_KEY": FAKE_KEY}), log)
    yield server
    server.stop()


def _active(page, key: str) -> str:
    return page.locator(f".st-key-{key} button[role='radio'][aria-checked='true']").inner_text().strip()


def test_value_view_survives_a_shared_link(value_server, page, context_factory):
    srv.open_page(page, f"{value_server.url}/value?lab=openai")
    assert _active(page, "index") == "intelligence"
    assert srv.metric_values(page) == ["100.0%", "100.0%", "41.3%"]
    before = srv.runs(page)
    page.locator(".st-key-index button[role='radio']").filter(has_text=re.compile("^coding$")).click()
    srv.wait_rerun(page, before)
    page.wait_for_url(re.compile(r"index=coding"))
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"lab": ["openai"], "index": ["coding"]}
    assert srv.metric_values(page) == ["100.0%", "100.0%", "84.3%"]

    other = context_factory().new_page()
    srv.open_page(other, shared)
    assert _active(other, "index") == "coding"
    assert srv.metric_values(other) == ["100.0%", "100.0%", "84.3%"]
    assert other.locator(srv.EXCEPTION).count() == 0
    text = other.locator("[data-testid='stApp']").inner_text()
    assert "The focus, OpenAI" in text and "no score on this index (1): OpenAI: GPT-5" in text


def test_a_split_in_the_link_prices_the_value_page(value_server, page):
    """``split=3:1`` (the Spend page's key) in a link: Mistral Medium is off the near-frontier
    band at 3:1 (tests/pages/test_value.py, brute force: closed on or near 81.5%), the
    address keeps the split and the slider shows it."""
    srv.open_page(page, f"{value_server.url}/value?split=3%3A1")
    assert srv.metric_values(page) == ["100.0%", "81.5%", "41.3%"]
    assert parse_qs(urlsplit(page.url).query).get("split") == ["3:1"]
    assert "3:1" in page.locator(".st-key-split").inner_text()
    assert page.locator(srv.EXCEPTION).count() == 0
