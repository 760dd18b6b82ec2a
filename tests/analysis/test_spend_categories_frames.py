"""Estimated spend on fixtures with known prices (tests/tiny.py's prices, and a copy
with Mistral Medium unpriced), categories on weekly estimates with known values, and
the animated race's frames."""

import datetime as dt

import pytest

from tests.tiny import FIRST_DAY, LAST_DAY
from tests.tiny_launches import build_category_snapshot, build_priced_snapshot
from tokenshare.analysis import race_frames as rf, segments, spend
from tokenshare.engine.db import SnapshotDB

from tokenshare.analysis.spend import rank_prompt_share
from tokenshare.data.reference.spend import load as load_evidence

EVIDENCE = load_evidence()  # the app layer loads it (tokenshare/app/evidence.py); here, the same file

# The catalogue's prices (the Spend page's default `pricing`); the rank share only
# matters for provider pricing.
CATALOGUE_PRICES = {"pricing": "catalogue", "rank_prompt_share": rank_prompt_share(EVIDENCE)}

W3 = dict(start=dt.date(2026, 1, 19), end=dt.date(2026, 1, 25), openness="all", countries=[], labs=[], top=3)
# Blended prices at 3:1 (USD per million tokens) = 0.75 x prompt + 0.25 x completion:
#   open models (0.3, 1.2) -> 0.525; GPT-5 (1.25, 10) -> 3.4375; Mistral Medium (0.4, 2.0) -> 0.8
# W3 daily tokens: open 310 (DeepSeek 150, Qwen 100, gpt-oss 20, Arcee 30, sao10k 10), GPT-5 150, Mistral 40
OPEN_SPEND_W3 = 310 * 7 * 0.525 / 1e6
GPT5_SPEND_W3 = 150 * 7 * 3.4375 / 1e6
MISTRAL_SPEND_W3 = 40 * 7 * 0.8 / 1e6


@pytest.fixture(scope="module")
def priced_db(tmp_path_factory):
    db = SnapshotDB(build_priced_snapshot(tmp_path_factory.mktemp("priced") / "snap"))
    yield db
    db.close()


@pytest.fixture(scope="module")
def category_db(tmp_path_factory):
    db = SnapshotDB(build_category_snapshot(tmp_path_factory.mktemp("cat") / "snap"))
    yield db
    db.close()


def test_splits():
    assert spend.prompt_share("3:1") == 0.75
    assert spend.prompt_share("1:3") == 0.25
    assert spend.blended_price(1.25, 10.0, "3:1") == pytest.approx(3.4375)
    assert spend.blended_price(1.25, 10.0, "1:1") == pytest.approx(5.625)
    assert spend.blended_price(None, 10.0, "3:1") is None
    assert EVIDENCE.split_default in spend.split_choices(EVIDENCE)
    assert spend.usd(32_600_000) == "$32.6M" and spend.usd(12.4) == "$12.40"


def test_spend_by_openness_with_known_prices(tiny_db):
    df = tiny_db.query("spend_by_series", **CATALOGUE_PRICES, **W3, breakdown="openness", prompt_share=0.75, cached_share=0.0).set_index("series")
    assert df.loc["Open weights", "spend_usd"] == pytest.approx(OPEN_SPEND_W3)
    assert df.loc["Closed", "spend_usd"] == pytest.approx(GPT5_SPEND_W3 + MISTRAL_SPEND_W3)
    assert df.loc["Open weights", "token_share"] == pytest.approx(0.62)  # the headline: 310 / 500
    expected = OPEN_SPEND_W3 / (OPEN_SPEND_W3 + GPT5_SPEND_W3 + MISTRAL_SPEND_W3)
    assert df.loc["Open weights", "spend_share"] == pytest.approx(expected)  # 0.2291
    assert round(expected, 4) == 0.2291
    assert (df["unpriced_models"] == 0).all()


