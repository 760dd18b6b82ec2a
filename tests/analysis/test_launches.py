"""Launch impact checked against figures worked out by hand on a fixture with known
steps (tests/tiny_launches.py has the table and the arithmetic)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.tiny_launches import L_FIRST_DAY, L_LAST_DAY, build_launch_snapshot, day
from tokenshare.app import charts
from tokenshare.analysis import launches
from tokenshare.engine.db import SnapshotDB

ALL = dict(start=L_FIRST_DAY, end=L_LAST_DAY, openness="all", countries=[], labs=[])


@pytest.fixture(scope="module")
def launch_db(tmp_path_factory):
    db = SnapshotDB(build_launch_snapshot(tmp_path_factory.mktemp("launch") / "snap"))
    yield db
    db.close()


@pytest.fixture(scope="module")
def impact(launch_db):
    return launch_db.query("launch_impact", **ALL).set_index("model_permaslug", drop=False)


def test_launch_days(launch_db):
    df = launch_db.query("launches", **ALL).set_index("model_permaslug")
    # first day in the usage data ...
    assert df.loc["deepseek/deepseek-v4", "launch_day"].date() == day(21)
    # ... or released_at when earlier: Qwen3 Next is released on day 10, first in the data on day 17
    assert df.loc["qwen/qwen3-next", "first_seen"].date() == day(17)
    assert df.loc["qwen/qwen3-next", "launch_day"].date() == day(10)
    # models already out on the first day of data are "before the data"
    assert bool(df.loc["deepseek/deepseek-v3", "before_data"])
    assert not bool(df.loc["openai/gpt-5.5", "before_data"])
    # V4's first 28 days: 50*7 + 200*7 + 150*7 + 120*7
    assert df.loc["deepseek/deepseek-v4", "first_4w_tokens"] == (50 + 200 + 150 + 120) * 7


def test_only_launches_inside_the_data_are_measured(impact):
    assert sorted(impact.index) == ["arcee-ai/trinity", "deepseek/deepseek-v4", "openai/gpt-5.5", "qwen/qwen3-next"]


def test_deepseek_v4_by_hand(impact):
    r = impact.loc["deepseek/deepseek-v4"]
    # before = days 7-20, V3 alone at 100; weeks after: V4 + V3 (100 until day 34, then 80)
    assert r["before"] == pytest.approx(100)
    assert [r[f"w{k}"] for k in range(7)] == pytest.approx([150, 300, 230, 200, 180, 180, 160])
    assert r["jump"] == pytest.approx(3.0)  # 300 / 100
    assert r["plateau"] == pytest.approx(180)  # median(200, 180, 180, 160)
    assert r["peak"] == pytest.approx(300)  # week 1
    assert r["hold"] == pytest.approx(0.6)  # 180 / 300
    assert r["share_w4"] == pytest.approx(100 / 180)  # V4 100 of the lab's 180 in week 4


def test_release_before_first_usage_has_too_little_history_before(impact):
    r = impact.loc["qwen/qwen3-next"]
    # launch day 10: the 14 days before start on day -4, before the data
    assert pd.isna(r["before"]) and pd.isna(r["jump"])
    assert r["w0"] == pytest.approx(50)  # only Qwen3 235B until day 17
    assert r["w1"] == pytest.approx(120)
    assert r["plateau"] == pytest.approx(120) and r["hold"] == pytest.approx(1.0)
    assert r["share_w4"] == pytest.approx(70 / 120)
    assert launches.why_missing(r, "jump") == (
        "too little history: only 10 days of data before the launch (needs 14)")


def test_first_model_of_a_lab(impact):
    r = impact.loc["arcee-ai/trinity"]
    assert r["before"] == 0 and pd.isna(r["jump"])
    assert launches.why_missing(r, "jump") == "no tokens before: the lab's first model in the data"
    # week 6 (days 70-76) ends after the data (day 69): no plateau, peak or hold
    assert pd.isna(r["w6"]) and pd.isna(r["plateau"]) and pd.isna(r["hold"])
    assert launches.why_missing(r, "plateau") == "too little history: only 42 days of data from the launch on"
    assert r["share_w4"] == pytest.approx(1.0)


def test_launch_at_the_end_of_the_data(impact):
    r = impact.loc["openai/gpt-5.5"]
    assert r["before"] == pytest.approx(200)
    assert r["w0"] == pytest.approx(500)  # 200 + 300
    for col in ("w1", "jump", "plateau", "hold", "share_w4"):
        assert pd.isna(r[col])
    assert launches.why_missing(r, "jump") == "too little history: only 7 days of data from the launch on"


def test_impact_table_says_why_instead_of_a_number(impact):
    table = launches.impact_table(impact.reset_index(drop=True)).set_index("model_permaslug")
    # largest jump first, launches without a jump after it
    assert table.index[0] == "deepseek/deepseek-v4"
    v4 = table.loc["deepseek/deepseek-v4"]
    assert (v4["Jump"], v4["Plateau"], v4["Hold"], v4["Share of lab, week 4"]) == ("×3.00", "180", "60%", "56%")
    assert v4["Note"] == ""
    gpt = table.loc["openai/gpt-5.5"]
    assert gpt["Jump"] == gpt["Hold"] == gpt["Share of lab, week 4"] == "too little history"
    assert gpt["Note"] == "jump, plateau, hold, week-4 share: too little history: only 7 days of data from the launch on"
    arcee = table.loc["arcee-ai/trinity"]
    assert arcee["Jump"] == "lab's first model" and arcee["Hold"] == "too little history"


def test_largest_jump_and_levels(impact):
    best = launches.largest_jump(impact.reset_index(drop=True))
    assert best["model_permaslug"] == "deepseek/deepseek-v4"
    lv = launches.levels(best).set_index("level")
    assert lv.loc["Before (14-day mean)", "tokens"] == 100
    assert lv.loc["Week 1 after (jump)", "tokens"] == 300
    assert lv.loc["Plateau (median of weeks 3-6)", "tokens"] == 180
    assert lv.loc["Before (14-day mean)", "from_date"].date() == day(7)


def test_launch_filters(launch_db):
    open_only = launch_db.query("launch_impact", **{**ALL, "openness": "closed"})
    assert open_only["model_permaslug"].tolist() == ["openai/gpt-5.5"]
    cn = launch_db.query("launch_impact", **{**ALL, "countries": ["CN"]})
    assert set(cn["model_permaslug"]) == {"deepseek/deepseek-v4", "qwen/qwen3-next"}
    lab = launch_db.query("launch_impact", **{**ALL, "labs": ["arcee-ai"]})
    assert lab["model_permaslug"].tolist() == ["arcee-ai/trinity"]
    # the date range picks launches, not the days the metrics use
    late = launch_db.query("launch_impact", **{**ALL, "start": day(20), "end": day(22)})
    assert late["model_permaslug"].tolist() == ["deepseek/deepseek-v4"]
    assert late["jump"].iloc[0] == pytest.approx(3.0)


def test_lab_daily_around_a_launch(launch_db):
    df = launch_db.query("launch_lab_daily", lab_name="Arcee AI", model_permaslug="arcee-ai/trinity",
                         launch_day=day(28), days_before=28, days_after=56)
    # day -28 is the first day of data; days after the data (past day 69) are left out
    assert df["date"].iloc[0].date() == day(0) and df["date"].iloc[-1].date() == day(69)
    assert df["day"].iloc[0] == -28
    # before the launch the lab has no rows: 0, not missing
    assert (df.loc[df["day"] < 0, "lab_tokens"] == 0).all()
    assert (df.loc[df["day"] >= 0, "model_tokens"] == 40).all()


def test_launch_markers_biggest_first(launch_db):
    m = launch_db.query("launch_markers", **ALL, limit=2)
    # first 28 days: V4 3640, GPT-5.5 300 x 7 = 2100 (data ends), Qwen3 Next 70 x 21, Trinity 40 x 28
    assert m["model_permaslug"].tolist() == ["deepseek/deepseek-v4", "openai/gpt-5.5"]


def test_launch_rules_layer_on_a_time_series(launch_db):
    markers = launch_db.query("launch_markers", **ALL, limit=5)
    base = charts.alt.Chart(pd.DataFrame({"period": pd.to_datetime([L_FIRST_DAY, L_LAST_DAY]), "y": [0, 1]})) \
        .mark_line().encode(x="period:T", y="y:Q").properties(height=200)
    spec = charts.with_launch_markers(base, markers).to_dict()
    rule = spec["layer"][1]
    assert rule["mark"]["type"] == "rule"
    assert [t["field"] for t in rule["encoding"]["tooltip"]][:2] == ["model_name", "lab_name"]
    assert spec["height"] == 200
    assert charts.with_launch_markers(base, markers.iloc[0:0]) is base


def test_dates_are_dates():
    assert launches.as_date(pd.Timestamp("2026-02-02")) == dt.date(2026, 2, 2)


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, np.float32("nan")])
def test_a_missing_ratio_of_any_kind_is_a_dash(missing):
    # DuckDB's FLOAT columns arrive as numpy float32, not a Python float; pd.NaT is a
    # missing date-like value: both must read as missing, not be formatted
    assert launches.fmt_ratio(missing) == "–"
    assert launches.fmt_ratio(np.float32(1.5)) == "×1.50" and launches.fmt_ratio(2) == "×2.00"


def test_impact_table_puts_the_newer_of_equal_jumps_first(impact):
    # by hand: copies of V4's row with the same jump (x3.00) launched on Jan 12 and Jan 19,
    # and copies of GPT-5.5's row (no jump) on the same two days. Largest jump first, then
    # newest first within equal jumps and among the launches without one.
    df = impact.reset_index(drop=True).set_index("model_permaslug")
    v4, gpt = df.loc["deepseek/deepseek-v4"], df.loc["openai/gpt-5.5"]
    rows = [row.copy() for row in (v4, v4, gpt, gpt)]
    for r, slug, day in zip(rows, ["jump/old", "jump/new", "none/old", "none/new"],
                            [dt.date(2026, 1, 12), dt.date(2026, 1, 19)] * 2):
        r["model_permaslug"], r["launch_day"] = slug, day
    got = launches.impact_table(pd.DataFrame(rows).reset_index(drop=True))
    assert got["model_permaslug"].tolist() == ["jump/new", "jump/old", "none/new", "none/old"]
