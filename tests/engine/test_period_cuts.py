"""Weeks and months cut by the range: the pre-summed weekly and monthly tables hold the
whole periods inside the range, the days of the periods cut at either end are added from
the daily rows, and no day counts twice or goes missing. Checked against a plain sum of
tests/tiny.py's daily rows (pandas, no app code) for ranges that start and end on every
weekday boundary that matters: a Sunday, a Monday, mid-week; and by day, every day.
The build queries behind it: "setup_macro_period_first_full", "setup_macro_period_last_full",
"setup_macro_selected_periods", "setup_macro_period_flags" (the periods listed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.tiny import MODELS, tiny_usage

OPEN = {m["model_permaslug"] for m in MODELS if m["open_weights"]}
CLOSED = {m["model_permaslug"] for m in MODELS if not m["open_weights"]}


def by_hand(start: dt.date, end: dt.date, grain: str) -> pd.DataFrame:
    u = pd.DataFrame(tiny_usage())
    u = u[(u["date"] >= start) & (u["date"] <= end)]
    d = pd.to_datetime(u["date"])
    u = u.assign(period=d if grain == "day" else (d - pd.to_timedelta(d.dt.weekday, unit="D")) if grain == "week"
                 else d.dt.to_period("M").dt.start_time)
    open_t = u[u["model_permaslug"].isin(OPEN)].groupby("period")["total_tokens"].sum()
    closed_t = u[u["model_permaslug"].isin(CLOSED)].groupby("period")["total_tokens"].sum()
    return pd.DataFrame({"open": open_t, "closed": closed_t}).fillna(0).astype(int)


@pytest.mark.parametrize("start, end", [
    (dt.date(2026, 1, 5), dt.date(2026, 1, 27)),  # Monday to the data's last day (a Tuesday)
    (dt.date(2026, 1, 7), dt.date(2026, 1, 21)),  # Wednesday to Wednesday
    (dt.date(2026, 1, 11), dt.date(2026, 1, 19)),  # a Sunday to a Monday: two one-day weeks around W2
    (dt.date(2026, 1, 12), dt.date(2026, 1, 18)),  # exactly one whole week
    (dt.date(2026, 1, 13), dt.date(2026, 1, 17)),  # inside one week
    (dt.date(2026, 1, 6), dt.date(2026, 1, 25)),  # a Tuesday to a Sunday
])
@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_tokens_by_period_equal_the_daily_rows_summed(tiny_db, start, end, grain):
    got = tiny_db.query("open_share_by_period", start=start, end=end, grain=grain, countries=[], labs=[])
    want = by_hand(start, end, grain)
    assert [p.date() for p in got["period"]] == [p.date() for p in want.index]
    assert got["open_tokens"].tolist() == want["open"].tolist()
    assert got["closed_tokens"].tolist() == want["closed"].tolist()


def test_free_tokens_of_whole_weeks_are_summed_over_their_days(tmp_path):
    """Whole weeks come from the pre-summed weekly table ("setup_fact_week"): its free
    tokens are the week's days summed, not its largest day. tests/tiny_tiers.py by hand:
    W1 open free 50 x 7 = 350, closed 0; W2 open (50 + 10) x 7 = 420, closed 20 x 7 = 140."""
    from tests import tiny_tiers
    from tokenshare.engine.db import SnapshotDB

    db = SnapshotDB(tiny_tiers.build(tmp_path / "snap"), derived=False)
    try:
        got = db.query("free_share_by_period", start=tiny_tiers.W1, end=tiny_tiers.LAST_DAY, grain="week",
                       countries=[], labs=[])
    finally:
        db.close()
    assert [p.date() for p in got["period"]] == [tiny_tiers.W1, tiny_tiers.W2]
    assert got["open_free_tokens"].tolist() == [350, 420]
    assert got["closed_free_tokens"].fillna(0).tolist() == [0, 140]
