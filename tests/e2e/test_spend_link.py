"""The Spend page's assumptions live in the URL: moving the split and cached-share
sliders writes split= and cached= to the address bar, and that address, opened in a
fresh browser context, reopens the same estimate (tests/tiny.py's figures by hand)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import server as srv

pytestmark = pytest.mark.browser


def _slider_value(page, key: str) -> str:
    return page.locator(f".st-key-{key} input[type='range']").get_attribute("aria-valuetext") or ""


def _step_right(page, key: str) -> None:
    before = srv.runs(page)
    page.locator(f".st-key-{key} input[type='range']").focus()
    page.keyboard.press("ArrowRight")
    srv.wait_rerun(page, before)


def test_split_and_cached_share_survive_a_shared_link(app_server, page, context_factory):
    srv.open_page(page, f"{app_server.url}/spend")
    assert _slider_value(page, "split") == "15:1" and _slider_value(page, "cached") == "0"
    assert srv.metric_values(page)[0] == "27.6%"  # W3 at the default 15:1 (tests/pages/test_spend.py)
    _step_right(page, "split")  # 15:1 -> 20:1
    page.wait_for_url(re.compile(r"split=20(%3A|:)1"))
    _step_right(page, "cached")  # 0 -> 10
    page.wait_for_url(re.compile(r"cached=10"))
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"split": ["20:1"], "cached": ["10"]}
    # W3 a day at 20:1 (no cache prices in the fixture): open 310 x 7.2/21, GPT-5 150 x
    # 35/21, Mistral 40 x 10/21 -> 2232 / (2232 + 5250 + 400) = 28.3%
    assert srv.metric_values(page)[0] == "28.3%"

    other = context_factory().new_page()  # fresh cookies, storage and session
    srv.open_page(other, shared)
    assert _slider_value(other, "split") == "20:1" and _slider_value(other, "cached") == "10"
    assert srv.metric_values(other) == srv.metric_values(page)
    assert "20:1 prompt:completion split, 10% of prompt tokens cached" in other.inner_text("body")
    assert "between 24.4% and 29.9%, 27.6% at the default" in other.inner_text("body")
    assert other.locator(srv.ALERT).filter(has_text="Ignored").count() == 0
    assert other.locator(srv.EXCEPTION).count() == 0
    assert srv.wait_charts_drawn(other) >= 2  # the sensitivity chart and the open tab's (By weights)


def _open_tab(page) -> str:
    return page.locator("[data-testid='stTab'][aria-selected='true']").inner_text().strip()


def test_a_detail_tab_is_drawn_when_picked_and_kept_in_the_link(app_server, page, context_factory):
    """The detail tabs draw only the open one: picking Over time reruns the page, writes
    section= to the address bar and draws the lines in place of the weights bars; the
    address reopens that tab in a fresh context."""
    srv.open_page(page, f"{app_server.url}/spend")
    assert _open_tab(page) == "By weights" and srv.wait_charts_drawn(page, 2) == 2
    body = page.inner_text("body")
    assert "Tokens vs estimated spend, by weights" in body and "Open-weight share over time" not in body
    before = srv.runs(page)
    page.locator("[data-testid='stTab']", has_text="Over time").click()
    srv.wait_rerun(page, before)
    page.wait_for_url(re.compile(r"section=Over(\+|%20)time"))
    assert _open_tab(page) == "Over time" and srv.wait_charts_drawn(page, 2) == 2
    body = page.inner_text("body")
    assert "Open-weight share over time" in body and "Tokens vs estimated spend, by weights" not in body

    other = context_factory().new_page()
    srv.open_page(other, page.url)
    assert _open_tab(other) == "Over time"
    assert "Open-weight share over time" in other.inner_text("body")
    assert srv.wait_charts_drawn(other, 2) == 2
    assert other.locator(srv.ALERT).filter(has_text="Ignored").count() == 0
