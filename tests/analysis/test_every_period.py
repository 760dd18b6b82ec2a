"""on_every_period and free_share_lines, built by positions for speed, against the
plain pandas way (a cross join of periods and series, a merge on the names, a sort)
on the bundled sample's real query results: every breakdown, grain and volume, both
ways of treating an absent series, and a filter that leaves periods empty."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tokenshare.analysis.metrics import on_every_period
from tokenshare.analysis.tiers import free_share_lines
from tokenshare.core.settings import SAMPLE_DIR as SAMPLE
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.engine.db import SnapshotDB


def merged(df: pd.DataFrame, periods: pd.DataFrame, absent: str) -> pd.DataFrame:
    """The reference: what on_every_period did before it was rewritten."""
    keys = [c for c in ("series", "series_order") if c in df]
    grid = periods[["period", "period_end", "is_partial"]].drop_duplicates().merge(
        df[keys].drop_duplicates(subset=["series"]), how="cross")
    out = grid.merge(df.drop(columns=["period_end", "is_partial"]), on=["period", *keys], how="left")
    missing = out["tokens"].isna()
    if absent == "gap":
        empty_period = ~out["period"].isin(df["period"])
        for col in ("tokens", "share"):
            out[col] = out[col].astype("float64").mask(missing & ~empty_period, 0.0)
    else:
        out["tokens"] = out["tokens"].fillna(0).astype("int64")
        out["share"] = out["share"].fillna(0.0)
    return out.sort_values(["period", *keys[1:]], kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def sample_db():
    snap = load_snapshot(SAMPLE)
    db = SnapshotDB(snap, derived=False)
    yield snap, db
    db.close()


CASES = [(by, grain, volume, share_of, labs)
         for by in ("openness", "lab", "country") for grain in ("day", "week", "month")
         for volume in ("named", "all") for share_of in ("selection", "market")
         for labs in ([], ["arcee-ai"])]


@pytest.mark.parametrize("absent", ["zero", "gap"])
def test_on_every_period_equals_the_merge(sample_db, absent):
    snap, db = sample_db
    checked = 0
    for by, grain, volume, share_of, labs in CASES:
        params = dict(start=snap.start_date, end=snap.end_date, grain=grain, openness="all", countries=[],
                      labs=labs, top=5, breakdown=by, volume=volume, share_of=share_of)
        series = db.query("share_by_series", **params)
        periods = db.query("open_share_by_period", **params)
        if series.empty:
            continue
        got = on_every_period(series, periods, absent=absent)
        want = merged(series, periods, absent)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_dtype=True)
        checked += 1
    assert checked == len(CASES)


def test_gap_where_a_period_has_no_rows_at_all():
    """A filter whose lab has no tokens in some weeks: those weeks are blanks, not 0."""
    w = [pd.Timestamp(dt.date(2026, 1, 5)) + pd.Timedelta(days=7 * i) for i in range(3)]
    periods = pd.DataFrame({"period": w, "period_end": [p + pd.Timedelta(days=6) for p in w],
                            "is_partial": [False, False, True]})
    df = pd.DataFrame({"period": [w[0], w[2]], "period_end": [w[0] + pd.Timedelta(days=6), w[2] + pd.Timedelta(days=6)],
                       "is_partial": [False, True], "series": ["A", "B"], "series_order": [1, 2],
                       "tokens": [10, 4], "share": [1.0, 1.0]})
    for absent in ("zero", "gap"):
        pd.testing.assert_frame_equal(on_every_period(df, periods, absent=absent), merged(df, periods, absent))
    gap = on_every_period(df, periods, absent="gap")
    assert np.isnan(gap.loc[(gap["period"] == w[1]), "share"]).all()  # nobody had tokens in week 2
    assert gap.loc[(gap["period"] == w[0]) & (gap["series"] == "B"), "share"].item() == 0.0


def test_free_share_lines_equals_the_concat(sample_db):
    snap, db = sample_db
    for grain in ("day", "week", "month"):
        free = db.query("free_share_by_period", start=snap.start_date, end=snap.end_date, grain=grain,
                        countries=[], labs=[])
        parts = []
        for order, (col, tokens, label) in enumerate((("free_share_of_open", "open_free_tokens", "Open weights"),
                                                      ("free_share_of_closed", "closed_free_tokens", "Closed"))):
            part = free[["period", "period_end", "is_partial"]].copy()
            part["series"], part["series_order"] = label, order
            part["share"], part["tokens"] = free[col], free[tokens]
            parts.append(part)
        want = pd.concat(parts, ignore_index=True)
        pd.testing.assert_frame_equal(free_share_lines(free), want)


def test_focus_share_lines_equals_the_melt(sample_db):
    from tokenshare.analysis.metrics import focus_share_lines

    snap, db = sample_db
    for grain, countries in (("week", ["US"]), ("month", ["CN"]), ("day", ["US", "FR"])):
        fshare = db.query("focus_share_by_period", start=snap.start_date, end=snap.end_date, grain=grain,
                          countries=countries, labs=[], field="all")
        assert not fshare.empty
        want = fshare.melt(id_vars=["period", "period_end", "is_partial"],
                           value_vars=["share_of_named", "share_of_open"], var_name="measure", value_name="share")
        want["series"] = want["measure"].map({"share_of_named": "Of all named tokens",
                                              "share_of_open": "Of open-weight tokens"})
        want["series_order"] = want["measure"].map({"share_of_named": 0, "share_of_open": 1})
        want["tokens"] = fshare["focus_named_tokens"].tolist() + fshare["focus_open_tokens"].tolist()
        want = want[["period", "period_end", "is_partial", "series", "series_order", "share", "tokens"]]
        pd.testing.assert_frame_equal(focus_share_lines(fshare), want)
