"""Free vs paid on the pages (AppTest), on tests/tiny_tiers.py: the Share page's free
section and headline under each tier, the Countries model table's free part, and the
Data page's spells and variants (figures by hand in tests/tiny_tiers.py)."""

import pytest

from tests import tiny_tiers as tt
from tests.apptest import metric
from tests.pages.apprun import assert_clean, run_app, text_of


@pytest.fixture(scope="module")
def tiers_snapshot(tmp_path_factory):
    return tt.build(tmp_path_factory.mktemp("tiers-app") / "snap")


@pytest.mark.parametrize("tier,headline", [(None, "46.2%"), ("free", "75.0%"), ("paid", "40.3%")])
def test_share_under_each_tier(on_snapshot, tiers_snapshot, tier, headline):
    on_snapshot(tiers_snapshot)
    at = run_app({"tier": tier} if tier else None)
    assert_clean(at)
    assert metric(at, "Open-weight share") == headline  # W2: 1505/3255, 420/560, 1085/2695
    # the free section counts both tiers whatever the filter: 420/1505 and 140/1750 in the
    # ranked lists. Issue 21: e/base (open, paid, in the catalogue, never ranked) is live and
    # absent every day, with at most min(cut 5 (d/orphan:free), other 10) = 5 a day, 35 in
    # W2: the free share of open-weight tokens is 420 / (1505 + 35) = 27.27% to 420 / 1505 =
    # 27.91%, said "between 27.2% and 28.0%"; no closed entry is hidden: 8.0%
    assert ("Free: between 27.2% and 28.0% (27.9% in the ranked lists) of open-weight tokens, 8.0% of closed"
            in text_of(at))


def test_countries_and_data_pages(on_snapshot, tiers_snapshot):
    on_snapshot(tiers_snapshot)
    at = run_app({"country": "US"}, page="views/countries.py")  # labs a and c
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "Free" in d.value.columns)
    free = dict(zip(table["Model"], table["Free"]))
    # over both weeks: a/open 700 of 2100, c/closed 140 of 3360 (W1 230x7 + W2 250x7)
    assert free == {"A: Open": "33.3%", "C: Closed": "4.2%"}
    assert not any(":free" in m for m in table["Model"])
    at = run_app(page="views/data.py")
    assert_clean(at)
    text = text_of(at)
    assert "1 model(s) opened their weights after launch" in text
    assert "6 variant permaslug(s), 4 of them `:free`; 1 whose base model is not listed." in text


def test_spend_with_free_tokens_only_says_there_is_nothing_to_estimate(on_snapshot, tiers_snapshot):
    on_snapshot(tiers_snapshot)
    at = run_app({"tier": "free"}, page="views/spend.py")
    assert_clean(at)
    assert any("which cost nothing" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")
