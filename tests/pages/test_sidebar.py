"""The global filters in the sidebar: set from the URL, narrowed by country, bad URL
values reported while the view still works, and an empty selection explained."""

import pytest

from tests.apptest import metric
from tests.pages.apprun import run_app, assert_clean


def test_url_filters_set_the_widgets(on_tiny):
    at = run_app({"country": "US", "lab": "arcee-ai", "grain": "week"}, page="views/race.py")
    assert_clean(at)
    assert at.multiselect(key="country").value == ["US"]
    assert at.multiselect(key="lab").value == ["arcee-ai"]
    # the filters choose the focus; the race is over every open-weight lab: W3 a day,
    # DeepSeek 150, Qwen 100, Arcee 30, OpenAI 20, sao10k 10
    assert metric(at, "Leader") == "DeepSeek"
    assert metric(at, "Arcee AI: rank among open-weight labs") == "#3 of 5"
    assert not at.warning


def test_url_country_narrows_lab_choices(on_tiny):
    at = run_app({"country": "FR"})
    assert_clean(at)
    assert at.multiselect(key="lab").options == ["mistralai"]


@pytest.mark.parametrize("params, fragment", [
    ({"lab": "no-such-lab"}, "unknown lab `no-such-lab`"),
    ({"country": "ZZ"}, "unknown country code `ZZ`"),
    ({"grain": "fortnight"}, "`grain=fortnight`"),
    ({"top": "many"}, "`top=many`"),
    ({"start": "not-a-date"}, "YYYY-MM-DD"),
    ({"by": "vibes"}, "`by=vibes`"),
    ({"lab": "'; DROP TABLE usage; --"}, "unknown lab"),
])
def test_bad_url_values_give_a_notice_and_the_view_still_works(on_tiny, params, fragment):
    at = run_app(params)
    assert_clean(at)
    assert any(fragment in w.value for w in at.warning), [w.value for w in at.warning]
    assert metric(at, "Open-weight share") == "62.0%"


def test_empty_selection_shows_friendly_state(on_tiny):
    # arcee-ai has no tokens in week 1 alone
    at = run_app({"lab": "arcee-ai", "start": "2026-01-05", "end": "2026-01-11"})
    assert_clean(at)
    assert any("No " in i.value for i in at.info)
