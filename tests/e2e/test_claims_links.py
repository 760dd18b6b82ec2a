"""The Claims page in a real browser (the session's tiny-snapshot server): every evidence
link on it, in the cards and in the "what changed" block, is an address of this app that
opens the right page with the right filters in a fresh browser context."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import server as srv

pytestmark = pytest.mark.browser

TITLES = {  # url path -> the page's title (h1)
    "/share": "Who carries OpenRouter's tokens?",
    "/race": "The lab rivalry race",
    "/launches": "Launches: the jump, and how much of it held",
    "/spend": "Spend vs tokens (estimate)",
    "/data": "The data behind every view",
}
FILTERS = "?lab=arcee-ai&grain=month&start=2026-01-12"


def evidence_links(page) -> list[tuple[str, str]]:
    """(label, href) of every link in the cards' Evidence lines and the digest block."""
    found = page.evaluate("""() => {
        const out = [];
        for (const p of document.querySelectorAll("[data-testid='stMain'] p, [data-testid='stMain'] li")) {
            const inCard = p.textContent.startsWith('Evidence:');
            const inDigest = !!p.closest('.st-key-digest');
            if (!inCard && !inDigest) continue;
            for (const a of p.querySelectorAll('a')) out.push([a.textContent, a.href]);
        }
        return out;
    }""")
    return [tuple(x) for x in found]


def test_every_evidence_link_opens_its_view_with_its_filters(app_server, context_factory):
    app_server.fresh = False
    page = context_factory().new_page()
    srv.open_page(page, f"{app_server.url}/claims{FILTERS}")
    assert page.locator(srv.EXCEPTION).count() == 0
    assert page.locator("h1").first.inner_text() == "Does the open-model story hold?"
    links = evidence_links(page)
    assert len(links) >= 10, links  # 9 in the cards, 4 in the digest
    pages = set()
    # a view linked twice (a card and the digest) is opened once: the same address
    for href in dict.fromkeys(h for _, h in links):
        url = urlsplit(href)
        assert f"{url.scheme}://{url.netloc}" == app_server.url, href  # an address of this app
        assert url.path in TITLES, href
        asked = parse_qs(url.query)
        other = context_factory().new_page()  # a fresh context: only the URL carries the view
        srv.open_page(other, href)
        assert other.locator(srv.EXCEPTION).count() == 0, href
        assert other.locator("h1").first.inner_text() == TITLES[url.path], href
        assert other.locator(srv.ALERT).filter(has_text="Ignored").count() == 0, href
        assert parse_qs(urlsplit(other.url).query) == asked, (href, other.url)
        if "lab" in asked:
            assert srv.selected(other, "lab") == asked["lab"], href
        if "country" in asked:
            assert srv.selected(other, "country") == asked["country"], href
        if "view" in asked:
            assert srv.selectbox_value(other, "view") == asked["view"][0]
        if "scope" in asked:
            on = other.locator(".st-key-scope button[aria-pressed='true'], .st-key-scope [aria-checked='true']")
            assert asked["scope"][0] in on.all_inner_texts()[0].lower(), href
        pages.add(url.path)
        other.context.close()
    assert pages == set(TITLES)
    # the card links carry the sidebar's filters
    share = next(h for label, h in links if label == "Share page, same filters")
    assert parse_qs(urlsplit(share).query) == {"start": ["2026-01-12"], "grain": ["month"], "lab": ["arcee-ai"]}
