"""A rerun with nothing changed works nothing out again (issue 25): the second run of a
page with the same filters (another widget, a click, another visitor on the same link)
finds every figure it needs in the app's cache. A key that changes on every rerun (an
object's id, a fresh frame's repr) would make each rerun pay the page's pandas again:
on Claims its eight verdicts, on Race its bump chart's grid, a third of their script
time and the larger part of what a visitor waited for after a change."""

from __future__ import annotations

import pytest

from tests.pages.apprun import assert_clean, run_app
from tokenshare.app import cache

PAGES = ["views/claims.py", "views/race.py"]
# every kind of entry a page's figures are kept under
KINDS = ("query", "derived", "claims", "chart", "tail")


def misses() -> dict[str, int]:
    kinds = cache.stats()["kinds"]
    return {k: kinds.get(k, {}).get("misses", 0) for k in KINDS}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("filters", [{}, {"grain": "month", "lab": "arcee-ai"}])
def test_a_second_rerun_with_the_same_filters_works_nothing_out(on_sample, page, filters):
    at = run_app(filters, page=page)
    assert_clean(at)
    first = misses()
    at.run()
    assert_clean(at)
    assert misses() == first, f"the second run missed the cache: before {first}, after {misses()}"
    # and the first run did work its figures out (the counts move when something is made)
    cache.clear()
    before = misses()
    at.run()
    assert_clean(at)
    made = {k: v - before[k] for k, v in misses().items()}
    assert made["derived"] > 0 and made["query"] > 0, made
    if page == "views/claims.py":
        assert made["claims"] >= 3, made  # the figures, the verdicts, card 4's US figures