def test_the_split_changes_the_estimate(tiny_db):
    a = tiny_db.query("spend_by_series", **CATALOGUE_PRICES, **W3, breakdown="openness", prompt_share=0.5, cached_share=0.0).set_index("series")
    # 1:1 -> open (0.3 + 1.2) / 2 = 0.75, GPT-5 5.625, Mistral 1.2
    assert a.loc["Open weights", "spend_usd"] == pytest.approx(310 * 7 * 0.75 / 1e6)
    assert a.loc["Closed", "spend_usd"] == pytest.approx((150 * 5.625 + 40 * 1.2) * 7 / 1e6)


def test_unpriced_model_is_counted_not_priced_at_zero(priced_db):
    df = priced_db.query("spend_by_series", **CATALOGUE_PRICES, **W3, breakdown="openness", prompt_share=0.75, cached_share=0.0).set_index("series")
    closed = df.loc["Closed"]
    assert closed["tokens"] == (150 + 40) * 7  # Mistral's tokens still count as tokens
    assert closed["unpriced_tokens"] == 40 * 7 and closed["unpriced_models"] == 1
    assert closed["spend_usd"] == pytest.approx(GPT5_SPEND_W3)  # and are left out of spend
    assert df.loc["Open weights", "spend_share"] == pytest.approx(OPEN_SPEND_W3 / (OPEN_SPEND_W3 + GPT5_SPEND_W3))
    unpriced = priced_db.query("unpriced_models", **W3)
    assert unpriced["model_permaslug"].tolist() == ["mistralai/mistral-medium"]
    assert unpriced["tokens"].iloc[0] == 280


def test_spend_by_lab_top_and_rest(tiny_db):
    df = tiny_db.query("spend_by_series", **CATALOGUE_PRICES, **W3, breakdown="lab", prompt_share=0.75, cached_share=0.0)
    # W3 tokens: OpenAI 170, DeepSeek 150, Qwen 100 / day; Rest = Mistral 40 + Arcee 30 + sao10k 10
    assert df["series"].tolist() == ["OpenAI", "DeepSeek", "Qwen (Alibaba)", "Rest"]
    rest = df.set_index("series").loc["Rest"]
    assert rest["tokens"] == 80 * 7
    assert rest["spend_usd"] == pytest.approx((40 * 0.8 + 40 * 0.525) * 7 / 1e6)
    assert df["spend_share"].sum() == pytest.approx(1.0)


def test_open_spend_share_by_period(tiny_db):
    df = tiny_db.query("spend_open_by_period", **CATALOGUE_PRICES, start=FIRST_DAY, end=LAST_DAY, grain="week", countries=[], labs=[],
                       prompt_share=0.75, cached_share=0.0)
    w3 = df[df["period"] == "2026-01-19"].iloc[0]
    assert w3["token_share"] == pytest.approx(0.62)
    assert w3["spend_share"] == pytest.approx(OPEN_SPEND_W3 / (OPEN_SPEND_W3 + GPT5_SPEND_W3 + MISTRAL_SPEND_W3))
    latest, partial_only = spend.latest_complete(df)
    assert latest["period"].date() == dt.date(2026, 1, 19) and not partial_only  # W4 is incomplete
    frame = spend.split_frame(tiny_db.query("spend_by_series", **CATALOGUE_PRICES, **W3, breakdown="openness", prompt_share=0.75,
                                            cached_share=0.0))
    assert set(frame["measure"]) == set(spend.MEASURES)


# ------------------------------------------------------------------ categories


# Use-case categories are the Segments page's `category` split (segment_* queries).
CAT = dict(dimension="category", start=FIRST_DAY, end=LAST_DAY, countries=[], labs=[])
CAT_LEADERS = dict(CAT, openness="all", limit=3)


