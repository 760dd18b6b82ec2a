"""The Segments page's named queries: hand-worked figures on a tiny fixture with two
segments per dimension (tests/tiny_segments.py), and the same figures computed with
separate pandas code from the sample's Parquet files."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.tiny import WEEKS
from tests.tiny_segments import build_segment_snapshot
from tokenshare.analysis import segments as seg
from tokenshare.data.snapshot.layout import MODELS_FILE, SEGMENT_FILE, USAGE_FILE
from tokenshare.data.published.locate import SAMPLE_DIR
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.engine.db import SnapshotDB

W1, W3 = WEEKS[0], WEEKS[2]
RANGE = {"start": W1, "end": W3 + dt.timedelta(days=6), "countries": [], "labs": []}


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory):
    snap = build_segment_snapshot(tmp_path_factory.mktemp("seg") / "snap")
    db = SnapshotDB(snap, derived=False)
    yield db
    db.con.close()


def test_open_share_by_week_hand_worked(tiny_db):
    df = tiny_db.query("segment_open_share", dimension="modality", grain="week", **RANGE)
    got = {(r.period.date(), r.segment): r.open_share for r in df.itertuples()}
    assert got[(W1, "text")] == pytest.approx(0.5)
    assert got[(W1, "tool_calling")] == pytest.approx(30 / 120)
    assert got[(W3, "tool_calling")] == pytest.approx(60 / 150)
    tc = df[(df["segment"] == "tool_calling") & (df["period"] == pd.Timestamp(W1))].iloc[0]
    assert (tc.open_tokens, tc.closed_tokens, tc.unclassified_tokens) == (7 * 30, 7 * 90, 7 * 5)
    assert not df["is_partial"].any() and not df["is_estimate"].any()
    # by day: one row per day and segment; the W4 days are outside the range asked
    daily = tiny_db.query("segment_open_share", dimension="modality", grain="day", **RANGE)
    assert len(daily) == 21 * 2
    latest, partial_only = seg.latest_period(daily)
    assert latest == pd.Timestamp(W3 + dt.timedelta(days=6)) and not partial_only


def test_estimates_are_weekly_whatever_the_grain(tiny_db):
    df = tiny_db.query("segment_open_share", dimension="language", grain="month", **RANGE)
    assert sorted({p.date() for p in df["period"]}) == WEEKS[:3]
    assert df["is_estimate"].all()
    prog = df[df["segment"] == "programming"]["open_share"]
    assert list(prog) == pytest.approx([0.7, 0.7, 0.7])
    assert list(df[df["segment"] == "natural"]["open_share"]) == pytest.approx([0.2] * 3)


def test_mix_hand_worked(tiny_db):
    mix = tiny_db.query("segment_mix", dimension="modality", **RANGE).set_index("segment")
    assert mix.loc["tool_calling", "open_mix"] == pytest.approx(840 / 5110)
    assert mix.loc["tool_calling", "closed_mix"] == pytest.approx(1890 / 4690)
    assert mix.loc["text", "open_mix"] == pytest.approx(2100 / 5110)
    assert mix.loc["text", "closed_mix"] == pytest.approx(2100 / 4690)
    assert set(mix["yardstick"]) == {"usage"}
    lang = tiny_db.query("segment_mix", dimension="language", **RANGE).set_index("segment")
    assert lang.loc["programming", "open_mix"] == pytest.approx(70 / 90)
    assert lang.loc["programming", "closed_mix"] == pytest.approx(30 / 110)
    assert lang["open_mix"].sum() == pytest.approx(1.0) and set(lang["yardstick"]) == {"segments"}
    lines = seg.mix_sentences("language", lang.reset_index())
    assert lines[0] == "Programming: 77.8% of open-weight tokens, 27.3% of closed"


def test_leaders_hand_worked(tiny_db):
    df = tiny_db.query("segment_leaders", dimension="modality", openness="all", limit=3, **RANGE)
    tc = df[df["segment"] == "tool_calling"]
    assert list(tc["lab_name"]) == ["OpenAI", "DeepSeek", "retired"]
    assert list(tc["tokens"]) == [1890, 840, 105]
    assert tc.iloc[0]["share"] == pytest.approx(1890 / 3045)
    assert tc.iloc[0]["lab_open_share"] == pytest.approx(0.0) and tc.iloc[1]["lab_open_share"] == pytest.approx(1.0)
    assert pd.isna(tc.iloc[2]["lab_open_share"])  # unclassified only
    # a focus narrows who is ranked, not the segment's total
    focus = tiny_db.query("segment_leaders", dimension="modality", openness="all", limit=3,
                          **{**RANGE, "labs": ["deepseek"]})
    row = focus[focus["segment"] == "tool_calling"].iloc[0]
    assert row["lab_name"] == "DeepSeek" and row["share"] == pytest.approx(840 / 3045)


def test_segment_list_orders_and_flags(tiny_db):
    df = tiny_db.query("segment_list")
    assert set(df["dimension"]) == {"modality", "language"}  # no category table here
    assert df.set_index(["dimension", "segment"]).loc[("language", "natural"), "is_estimate"]
    assert seg.ordered("context", ["1M", "100K", "10K", "1K", "10M"]) == ["1K", "10K", "100K", "1M", "10M"]


# ------------------------------------------------------------------ the sample, in pandas


@pytest.fixture(scope="module")
def sample():
    snap = load_snapshot(SAMPLE_DIR)
    db = SnapshotDB(snap, derived=False)
    yield snap, db
    db.con.close()


def _pandas_frames(snap):
    s = pd.read_parquet(snap.file(SEGMENT_FILE))
    m = pd.read_parquet(snap.file(MODELS_FILE))[["model_permaslug", "open_weights"]]
    u = pd.read_parquet(snap.file(USAGE_FILE))
    for d in (s, u):
        d["date"] = pd.to_datetime(d["date"])
    return s.merge(m, on="model_permaslug", how="left"), u.merge(m, on="model_permaslug", how="left")


@pytest.mark.parametrize("dim", ["modality", "context", "language"])
def test_sample_figures_equal_pandas(sample, dim):
    snap, db = sample
    start, end = dt.date(2026, 9, 7), dt.date(2026, 11, 22)
    p = {"start": start, "end": end, "countries": [], "labs": []}
    s, u = _pandas_frames(snap)
    weekly = dim == "language"
    lo = pd.Timestamp(start - dt.timedelta(days=start.weekday())) if weekly else pd.Timestamp(start)
    s = s[(s["dimension"] == dim) & (s["date"] >= lo) & (s["date"] <= pd.Timestamp(end))]
    op = s[s["open_weights"] == True]  # noqa: E712  (NULL is neither)
    cl = s[s["open_weights"] == False]  # noqa: E712
    # open-weight share per week and segment
    key = s["date"].dt.to_period("W-SUN").dt.start_time
    o = op.groupby([key[op.index], op["segment"]])["total_tokens"].sum()
    c = cl.groupby([key[cl.index], cl["segment"]])["total_tokens"].sum()
    expected = (o / o.add(c, fill_value=0)).fillna(0)
    got = db.query("segment_open_share", dimension=dim, grain="week", **p).set_index(["period", "segment"])
    for (week, segment), share in expected.items():
        assert got.loc[(week, segment), "open_share"] == pytest.approx(share, rel=1e-12)
    # the mix
    mix = db.query("segment_mix", dimension=dim, **p).set_index("segment")
    if dim == "modality":
        uu = u[(u["date"] >= pd.Timestamp(start)) & (u["date"] <= pd.Timestamp(end))]
        open_total = uu[uu["open_weights"] == True]["total_tokens"].sum()  # noqa: E712
    else:
        open_total = op["total_tokens"].sum()
    for segment, tokens in op.groupby("segment")["total_tokens"].sum().items():
        assert mix.loc[segment, "open_mix"] == pytest.approx(tokens / open_total, rel=1e-12)


def test_a_model_that_opens_mid_range_counts_open_from_that_day(tmp_path):
    """DeepSeek V3's weights published on W3's Monday (2026-01-19): closed before, so its
    segment tokens move from open to closed in W1 and W2 (tests/tiny_segments.py)."""
    from tests.tiny import MODELS, build_tiny_snapshot
    from tests.tiny_segments import segment_rows

    models = [{**m, "open_weights_since": W3 if m["model_permaslug"] == "deepseek/deepseek-v3" else None}
              for m in MODELS]
    snap = build_tiny_snapshot(tmp_path / "s", models=models, usage_by_segment=segment_rows())
    db = SnapshotDB(snap, derived=False)
    try:
        df = db.query("segment_open_share", dimension="modality", grain="week", **RANGE)
        got = {(r.period.date(), r.segment): r.open_share for r in df.itertuples()}
        assert got[(W1, "tool_calling")] == pytest.approx(0.0)  # 30 + 90 closed
        assert got[(W3, "tool_calling")] == pytest.approx(60 / 150)
        assert got[(W1, "text")] == pytest.approx(0.0) and got[(W3, "text")] == pytest.approx(0.5)
        lang = db.query("segment_open_share", dimension="language", grain="week", **RANGE)
        prog = {r.period.date(): r.open_share for r in lang.itertuples() if r.segment == "programming"}
        assert prog == pytest.approx({W1: 0.0, WEEKS[1]: 0.0, W3: 0.7})  # weekly: from the week starting on it
    finally:
        db.con.close()
