"""Share this view in a browser: the control's canonical link, opened in a fresh
browser context, reopens the same view (the same figures and the same link); its embed
snippet's address keeps the filters without Streamlit's header and menu; and the PNG card it
downloads is a valid 1200 x 675 PNG (saved under test-artifacts/ to look at)."""

from __future__ import annotations

import struct
from urllib.parse import urljoin

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
CONTROL = ".st-key-share-this-view"


def open_control(page) -> list[str]:
    """Open Share this view; the texts of its code blocks (link, description, embed)."""
    before = srv.runs(page)
    page.locator(f"{CONTROL} summary").click()
    srv.wait_rerun(page, before)
    srv.wait_idle(page)
    codes = page.locator(f"{CONTROL} [data-testid='stCode'] code")
    codes.nth(2).wait_for(timeout=30_000)
    return [c.inner_text().strip() for c in codes.all()]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", data[:16]
    return struct.unpack(">II", data[16:24])


def test_the_link_reopens_the_view_and_the_card_is_a_png(app_server, page, context_factory):
    srv.open_page(page, f"{app_server.url}/share?lab=arcee-ai&grain=week&by=lab&openness=open&top=5")
    link, description, embed = open_control(page)
    assert page.title() == "Arcee AI: share of OpenRouter's tokens · tokenshare"  # the tab says what it shows
    assert link == "./share?openness=open&lab=arcee-ai&top=5&by=lab"
    assert "labs: Arcee AI" in description and "open-weight models only" in description
    figures = srv.metric_values(page)

    fresh = context_factory().new_page()  # no cookies, storage or session from the first
    srv.open_page(fresh, urljoin(app_server.url + "/", link))
    assert srv.metric_values(fresh) == figures
    assert fresh.locator(srv.ALERT).filter(has_text="Ignored").count() == 0
    assert open_control(fresh)[0] == link

    # the embed snippet's address: the same figures, without the sidebar
    src = embed.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert src.endswith("&embed=true")
    embedded = context_factory().new_page()
    srv.open_page(embedded, urljoin(app_server.url + "/", src))
    assert srv.metric_values(embedded) == figures
    # embedded: no Streamlit header or toolbar (the main menu) above the page
    assert not embedded.locator("[data-testid='stToolbar']").is_visible()
    assert not embedded.locator("[data-testid='stMainMenu']").is_visible()

    with page.expect_download(timeout=60_000) as got:
        page.locator(CONTROL).get_by_role("button", name="PNG card (1200 × 675)").click()
    data = open(got.value.path(), "rb").read()
    assert png_size(data) == (1200, 675)
    assert len(data) > 40_000  # a chart's lines and labels, not a near-empty card
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "share-card-tiny.png").write_bytes(data)


@pytest.mark.parametrize("path", ["race", "countries"])
def test_cards_of_other_pages(app_server, page, path):
    srv.open_page(page, f"{app_server.url}/{path}?grain=week")
    open_control(page)
    with page.expect_download(timeout=60_000) as got:
        page.locator(CONTROL).get_by_role("button", name="PNG card (1200 × 675)").click()
    data = open(got.value.path(), "rb").read()
    assert png_size(data) == (1200, 675)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"share-card-{path}.png").write_bytes(data)
