"""The Categories page: without a category table, on known weekly estimates, and with
categories in the URL."""

import pytest

from tests.apptest import metric
from tests.pages.apprun import open_page, warnings, assert_page_basics


def test_categories_without_a_category_table(on_tiny):
    at = open_page("views/categories.py")
    assert_page_basics(at)
    assert any("no category table" in i.value for i in at.info)


def test_categories_page(on_snapshot, category_snapshot):
    on_snapshot(category_snapshot)
    at = open_page("views/categories.py")
    assert metric(at, "Programming (estimate)") == "90.0%"
    assert metric(at, "Roleplay (estimate)") == "80.0%"
    assert at.multiselect(key="category").value == ["programming", "roleplay"]


def test_categories_in_the_url(on_snapshot, category_snapshot):
    on_snapshot(category_snapshot)
    at = open_page("views/categories.py", {"category": ["roleplay", "astrology"]})
    assert at.multiselect(key="category").value == ["roleplay"]
    assert any("`astrology`" in w for w in warnings(at))
    with pytest.raises(AssertionError):
        metric(at, "Programming")
