"""The Segments page lives in the URL: choosing a split and its segments writes
dimension= and segment= to the address bar, and that address, opened in a fresh
browser context, reopens the same view; old /categories links open the category split.
On tests/tiny.py with the category and segment fixtures (figures by hand in
tests/tiny_segments.py and tests/tiny_launches.py)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import _serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def segments_server(tmp_path_factory, request):
    from tests.tiny import build_tiny_snapshot
    from tests.tiny_launches import category_rows
    from tests.tiny_segments import segment_rows

    snap = build_tiny_snapshot(tmp_path_factory.mktemp("e2e-seg") / "snap", usage_by_category=category_rows(),
                               usage_by_segment=segment_rows())
    yield from _serve(snap.path, tmp_path_factory, request, "segments")


def _segment_tags(page) -> list[str]:
    tags = page.locator(".st-key-segment [data-testid='stMultiSelect'] [data-tag]")
    return [t.get_attribute("aria-label") or "" for t in tags.all()]


def test_a_segments_link_reopens_the_same_view(segments_server, page, context_factory):
    srv.open_page(page, f"{segments_server.url}/segments")
    assert "Programming (estimate)" in page.inner_text("body")  # the category split by default
    before = srv.runs(page)
    page.locator(".st-key-dimension button").filter(has_text=re.compile(r"^modality$")).click()
    srv.wait_rerun(page, before)
    page.wait_for_url(re.compile(r"dimension=modality"))
    srv.wait_idle(page)
    # drop text output: tool calling alone
    before = srv.runs(page)
    page.locator(".st-key-segment [data-testid='stMultiSelect'] [data-tag]").filter(has_text="text").locator(
        "[role='presentation'], svg").first.click()
    srv.wait_rerun(page, before)
    page.wait_for_url(re.compile(r"segment=tool_calling"))
    srv.wait_idle(page)
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"dimension": ["modality"], "segment": ["tool_calling"]}
    # W3 (the latest complete week): tool calling 60 open of 150 named
    assert srv.metric_values(page) == ["40.0%"]

    other = context_factory().new_page()  # fresh cookies, storage and session
    srv.open_page(other, shared)
    assert _segment_tags(other) == _segment_tags(page)
    assert srv.metric_values(other) == ["40.0%"]
    assert "Tool calling" in other.inner_text("body")
    assert other.locator(srv.ALERT).filter(has_text="Ignored").count() == 0
    assert other.locator(srv.EXCEPTION).count() == 0
    assert srv.wait_charts_drawn(other) >= 3


def test_an_old_categories_link_opens_the_category_split(segments_server, page):
    srv.open_page(page, f"{segments_server.url}/categories?category=roleplay")
    assert srv.metric_values(page) == ["80.0%"]  # roleplay: open 80 of named 100
    body = page.inner_text("body")
    assert "Roleplay (estimate)" in body and "Page not found" not in body
    assert page.locator(srv.EXCEPTION).count() == 0
