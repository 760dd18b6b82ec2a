"""The Race page on the tiny snapshot and on the sample with a shared URL."""

import pytest

from tests.apptest import markdown_tables, metric
from tests.pages.apprun import assert_clean, open_page, run_app, warnings


def test_race_on_tiny(on_tiny):
    at = run_app(page="views/race.py")
    assert_clean(at)
    assert metric(at, "Leader") == "DeepSeek"
    assert metric(at, "Lead changes") == "2"


def test_sample_race_page_with_shared_url(on_sample):
    at = run_app({"country": "US", "lab": "arcee-ai", "grain": "week"}, page="views/race.py")
    assert_clean(at)
    # the lab filter chooses the focus: the race is still run over every open-weight lab
    # (figures checked independently in tests/pages/test_focus.py)
    assert not metric(at, "Leader").startswith("Arcee")
    assert metric(at, "Arcee AI: rank among open-weight labs").startswith("#")


def test_who_held_first_keeps_to_the_datas_days(on_tiny):
    # the tiny snapshot runs from Monday 5 to Tuesday 27 January 2026; the range starts on
    # Wednesday 7: the first spell starts on the 7th (not Monday the 5th) and the current one
    # ends on the 27th (not Sunday 1 February), each saying its week is partial
    at = run_app({"start": "2026-01-07"}, page="views/race.py")
    assert_clean(at)
    table = next(df for df in markdown_tables(at) if "Leader" in df.columns)
    assert table["From"].iloc[0] == "2026-01-07" and table["To"].iloc[-1] == "2026-01-27"
    assert table["Partial period"].iloc[0] == "first week partial (data from 2026-01-07)"
    assert table["Partial period"].iloc[-1] == "last week partial (data to 2026-01-27)"
    assert (table["Partial period"].iloc[1:-1] == "").all()


# What each tab below the bump chart draws, by its section heading.
DETAIL_HEADINGS = {"Leaders": "Who held #1, and for how long", "Shares": "Share of the top labs"}


@pytest.mark.parametrize("detail", [None, "Leaders", "Shares", "shares", "Who held #1"])
def test_race_draws_only_the_open_tab(on_tiny, detail):
    """The tabs below the bump chart (URL key ``detail``): only the open tab's section and
    chart are drawn (the bump chart above them always); no key, or one that is not a
    tab's label, opens Leaders, and a bad one is named in the Ignored notice."""
    at = open_page("views/race.py", {"detail": detail} if detail else {})
    opened = detail if detail in DETAIL_HEADINGS else "Leaders"
    headings = [h.value for h in at.subheader]
    assert [k for k, h in DETAIL_HEADINGS.items() if h in headings] == [opened]
    assert len(at.get("vega_lite_chart")) == 2
    assert bool(markdown_tables(at)) == (opened == "Leaders")  # the "Who held #1" table
    assert any(f"Ignored `detail={detail}`" in w for w in warnings(at)) == (detail in ("shares", "Who held #1"))
    assert metric(at, "Lead changes in range") == "2"  # above the tabs (test_race_on_tiny's figure)
