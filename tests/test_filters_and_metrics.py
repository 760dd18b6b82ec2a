"""URL checking, headline figures and number formatting: pure functions, no Streamlit."""

import datetime as dt

import pandas as pd
import pytest

from tokenshare.app.urlcheck import check_url_params, clamp_dates
from tokenshare.core.formatting import human_tokens, pct, pp_delta
from tokenshare.analysis.metrics import csv_with_citation, open_share_headline

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


def frame(shares, partial_last=True, named=100):
    n = len(shares)
    periods = pd.date_range("2026-01-05", periods=n, freq="7D")
    return pd.DataFrame({
        "period": periods, "period_end": periods + pd.Timedelta(days=6),
        "is_partial": [False] * (n - 1) + [partial_last],
        "open_tokens": [s * named for s in shares], "closed_tokens": [(1 - s) * named for s in shares],
        "named_tokens": [named] * n, "open_share": shares,
    })


def test_headline_skips_partial_and_compares_four_back():
    h = open_share_headline(frame([0.3, 0.45, 0.55, 0.48, 0.6, 0.7, 0.9]))
    assert h.share == 0.7 and h.previous_share == 0.45
    assert h.delta == pytest.approx(0.25)
    assert h.first_passed == pd.Timestamp("2026-01-19")
    assert h.above_since == pd.Timestamp("2026-02-02")
    assert h.skipped_partial == pd.Timestamp("2026-02-16")


def test_headline_with_only_partial_periods():
    h = open_share_headline(frame([0.8], partial_last=True))
    assert h.share == 0.8 and h.partial_used


def test_headline_with_no_named_volume():
    h = open_share_headline(frame([0.5, 0.5], named=0))
    assert h.share is None


@pytest.mark.parametrize("n, text", [
    (3.2e12, "3.2T"), (840e9, "840B"), (12.34e6, "12.3M"), (1500, "1.5K"), (950, "950"),
    (0, "0"), (1.25e12, "1.25T"), (999.96e9, "1T"), (None, "–"),
])
def test_human_tokens(n, text):
    assert human_tokens(n) == text


def test_percentages():
    assert pct(0.6912) == "69.1%"
    assert pp_delta(0.023) == "+2.3 pp"


def test_csv_carries_citation():
    out = csv_with_citation(pd.DataFrame({"a": [1]}), ["Source: X.", "Licensed under CC BY 4.0."]).decode()
    assert out.splitlines()[:3] == ["# Source: X.", "# Licensed under CC BY 4.0.", "a"]


def test_latest_overtake():
    from tokenshare.analysis.metrics import latest_overtake
    periods = pd.date_range("2026-01-05", periods=5, freq="7D")
    rows = []
    for p, a, b in zip(periods, [1, 3, 1, 5, 6], [2, 2, 2, 2, 2]):
        rows += [{"period": p, "is_partial": False, "series": "A", "tokens": a},
                 {"period": p, "is_partial": False, "series": "B", "tokens": b}]
    out = latest_overtake(pd.DataFrame(rows), "A", "B")
    # B ahead, A ahead (wk2), B ahead (wk3), A ahead from wk4 on: 3 crossings before the last run
    assert out["ahead"] == "A" and out["since"] == periods[3] and out["crossings"] == 3


def test_chart_svg_export_renders_an_svg_of_the_chart():
    from tests.tiny import FIRST_DAY  # noqa: F401  (keeps the import side-effect free)
    from tokenshare.app import charts, interactions

    df = pd.DataFrame({
        "period": pd.to_datetime(["2026-01-05", "2026-01-12"]), "period_end": pd.to_datetime(["2026-01-11", "2026-01-18"]),
        "is_partial": [False, False], "series": ["Open weights", "Open weights"], "series_order": [1, 1],
        "tokens": [10, 20], "share": [0.4, 0.5],
    })
    svg = interactions.chart_svg(charts.share_lines(df)).decode()
    assert svg.lstrip().startswith("<svg") and "Open weights" in svg
