"""The Providers page and the Spend page's pricing choice in Chromium: a click writes
price= / pricing= to the address bar, and that address, opened in a fresh browser
context, reopens the same view with the same figures (tests/tiny_providers.py's
figures by hand). One server for the module, on the tiny snapshot with providers."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import FAKE_KEY, _require_browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def providers_server(tmp_path_factory):
    _require_browser()
    from tests.tiny_providers import build_providers_snapshot

    snap = build_providers_snapshot(tmp_path_factory.mktemp("e2e-prov") / "snap")
    log = tmp_path_factory.mktemp("e2e-prov-log") / "streamlit.log"
    server = srv.start_server(srv.server_env(snap.path, {"OPENROUTER_API_KEY": FAKE_KEY}), log)
    yield server
    server.stop()


def _active(page, key: str) -> str:
    return page.locator(f".st-key-{key} button[role='radio'][aria-checked='true']").inner_text().strip()


def _click(page, key: str, label: str) -> None:
    before = srv.runs(page)
    page.locator(f".st-key-{key} button[role='radio']").filter(has_text=re.compile(f"^{label}$")).click()
    srv.wait_rerun(page, before)


def _clean(page) -> None:
    assert page.locator(srv.EXCEPTION).count() == 0
    assert page.locator(srv.ALERT).filter(has_text="Ignored").count() == 0


def test_providers_view_survives_a_shared_link(providers_server, page, context_factory):
    srv.open_page(page, f"{providers_server.url}/providers?openness=open")
    assert _active(page, "price") == "blended"
    # open models only: median 2 providers, spread 2.5x; no closed model in view
    assert srv.metric_values(page) == ["2", "2.5x", "–", "–"]
    _click(page, "price", "completion")
    page.wait_for_url(re.compile(r"price=completion"))
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"openness": ["open"], "price": ["completion"]}
    # completion prices: DeepSeek 0.8 to 2.4 (3.0x), Qwen 1.2 to 2.4 (2.0x): median 2.5x
    assert srv.metric_values(page) == ["2", "2.5x", "–", "–"]

    other = context_factory().new_page()
    srv.open_page(other, shared)
    assert _active(other, "price") == "completion"
    assert srv.metric_values(other) == srv.metric_values(page)
    assert "Open-weight models: median 2 providers (2-3), price spread 2.5x." in other.inner_text("body")
    assert "2026-01-28" in other.inner_text("body")
    _clean(other)
    assert srv.wait_charts_drawn(other) >= 2


def test_spend_pricing_survives_a_shared_link(providers_server, page, context_factory):
    srv.open_page(page, f"{providers_server.url}/spend")
    assert _active(page, "pricing") == "catalogue"
    assert srv.metric_values(page)[0] == "27.6%"
    _click(page, "pricing", "median")
    page.wait_for_url(re.compile(r"pricing=median"))
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"pricing": ["median"]}
    assert srv.metric_values(page)[0] == "29.9%"  # tests/analysis/test_providers.py, by hand

    other = context_factory().new_page()
    srv.open_page(other, shared)
    assert _active(other, "pricing") == "median"
    assert srv.metric_values(other) == srv.metric_values(page)
    assert "median provider" in other.inner_text("body")
    _clean(other)
    assert srv.wait_charts_drawn(other) >= 2  # the sensitivity chart and the open tab's (By weights)
