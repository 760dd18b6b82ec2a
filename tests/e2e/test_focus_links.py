"""Shared links with a focus, in a real browser on the bundled sample (the session's
sample server, as a visitor gets the app): a link with a lab or country focus, and one
with field=focus, reopen the same view in a fresh browser context; the yardstick switch
writes field=focus to the URL and it survives a page switch."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import server as srv

pytestmark = pytest.mark.browser

FIELD_ON = ".st-key-field [role='radio'][aria-checked='true']"


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def view_of(page) -> dict:
    """What a visitor sees that a link must bring back."""
    return {"metrics": srv.metric_values(page), "field": page.locator(FIELD_ON).all_inner_texts(),
            "country": srv.selected(page, "country"), "lab": srv.selected(page, "lab"),
            "h1": page.locator("h1").first.inner_text()}


@pytest.mark.parametrize("link", ["/race?country=US&lab=arcee-ai", "/?lab=arcee-ai", "/race?country=US"])
def test_a_link_with_a_focus_reopens_the_same_view(sample_server, context_factory, link):
    sample_server.fresh = False
    first = context_factory().new_page()
    srv.open_page(first, sample_server.url + link)
    seen = view_of(first)
    assert seen["field"] == ["all"]  # the whole market is the yardstick by default
    assert seen["metrics"] and first.locator(srv.EXCEPTION).count() == 0
    if link.startswith("/race"):
        assert seen["metrics"][0] != "Arcee AI"  # the real leader, not the focus
        # a rank, or a rank range where the focus's labs were below the daily top 50
        assert re.fullmatch(r"#\d+ of \d+|#\d+–#\d+", seen["metrics"][2]), seen["metrics"]
    again = context_factory().new_page()  # fresh cookies, storage and session
    srv.open_page(again, first.url)
    assert view_of(again) == seen
    assert query(again.url) == query(first.url)


def test_the_yardstick_switch_goes_to_the_url_and_the_link_reopens_it(sample_server, context_factory):
    sample_server.fresh = False
    page = context_factory().new_page()
    srv.open_page(page, sample_server.url + "/?lab=arcee-ai")
    market = srv.metric_values(page)
    before = srv.runs(page)
    page.locator(".st-key-field [role='radio']", has_text="focus").click()
    page.wait_for_url(re.compile(r"field=focus"))
    srv.wait_rerun(page, before)
    srv.wait_idle(page)
    narrowed = view_of(page)
    assert narrowed["field"] == ["focus"] and narrowed["metrics"] != market
    assert narrowed["metrics"][0] == "100.0%"  # the open-weight share of Arcee AI's own tokens...
    captions = page.locator("[data-testid='stCaptionContainer']").all_inner_texts()
    assert any("All of Arcee AI's tokens" in t for t in captions)  # ...said in words
    assert query(page.url) == {"lab": ["arcee-ai"], "field": ["focus"]}

    other = context_factory().new_page()
    srv.open_page(other, page.url)
    assert view_of(other) == narrowed

    # the switch is kept across pages: the race among the focus only
    before = srv.runs(other)
    other.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Race", exact=True).click()
    other.wait_for_url(re.compile(r"/race\?"))
    srv.wait_rerun(other, before)
    srv.wait_idle(other)
    assert query(other.url) == {"lab": ["arcee-ai"], "field": ["focus"]}
    assert other.locator(FIELD_ON).all_inner_texts() == ["focus"]
    assert srv.metric_values(other)[:2] == ["Arcee AI", "0"]
    assert other.locator(srv.EXCEPTION).count() == 0
