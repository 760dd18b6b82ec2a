"""Issue 15, failure 8, in the browser: a query from the URL longer than the limit
reaches the workbench whole (the text area no longer cuts it at 20,000 characters, which
made the page run the first 20,000 without a word) and is refused with the limit."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e import server as srv
from tests.hostile import tried
from tokenshare.engine import workbench as wb

pytestmark = pytest.mark.browser


def test_an_over_long_query_in_the_url_is_refused_whole(app_server, page):
    q = "SELECT 1 AS one" + " " * (wb.MAX_SQL_CHARS + 24) + "-- end"
    assert len(q) == 20_045
    srv.open_page(page, f"{app_server.url}/workbench?sql={quote(q)}")
    assert len(page.locator(".st-key-sql textarea").input_value()) == 20_045
    assert any("20,045 characters" in a and "up to 20,000" in a for a in srv.alerts(page))
    assert page.get_by_text("1 row").count() == 0  # nothing ran
    assert page.locator(srv.EXCEPTION).count() == 0
    tried("workbench")
