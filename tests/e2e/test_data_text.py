"""Data is text in the browser: every page of app.py, served on a snapshot whose every
text field plants Markdown, HTML and links and images to a planted URL (tests/planted.py),
shows the planted text literally, and the page holds no link, image or other element
pointing at it, and the browser never requests it: not on load, not in an opened
expander, not in a help tooltip, not in a chart tooltip.

One server for the module (the planted snapshot is its TOKENSHARE_SNAPSHOT), a fresh
browser context per page, and every request of that context recorded."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import _serve
from tests.e2e.pages import app_page_entries
from tests.hostile import tried
from tests.planted import FIELDS, FOLDER, PLANTED_URL, build_planted_snapshot
from tokenshare.app.text import WORD_JOINER

pytestmark = pytest.mark.browser

VISITED = ["" if e["default"] else e["url_path"] for e in app_page_entries() if not e["hidden"]]
# Query strings that bring every planted value onto its page: a focus and the country
# pages' lab lists, the animated race of models, and notices that list what the URL
# could have asked for (categories, snapshots).
QUERY = {
    "": "?country=US&country=CN",
    "countries": "?country=US&country=CN",
    "race-animated": "?race_by=models",
    "launches": "?launch=nope",
    "segments": "?category=nope",
    "compare": f"?old=sample&new={quote(FOLDER, safe='')}",
    "data": "?view=nope",
}
# Elements whose attributes would make the browser fetch or link a URL.
URL_ATTRIBUTES_JS = """() => {
    const attrs = ['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data', 'xlink:href', 'background'];
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        for (const a of attrs) {
            const v = el.getAttribute(a);
            // a heading's own anchor (#united-states-x-http-...-planted) stays on the page
            if (v && !v.startsWith('#') && v.toLowerCase().includes('planted')) found.push(`<${el.tagName.toLowerCase()} ${a}="${v}">`);
        }
        const style = el.getAttribute('style');
        if (style && style.toLowerCase().includes('planted')) found.push(`<${el.tagName.toLowerCase()} style="${style}">`);
    }
    return found;
}"""
STREAMLIT_LOGO = "img[alt='Streamlit logo']"  # what :streamlit: becomes in Streamlit's Markdown
HELP_ICONS = "[data-testid='stTooltipHoverTarget']"
VEGA_TOOLTIP = "#vg-tooltip-element"
MAX_HELP_ICONS = 12  # per page: enough to cover every help that quotes data


@pytest.fixture(scope="module")
def planted_server(tmp_path_factory, request):
    snapshot = build_planted_snapshot(tmp_path_factory.mktemp("planted-e2e"))
    yield from _serve(snapshot.path, tmp_path_factory, request, "planted")


def _planted_links(page) -> list[str]:
    return page.evaluate(URL_ATTRIBUTES_JS)


def _open_expanders(page) -> int:
    """Open every expander on the page (each may rerun the page as it opens)."""
    opened = 0
    for i in range(page.locator("[data-testid='stExpander'] details").count()):
        details = page.locator("[data-testid='stExpander'] details").nth(i)
        if details.get_attribute("open") is not None:
            continue
        before = srv.runs(page)
        details.locator("summary").click()
        opened += 1
        srv.wait_rerun_if_any(page, before)  # most expanders draw what they hold already
        srv.wait_idle(page)
    return opened


def _hover_help_icons(page) -> list[str]:
    """Hover the help icons one by one; what each tooltip linked or showed as an image."""
    bad = []
    icons = page.locator(HELP_ICONS)
    for i in range(min(icons.count(), MAX_HELP_ICONS)):
        icon = icons.nth(i)
        if not icon.is_visible():
            continue
        # forced: a chart or the header can lie over an icon near it; the hover still
        # lands on the icon's own box once it is scrolled into view
        icon.scroll_into_view_if_needed(timeout=5_000)
        icon.hover(force=True, timeout=5_000)
        page.wait_for_timeout(250)
        bad += _planted_links(page)
        page.mouse.move(0, 0)
    return bad


@pytest.mark.parametrize("url_path", VISITED)
def test_planted_text_is_shown_as_text(planted_server, context_factory, url_path):
    context = context_factory()
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    opened = f"{planted_server.url}/{url_path}{QUERY.get(url_path, '')}"
    srv.open_page(page, opened)
    srv.wait_charts_drawn(page)
    assert page.locator(srv.EXCEPTION).count() == 0, page.locator(srv.EXCEPTION).all_inner_texts()

    # The planted text is on the page, as text: the footer's citation quotes the as_of
    # (with invisible word joiners where GFM would have linked a bare URL).
    text = page.locator("[data-testid='stApp']").inner_text().replace(WORD_JOINER, "")
    assert f"![i]({PLANTED_URL}.png)" in text and "**bold**" in text and ":red[red]" in text

    bad = _planted_links(page)
    _open_expanders(page)
    srv.wait_charts_drawn(page)
    bad += _planted_links(page)
    bad += _hover_help_icons(page)
    assert not bad, bad
    assert page.locator(STREAMLIT_LOGO).count() == 0
    page.wait_for_timeout(300)  # an image the page would load has been asked for by now
    # (the page's own URL names the planted folder on /compare: not a request to it)
    asked = [u for u in requested if "planted" in u.lower() and u != opened]
    assert not asked, asked
    tried("data-text", len(FIELDS))


def test_chart_tooltips_show_names_as_text(planted_server, context_factory):
    """Hover the animated race's bars (model names, planted) until Vega's tooltip shows
    one: it holds the name as text, with no link or image."""
    context = context_factory()
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    page = context.new_page()
    srv.open_page(page, f"{planted_server.url}/race-animated?race_by=models&scope=all")
    srv.wait_charts_drawn(page, at_least=1)
    box = page.locator(srv.CHARTS).first.bounding_box()
    shown = None
    for fy in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
        for fx in (0.45, 0.35, 0.25, 0.55):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            page.wait_for_timeout(150)
            tip = page.locator(VEGA_TOOLTIP)
            if tip.count() and tip.is_visible() and "planted" in tip.inner_text():
                shown = tip
                break
        if shown is not None:
            break
    assert shown is not None, "no chart tooltip with a planted name appeared"
    assert f"[x]({PLANTED_URL})" in shown.inner_text()
    assert shown.locator("a, img").count() == 0, shown.inner_html()
    assert not _planted_links(page)
    assert not [u for u in requested if "planted" in u.lower()]
    tried("data-text")
