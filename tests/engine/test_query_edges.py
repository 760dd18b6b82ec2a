"""Edges of the named queries that the mutation harness (benchmarks/mutation) found
untested, each on a small snapshot worked out by hand: a week without open tokens and a
week without any data, labs and countries without tokens (a tie at 0), a model launched
on the data's first day, launch markers cut by the date range, the movers' order.

The "gaps" snapshot (tests/tiny.py's days and models; tokens a day, no rows for a 0):

    model                  weights   W1 (Jan 5-11)  W2 (12-18)  W3 (19-25)  W4 (26-27)
    openai/gpt-5           closed    200            -           150         100
    deepseek/deepseek-v3   open      -              -           150         200
    other                            30             -           30          30

plus two models without tokens: cohere/command (Cohere, CA, no price; one row of 0 tokens on Jan 26)
and ai21/jamba (AI21 Labs, IL; no rows), and DeepSeek V3 released on the data's first day (2026-01-05),
without a catalogue price."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.tiny import FIRST_DAY, LAST_DAY, MODELS, _model, build_tiny_snapshot, daily_usage
from tests.tiny_launches import build_launch_snapshot
from tokenshare.data.snapshot.extra_tables import EXTRA_TABLES
from tokenshare.engine.db import SnapshotDB

W = [dt.date(2026, 1, 5), dt.date(2026, 1, 12), dt.date(2026, 1, 19), dt.date(2026, 1, 26)]
GAPS = {"openai/gpt-5": (200, 0, 150, 100), "deepseek/deepseek-v3": (0, 0, 150, 200), "other": (30, 0, 30, 30)}
P = dict(start=FIRST_DAY, end=LAST_DAY, grain="week", countries=[], labs=[], tier="all")


@pytest.fixture(scope="module")
def gaps_db(tmp_path_factory):
    models = [dict(m, released_at=FIRST_DAY, price_prompt_usd_per_mtok=None, price_completion_usd_per_mtok=None)
              if m["model_permaslug"] == "deepseek/deepseek-v3" else m for m in MODELS if m["model_permaslug"] in GAPS]
    models += [_model("cohere/command", "Cohere: Command", "cohere", False, price=(None, None)),
               _model("ai21/jamba", "AI21: Jamba", "ai21", True, "ai21labs/Jamba")]
    zero = {"date": W[3], "model_permaslug": "cohere/command", "total_tokens": 0}  # a row of 0 tokens
    snap = build_tiny_snapshot(tmp_path_factory.mktemp("gaps") / "snap", models=models,
                               usage=daily_usage(GAPS, FIRST_DAY, LAST_DAY) + [zero])
    db = SnapshotDB(snap, derived=False)
    yield db
    db.close()


def by_week(df):
    return {r["period"].date(): r for _, r in df.iterrows()}


def test_a_week_without_open_tokens_has_no_share_of_them(gaps_db):
    f = by_week(gaps_db.query("focus_share_by_period", **{**P, "countries": ["US"]}))
    w1 = f[W[0]]
    assert (w1["market_open_tokens"], w1["market_closed_tokens"], w1["focus_closed_tokens"]) == (0, 1400, 1400)
    assert math.isnan(w1["share_of_open"]) and w1["share_of_named"] == 1.0 and w1["market_open_share"] == 0
    w2 = f[W[1]]  # no data at all that week: zeros, and no shares
    assert (w2["market_open_tokens"], w2["market_named_tokens"], w2["focus_named_tokens"]) == (0, 0, 0)
    assert math.isnan(w2["share_of_open"]) and math.isnan(w2["share_of_named"]) and math.isnan(w2["own_open_share"])
    w3 = f[W[2]]
    assert (w3["share_of_named"], w3["share_of_open"], w3["own_open_share"]) == (0.5, 0.0, 0.0)


def test_coverage_of_a_week_without_data_is_zero_days_and_no_share(gaps_db):
    cov = by_week(gaps_db.query("coverage_by_period", start=FIRST_DAY, end=LAST_DAY, grain="week"))
    assert (cov[W[1]]["days"], cov[W[1]]["total_tokens"], cov[W[1]]["other_tokens"]) == (0, 0, 0)
    assert math.isnan(cov[W[1]]["ranked_share"])
    # W1: 7 days of 200 ranked + 30 other
    assert (cov[W[0]]["days"], cov[W[0]]["ranked_tokens"], cov[W[0]]["total_tokens"]) == (7, 1400, 1610)
    assert cov[W[0]]["other_share"] == pytest.approx(210 / 1610)


def test_filter_options_list_labs_and_countries_without_tokens_at_zero_by_name(gaps_db):
    labs = gaps_db.query("filter_options_labs")
    assert labs["author"].tolist() == ["openai", "deepseek", "ai21", "cohere"]
    # OpenAI 7 x 200 + 7 x 150 + 2 x 100 = 2650; DeepSeek 7 x 150 + 2 x 200 = 1450; a tie at 0 by author
    assert labs["tokens"].tolist() == [2650, 1450, 0, 0]
    countries = gaps_db.query("filter_options_countries")
    # US 2650 and CN 1450 tokens; CA and IL none: a tie at 0, broken by code
    assert countries["country_code"].tolist() == ["US", "CN", "CA", "IL"]
    assert countries["tokens"].tolist() == [2650, 1450, 0, 0]


def test_a_model_launched_on_the_datas_first_day_is_before_the_data(gaps_db):
    df = gaps_db.query("launches", start=W[2], end=LAST_DAY, openness="all", countries=[], labs=[])
    row = df.set_index("model_permaslug").loc["deepseek/deepseek-v3"]
    assert row["launch_day"].date() == FIRST_DAY and bool(row["before_data"])


def test_a_row_of_zero_tokens_ranks_no_one(gaps_db):
    models = gaps_db.query("model_ranks", **P, scope="all", top=10)
    w4 = models[models["period"].dt.date == W[3]]
    assert w4["model_permaslug"].tolist() == ["deepseek/deepseek-v3", "openai/gpt-5"]
    labs = gaps_db.query("lab_ranks", **P, scope="all")
    assert labs[labs["period"].dt.date == W[3]]["lab_name"].tolist() == ["DeepSeek", "OpenAI"]


def test_unpriced_tokens_are_the_unpriced_models_tokens_summed(gaps_db):
    S = 0.9375
    df = by_week(gaps_db.query("spend_open_by_period", **P, pricing="catalogue", rank_prompt_share=S,
                               prompt_share=S, cached_share=0.0))
    # DeepSeek V3 has no price: 7 x 150 in W3, 2 x 200 in W4
    assert [df[w]["unpriced_tokens"] for w in W] == [0, 0, 1050, 400]
    # and no open-weight model is priced, so every open spend coefficient is 0, not a default
    for col in ("open_k_const", "open_k_split", "open_k_cached", "open_k_both", "open_spend_usd"):
        assert [df[w][col] for w in W] == [0, 0, 0, 0], col


def test_model_variants_lists_variants_only(gaps_db):
    assert gaps_db.query("model_variants").empty  # no `:free` or other suffix in this snapshot


def test_claims_movers_are_biggest_first_in_each_period(gaps_db):
    df = gaps_db.query("claims_movers", **P, breakdown="lab")
    w3 = df[df["period"].dt.date == W[2]]
    # a tie at 1050 (7 x 150 each): by name
    assert w3["series_key"].tolist() == ["DeepSeek", "OpenAI"] and w3["tokens"].tolist() == [1050, 1050]
    w4 = df[df["period"].dt.date == W[3]]
    # (Cohere's row of 0 tokens is listed too, last)
    assert w4["series_key"].tolist() == ["DeepSeek", "OpenAI", "Cohere"] and w4["tokens"].tolist() == [400, 200, 0]
    assert df["period"].is_monotonic_increasing


@pytest.fixture(scope="module")
def launch_db(tmp_path_factory):
    db = SnapshotDB(build_launch_snapshot(tmp_path_factory.mktemp("launch") / "snap"), derived=False)
    yield db
    db.close()


def test_launch_markers_keep_to_the_date_range(launch_db):
    # tests/tiny_launches.py: V4 launches on day 21 (2026-02-23), qwen3-next on day 10
    # (02-12), Arcee on day 28 (03-02); the range is days 0-25
    p = dict(openness="all", countries=[], labs=[], limit=10)
    inside = launch_db.query("launch_markers", start=dt.date(2026, 2, 2), end=dt.date(2026, 2, 27), **p)
    assert set(inside["model_permaslug"]) == {"deepseek/deepseek-v4", "qwen/qwen3-next"}
    assert all(dt.date(2026, 2, 2) <= d.date() <= dt.date(2026, 2, 27) for d in inside["launch_day"])
    later = launch_db.query("launch_markers", start=dt.date(2026, 2, 28), end=dt.date(2026, 4, 12), **p)
    assert "arcee-ai/trinity" in set(later["model_permaslug"]) and "deepseek/deepseek-v4" not in set(
        later["model_permaslug"])


@pytest.fixture(scope="module")
def seg_db(tmp_path_factory):
    from tests.tiny_segments import build_segment_snapshot

    db = SnapshotDB(build_segment_snapshot(tmp_path_factory.mktemp("segrows") / "snap"), derived=False)
    yield db
    db.close()


def test_segment_list_sums_each_segments_tokens(seg_db):
    df = seg_db.query("segment_list").set_index(["dimension", "segment"])
    # tests/tiny_segments.py over 23 days: text 100 + 100 a day; tool_calling 30 (60 in W3) + 90 + 5 + 10;
    # language: three weekly estimates of 70 + 30 and of 20 + 80
    assert df.loc[("modality", "text"), "tokens"] == 23 * 200
    assert df.loc[("modality", "tool_calling"), "tokens"] == 23 * 135 + 7 * 30
    assert df.loc[("language", "programming"), "tokens"] == 300
    assert df.loc[("language", "natural"), "tokens"] == 300


def test_the_tail_row_queries_come_biggest_first_each_day_ties_by_slug(seg_db):
    # tests/tiny.py: on Jan 12 Qwen 120, gpt-5 200, DeepSeek 100, Mistral 40, other 30, Arcee 20,
    # gpt-oss 10 and Euryale 10 (a tie), retired 5
    day = dt.date(2026, 1, 12)
    usage = seg_db.query("tail_usage_rows", start=day, end=day)
    assert usage["model_permaslug"].tolist() == [
        "openai/gpt-5", "qwen/qwen3-235b", "deepseek/deepseek-v3", "mistralai/mistral-medium", "other",
        "arcee-ai/trinity-large", "openai/gpt-oss-120b", "sao10k/l3-euryale", "retired/old-model"]
    rows = seg_db.query("tail_segment_rows", start=day, end=day)
    # tests/tiny_segments.py: text deepseek 100 = gpt-5 100 (a tie); tool_calling gpt-5 90,
    # deepseek 30, other 10, retired 5
    assert [(r.segment, r.model_permaslug) for r in rows.itertuples()] == [
        ("text", "deepseek/deepseek-v3"), ("text", "openai/gpt-5"),
        ("tool_calling", "openai/gpt-5"), ("tool_calling", "deepseek/deepseek-v3"),
        ("tool_calling", "other"), ("tool_calling", "retired/old-model")]


def test_a_snapshot_without_segments_or_endpoints_has_empty_tables(tiny_db):
    """tests/tiny.py has neither a segment file nor an endpoints file: the stand-in
    views ("empty_model_endpoints", "source_segment_rows_none") are empty (no row of
    NULLs), so no segment or provider is listed."""
    assert tiny_db.query("segment_list").empty
    cur = tiny_db.cursor()
    try:
        assert cur.execute("SELECT count(*) FROM model_endpoints").fetchone()[0] == 0
        assert cur.execute("SELECT count(*) FROM segment_rows").fetchone()[0] == 0
    finally:
        cur.close()



def test_a_snapshot_without_the_extra_tables_has_empty_stand_ins(tiny_db):
    """tests/tiny.py has none of the extra tables (issue 23): each stand-in view
    ("empty_benchmarks", "empty_session_cost", "empty_task_shares", "empty_app_rankings")
    has no row at all (not one row of NULLs, which the workbench would count and a join
    could pick up) and the columns and types the file would have (extra_tables' schema)."""
    cur = tiny_db.cursor()
    try:
        for fname, (columns, _keys, _label) in EXTRA_TABLES.items():
            view = fname.removesuffix(".parquet")
            assert cur.execute(f"SELECT count(*) FROM {view}").fetchone()[0] == 0, view
            described = cur.execute(f"DESCRIBE {view}").fetchall()
            assert {r[0]: r[1] for r in described} == columns, view
    finally:
        cur.close()


def test_a_launch_whose_first_week_ends_on_the_datas_last_day_counts_seven_days(tmp_path):
    # Arcee released on Jan 21, in the data from Jan 26 (40 a day): its first week is Jan
    # 21-27, the data's last day exactly, so all 7 days are counted; 2 x 40 tokens in it
    from tests.tiny import DAILY

    models = [dict(m, released_at=dt.date(2026, 1, 21)) if m["author"] == "arcee-ai" else m for m in MODELS]
    daily = {**DAILY, "arcee-ai/trinity-large": (0, 0, 0, 40)}
    db = SnapshotDB(build_tiny_snapshot(tmp_path / "snap", models=models, usage=daily_usage(daily, FIRST_DAY, LAST_DAY)),
                    derived=False)
    try:
        df = db.query("claims_week_launches", start=W[1], end=LAST_DAY, openness="all", countries=[], labs=[])
    finally:
        db.close()
    row = df.set_index("model_permaslug").loc["arcee-ai/trinity-large"]
    assert (row["launch_day"].date(), row["first_week_tokens"], row["days_counted"]) == (dt.date(2026, 1, 21), 80, 7)


def test_unpriced_models_biggest_first(gaps_db):
    df = gaps_db.query("unpriced_models", start=FIRST_DAY, end=LAST_DAY, openness="all", countries=[], labs=[],
                       tier="all")
    # DeepSeek V3 and Cohere Command have no catalogue price: 1450 and 0 tokens
    assert df["model_permaslug"].tolist() == ["deepseek/deepseek-v3", "cohere/command"]
    assert df["tokens"].tolist() == [1450, 0]

