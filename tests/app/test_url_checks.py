"""Checking what a URL asks for against what the filters accept: one notice per problem,
shortened and summarised; dates clamped into the snapshot. Pure functions, no Streamlit."""

import datetime as dt

import pytest

from tokenshare.app.urlcheck import check_url_params, clamp_dates

LABS = {"deepseek": "DeepSeek", "arcee-ai": "Arcee AI"}
COUNTRIES = {"US": "United States", "CN": "China"}
D0, D1 = dt.date(2025, 1, 1), dt.date(2026, 11, 22)


def check(**raw):
    return check_url_params(
        {k: v if isinstance(v, list) else [v] for k, v in raw.items()},
        lab_options=LABS, country_options=COUNTRIES, data_start=D0, data_end=D1,
        page_choices={"by": {"openness": 1, "lab": 1}},
    ).notices


def test_valid_url_has_no_notice():
    assert check(country="US", lab=["arcee-ai", "deepseek"], grain="week", top="10",
                 start="2026-01-01", end="2026-06-30", by="lab") == []


@pytest.mark.parametrize("raw, fragment", [
    ({"lab": "nope"}, "unknown lab `nope`"),
    ({"country": "USA"}, "unknown country code `USA`"),
    ({"grain": "fortnight"}, "`grain=fortnight`"),
    ({"top": "abc"}, "`top=abc`"),
    ({"top": "1000"}, "`top=1000`"),
    ({"start": "2026-02-30"}, "YYYY-MM-DD"),
    ({"start": "yesterday"}, "YYYY-MM-DD"),
    ({"end": "1999-01-01"}, "covers 2025-01-01 to 2026-11-22"),
    ({"by": "vibes"}, "`by=vibes`"),
    ({"start": "2026-06-01", "end": "2026-01-01"}, "swapped"),
    ({"grain": ["week", "month"]}, "only one value is used"),
])
def test_bad_values_get_a_notice(raw, fragment):
    notices = check(**raw)
    assert len(notices) == 1 and fragment in notices[0], notices


def test_many_unknown_labs_are_summarised():
    notices = check(lab=[f"lab{i}" for i in range(300)])
    assert any("repeats `lab` 300 times" in n for n in notices)
    assert any("and 295 more" in n for n in notices)


def test_notice_text_is_shortened():
    notices = check(lab="x" * 5000)
    assert len(notices[0]) < 200


def test_clamp_dates():
    assert clamp_dates(None, None, D0, D1) == (D0, D1)
    assert clamp_dates(dt.date(2030, 1, 1), dt.date(2020, 1, 1), D0, D1) == (D0, D1)
    assert clamp_dates(dt.date(2026, 5, 1), dt.date(2026, 2, 1), D0, D1) == (dt.date(2026, 2, 1), dt.date(2026, 5, 1))
