"""Headline figures, overtakes, number formatting and the CSV citation: pure functions
over DataFrames, no Streamlit."""

import pandas as pd
import pytest

from tokenshare.analysis.metrics import csv_with_citation, open_share_headline
from tokenshare.core.formatting import as_of_text, human_tokens, pct, pp_delta


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


def test_on_every_period_with_gaps_by_hand():
    # by hand: periods P1, P2, P3; series a has rows in P1 (5 tokens) and P2 (3), b only in
    # P1 (2), and P3 has no row at all. With absent="gap": a and b keep their figures, b
    # is a true 0 in P2 (the period has other rows), and both are blank (NaN) in P3.
    from tokenshare.analysis.metrics import on_every_period

    p = pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19"])
    periods = pd.DataFrame({"period": p, "period_end": p + pd.Timedelta(days=6), "is_partial": False})
    df = pd.DataFrame({"period": [p[0], p[0], p[1]], "period_end": [p[0] + pd.Timedelta(days=6)] * 2
                       + [p[1] + pd.Timedelta(days=6)], "is_partial": False, "series": ["a", "b", "a"],
                       "series_order": [0, 1, 0], "tokens": [5, 2, 3], "share": [5 / 7, 2 / 7, 1.0]})
    out = on_every_period(df, periods, absent="gap")
    assert out["series"].tolist() == ["a", "b"] * 3
    assert out["tokens"].tolist()[:4] == [5, 2, 3, 0] and out["tokens"].iloc[4:].isna().all()
    assert out["share"].tolist()[:4] == [5 / 7, 2 / 7, 1.0, 0.0] and out["share"].iloc[4:].isna().all()


@pytest.mark.parametrize("value, text", [
    ("2026-11-23T02:00:00Z", "2026-11-23 02:00 UTC"),          # the manifest's form
    ("2026-11-23T02:00:59.9Z", "2026-11-23 02:00 UTC"),        # seconds dropped, not rounded up
    ("2026-11-23T01:30:00+02:00", "2026-11-22 23:30 UTC"),     # an offset, turned into UTC across midnight
    ("2026-11-23T02:00:00", "2026-11-23 02:00 UTC"),           # no offset: taken as UTC
    ("2026-11-23 02:00:00Z", "2026-11-23 02:00 UTC"),
    ("2026-11-23", "2026-11-23"),                               # a date alone gets no time
    ("2026-13-40T99:00:00Z", "2026-13-40T99:00:00Z"),           # not a time: its text
    ("unknown", "unknown"), ("", ""), (None, ""),
])
def test_as_of_text(value, text):
    assert as_of_text(value) == text
    assert as_of_text(value).count(":") <= 1 or as_of_text(value) == value  # one colon: no ":00:" left

