"""Every page of app.py in a real browser, on the snapshot a visitor gets (the bundled
sample unless data/snapshots/ holds a refreshed one): its charts are drawn (a Vega
canvas or SVG in each), there is no exception and no "Page not found" dialog, the
sidebar lists every visible page, the fake API key in the server's environment
appears nowhere in the page, and no Markdown plugin is fetched."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import FAKE_KEY
from tests.e2e.pages import MIN_CHARTS, PAGE_QUERY, app_page_entries

pytestmark = pytest.mark.browser


# Hidden aliases (/share is the default page's file again) are covered elsewhere
# (test_browser.py opens /share), so each page file is drawn once here.
VISITED = ["" if e["default"] else e["url_path"] for e in app_page_entries() if not e["hidden"]]


@pytest.mark.parametrize("url_path", VISITED)
def test_every_page_renders(sample_server, page, url_path):
    sample_server.fresh = False
    requested = []
    page.on("request", lambda r: requested.append(r.url.rsplit("/", 1)[-1]))
    srv.open_page(page, f"{sample_server.url}/{url_path}{PAGE_QUERY.get(url_path, '')}")
    n = srv.wait_charts_drawn(page, at_least=MIN_CHARTS.get(url_path, 0))
    shown = page.locator("[data-testid='stDataFrame'], [data-testid='stTable'], [data-testid='stAlert']").count()
    assert n + shown >= 1, f"/{url_path} shows no chart, table or message"
    assert page.locator(srv.DRAWN_CHARTS).count() >= n
    assert page.locator(srv.EXCEPTION).count() == 0, page.locator(srv.EXCEPTION).all_inner_texts()
    assert page.locator("[role='dialog']").count() == 0, page.locator("[role='dialog']").all_inner_texts()
    assert page.locator("h1").count() >= 1
    # every page ends with the source line and the snapshot id
    assert "Snapshot" in page.locator("[data-testid='stCaptionContainer']").all_inner_texts()[-1]
    # the sidebar lists every visible page of app.py
    hrefs = [urlsplit(a.get_attribute("href")).path.strip("/")
             for a in page.locator("[data-testid='stSidebarNav'] a").all()]
    assert sorted(hrefs) == sorted(VISITED)
    assert FAKE_KEY not in page.content()
    # no text asked for Streamlit's emoji or formula plugin (tests/markdown_plugins.py): a
    # footer time written 02:00:00 fetched 265 kB of emoji code on every first load
    assert any(u.startswith("StreamlitMarkdown.") for u in requested), requested  # the watch sees chunks
    assert not [u for u in requested if u.startswith(("remark-emoji.", "rehype-katex."))], requested


def test_the_key_is_in_no_log_line(sample_server):
    """After every page was drawn (the tests above), the server's log never shows the key."""
    log = sample_server.log()
    assert "TESTKEY" not in log and FAKE_KEY not in log


@pytest.mark.parametrize("url_path", ["launches", "providers"])
def test_a_long_table_opens_its_grid_on_demand(sample_server, page, url_path):
    """The first load draws the table's first 10 rows as text and no grid (whose code is
    the largest the page would load); opening "All N ... in a sortable grid" reruns the
    page and draws the grid."""
    sample_server.fresh = False
    srv.open_page(page, f"{sample_server.url}/{url_path}")
    srv.wait_charts_drawn(page, at_least=1)
    grids = page.locator("[data-testid='stDataFrame']")
    assert grids.count() == 0
    assert page.locator("[data-testid='stMarkdownContainer'] table tbody tr").count() == 10
    summary = page.locator("[data-testid='stExpander']").filter(has_text="in a sortable grid").locator("summary")
    assert int(summary.inner_text().split("All ")[1].split()[0].replace(",", "")) > 10
    before = srv.runs(page)
    summary.click()
    srv.wait_rerun_if_any(page, before)
    srv.wait_idle(page)
    grids.first.wait_for(state="visible", timeout=20_000)
    assert grids.count() == 1
    assert page.locator(srv.EXCEPTION).count() == 0