def test_category_open_share(category_db):
    df = category_db.query("segment_open_share", grain="week", **CAT)
    assert df["is_estimate"].all()
    prog = df[df["segment"] == "programming"].set_index("period")["open_share"]
    assert prog.round(6).tolist() == [0.6, 0.6, 0.9, 0.6]
    role = df[df["segment"] == "roleplay"].iloc[0]
    # sao10k 50 + DeepSeek 30 open, Mistral 20 closed; retired 10 + unknown/new 5 unclassified
    assert (role["open_tokens"], role["closed_tokens"], role["unclassified_tokens"]) == (80, 20, 15)
    assert role["open_share"] == pytest.approx(0.8)
    assert df["is_partial"].tolist() == [False] * 6 + [True] * 2  # W4 ends after the data
    week, partial_only = segments.latest_period(df)
    assert week.date() == dt.date(2026, 1, 19) and not partial_only
    heads = {h["segment"]: h for h in segments.headlines(df, ["programming", "roleplay"], week,
                                                          week - dt.timedelta(days=14))}
    assert heads["programming"]["share"] == pytest.approx(0.9)
    assert heads["programming"]["delta"] == pytest.approx(0.3)  # vs W1


def test_category_leaders(category_db):
    df = category_db.query("segment_leaders", **CAT_LEADERS)
    role = df[df["segment"] == "roleplay"]
    assert role["lab_name"].tolist() == ["sao10k", "DeepSeek", "Mistral AI"]
    assert role["share"].iloc[0] == pytest.approx(200 / 460)
    prog = df[df["segment"] == "programming"].set_index("lab_name")
    assert prog.loc["DeepSeek", "tokens"] == 60 + 60 + 90 + 60
    assert prog.loc["OpenAI", "lab_open_share"] == 0
    table = segments.leader_table("category", df, ["roleplay"])
    assert table["Category"].tolist() == ["Roleplay", "Programming"]
    assert table.iloc[0]["#1"] == "sao10k 43.5% (open 100%)"


def test_category_filters(category_db):
    us = category_db.query("segment_open_share", grain="week", **{**CAT, "countries": ["US"]})
    prog = us[us["segment"] == "programming"]
    assert prog["open_share"].tolist() == [0.0] * 4  # only GPT-5 is American there
    assert segments.default_choice("category", ["roleplay", "legal", "programming"]) == ["programming", "roleplay"]
    assert segments.default_choice("category", ["legal", "health", "x"]) == ["legal", "health"]


# ------------------------------------------------------------------ the race, frame by frame


def test_race_frames(tiny_db):
    ranks = rf.with_series(tiny_db.query("lab_ranks", **{**W3, "start": FIRST_DAY, "end": LAST_DAY, "grain": "week"},
                                         scope="open"), "labs")
    options = rf.frame_options(ranks)
    assert options == ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]
    assert rf.default_frame(ranks) == "2026-01-19"  # W4 is incomplete
    assert rf.snap_frame("2026-01-14", options) == "2026-01-12"
    assert rf.snap_frame("2026-01-19", options) == "2026-01-19"
    assert rf.snap_frame("2025-12-01", options) is None
    assert rf.snap_frame("2026-06-01", options) is None
    assert rf.snap_frame("yesterday", options) is None
    assert rf.next_frame("2026-01-19", options) == "2026-01-26"
    assert rf.next_frame("2026-01-26", options, loop=False) == "2026-01-26"
    lead = rf.leader_at(ranks, "2026-01-26")
    # open-weight leaders: DeepSeek W1, Qwen W2, DeepSeek W3 and W4
    assert (lead.name, lead.since, lead.periods_at_top, lead.previous) == ("DeepSeek", "2026-01-19", 2, "Qwen (Alibaba)")
    assert lead.margin == pytest.approx(200 / 370 - 100 / 370)
    bars = rf.frame_bars(ranks, "2026-01-12", top=3)
    assert bars["series"].tolist() == ["Qwen (Alibaba)", "DeepSeek", "Arcee AI"]


def test_model_ranks(tiny_db):
    df = tiny_db.query("model_ranks", start=FIRST_DAY, end=LAST_DAY, grain="week", scope="all", countries=[], labs=[],
                       top=2)
    w1 = df[df["period"] == "2026-01-05"]
    assert w1["model_permaslug"].tolist() == ["openai/gpt-5", "deepseek/deepseek-v3"]
    # share of all ranked (named) models in W1: 200 / 400
    assert w1["share"].iloc[0] == pytest.approx(0.5)
    assert w1["lab_name"].tolist() == ["OpenAI", "DeepSeek"]
