"""The spend estimate's sensitivity to its assumptions, on a two-model snapshot whose
every figure is worked by hand below.

One day (2026-01-05), 1,000,000 tokens each (so USD per million tokens = dollars):

    model            weights   prompt  completion  cache read
    open/a           open        0.20        0.80        0.02
    closed/b         closed      2.00       10.00        0.20

Blended price = s x ((1 - c) x prompt + c x cache) + (1 - s) x completion, s = prompt
share of tokens, c = share of prompt tokens read from cache. With c = 0:

    split   s       open/a                         closed/b                       open share
    5:1     5/6     (5 x 0.2 + 0.8) / 6 = 0.3      (5 x 2 + 10) / 6 = 10/3        0.9 / 10.9   = 0.0825688
    15:1    15/16   (15 x 0.2 + 0.8) / 16 = 0.2375 (15 x 2 + 10) / 16 = 2.5       0.2375/2.7375 = 0.0867580
    50:1    50/51   (50 x 0.2 + 0.8) / 51 = 10.8/51 (50 x 2 + 10) / 51 = 110/51   10.8 / 120.8 = 0.0894040

With c = 0.84 the prompt price becomes 0.16 x 0.2 + 0.84 x 0.02 = 0.0488 (open/a) and
0.16 x 2 + 0.84 x 0.2 = 0.488 (closed/b):

    5:1     (5 x 0.0488 + 0.8) / 6 = 1.044/6    (5 x 0.488 + 10) / 6 = 12.44/6   1.044 / 13.484 = 0.0774251
    50:1    (50 x 0.0488 + 0.8) / 51 = 3.24/51  (50 x 0.488 + 10) / 51 = 34.4/51 3.24 / 37.64   = 0.0860786

So over 5:1-50:1 and 0-84% cached the open-weight share of spend runs from 7.74% (5:1,
84% cached) to 8.94% (50:1, none cached), 8.68% at the default (15:1, none cached).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tokenshare.analysis import spend
from tokenshare.data.snapshot.write import write_snapshot
from tokenshare.engine.db import SnapshotDB

from tokenshare.analysis.spend import rank_prompt_share
from tokenshare.data.reference.spend import load as load_evidence

EVIDENCE = load_evidence()  # the app layer loads it (tokenshare/app/evidence.py); here, the same file

# The catalogue's prices (the Spend page's default `pricing`); the rank share only
# matters for provider pricing.
CATALOGUE_PRICES = {"pricing": "catalogue", "rank_prompt_share": rank_prompt_share(EVIDENCE)}

DAY = dt.date(2026, 1, 5)
SHARE_5_0, SHARE_15_0, SHARE_50_0 = 0.9 / 10.9, 0.2375 / 2.7375, 10.8 / 120.8
SHARE_5_84, SHARE_50_84 = 1.044 / 13.484, 3.24 / 37.64


def _model(slug, open_weights, prompt, completion, cache, known_share=None):
    return {
        "model_permaslug": slug, "model_id": slug, "name": slug, "author": slug.split("/")[0],
        "released_at": dt.date(2025, 6, 1), "open_weights": open_weights, "open_weights_basis": "override",
        "hugging_face_id": None, "context_length": 1000, "price_prompt_usd_per_mtok": prompt,
        "price_completion_usd_per_mtok": completion, "price_input_cache_read_usd_per_mtok": cache,
        "prompt_token_share": known_share,
    }


def _snapshot(target, models):
    labs = [{"author": m["author"], "lab_name": m["author"].title(), "country_code": "US",
             "country_name": "United States"} for m in models]
    usage = [{"date": DAY, "model_permaslug": m["model_permaslug"], "total_tokens": 1_000_000} for m in models]
    return write_snapshot(target, usage=usage, models=models, labs=labs, source="two-model fixture",
                          synthetic=False, as_of="2026-01-06T00:00:00Z", start_date=DAY, end_date=DAY)


@pytest.fixture(scope="module")
def two_db(tmp_path_factory):
    db = SnapshotDB(_snapshot(tmp_path_factory.mktemp("two") / "snap", [
        _model("open/a", True, 0.2, 0.8, 0.02), _model("closed/b", False, 2.0, 10.0, 0.2)]))
    yield db
    db.close()


def _by_openness(db, split="15:1", cached=0.0):
    return db.query("spend_by_series", **CATALOGUE_PRICES, start=DAY, end=DAY, openness="all", countries=[], labs=[],
                    breakdown="openness", top=10, prompt_share=spend.prompt_share(split), cached_share=cached)


@pytest.mark.parametrize("split,cached,expected", [
    ("5:1", 0.0, SHARE_5_0), ("15:1", 0.0, SHARE_15_0), ("50:1", 0.0, SHARE_50_0),
    ("5:1", 0.84, SHARE_5_84), ("50:1", 0.84, SHARE_50_84),
])
def test_three_splits_by_hand(two_db, split, cached, expected):
    df = _by_openness(two_db, split, cached).set_index("series")
    assert df.loc["Open weights", "spend_share"] == pytest.approx(expected)
    # the coefficients give the same spend as the query's own blended price
    at = spend.Point(spend.prompt_share(split), cached)
    assert spend.spend_at(df, at).tolist() == pytest.approx(df["spend_usd"].tolist())


def test_the_range_over_the_plausible_assumptions(two_db, monkeypatch):
    assert (EVIDENCE.split_low, EVIDENCE.split_high) == ("5:1", "50:1")
    assert (EVIDENCE.cached_low, EVIDENCE.cached_high) == (0.0, 0.84)
    df = _by_openness(two_db)
    r = spend.series_ranges(df, spend.Point(spend.prompt_share("5:1"), 0.84), EVIDENCE).set_index("series")
    assert r.loc["Open weights", "share_low"] == pytest.approx(SHARE_5_84)
    assert r.loc["Open weights", "share_high"] == pytest.approx(SHARE_50_0)
    assert r.loc["Open weights", "share_default"] == pytest.approx(SHARE_15_0)
    assert r.loc["Open weights", "share_choice"] == pytest.approx(SHARE_5_84)
    assert r.loc["Closed", "share_low"] == pytest.approx(1 - SHARE_50_0)
    assert r.loc["Open weights", "range_text"] == "between 7.7% and 8.9%, 8.7% at the default"


def test_the_corners_hold_the_extremes(two_db):
    """The range is taken at four corners; a fine grid over the rectangle finds nothing
    outside it (the share is monotone in each assumption, see spend's docstring)."""
    df = _by_openness(two_db)
    r = spend.series_ranges(df, spend.default_point(EVIDENCE), EVIDENCE).set_index("series").loc["Open weights"]
    for ratio in [5 + 0.5 * i for i in range(91)]:
        for c in [0.84 * j / 20 for j in range(21)]:
            at = spend.spend_at(df, spend.Point(ratio / (ratio + 1), c))
            share = at.iloc[0] / at.sum()
            assert r["share_low"] - 1e-12 <= share <= r["share_high"] + 1e-12


def test_the_trend_query_gives_the_same_range(two_db):
    trend = two_db.query("spend_open_by_period", **CATALOGUE_PRICES, start=DAY, end=DAY, grain="day", countries=[], labs=[],
                         prompt_share=spend.prompt_share("15:1"), cached_share=0.0)
    row = trend.iloc[0]
    assert row["spend_share"] == pytest.approx(SHARE_15_0)
    rng = spend.open_share_range(row, spend.Point(spend.prompt_share("50:1"), 0.84), EVIDENCE)
    assert (rng.low, rng.high, rng.at_default, rng.at_choice) == pytest.approx(
        (SHARE_5_84, SHARE_50_0, SHARE_15_0, SHARE_50_84))
    band = spend.trend_ranges(trend, spend.default_point(EVIDENCE), EVIDENCE)
    assert band[["low", "high"]].iloc[0].tolist() == pytest.approx([SHARE_5_84, SHARE_50_0])
    sens = spend.sensitivity_frame(row, spend.default_point(EVIDENCE), EVIDENCE)
    five = sens[(sens["split"] == "5:1")].set_index("cached")["share"]
    assert five.loc[0.0] == pytest.approx(SHARE_5_0) and five.loc[0.84] == pytest.approx(SHARE_5_84)
    assert sens["ratio"].min() == 5 and sens["ratio"].max() == 50


def test_a_known_per_model_split_is_used_and_counted(tmp_path):
    """closed/b with its own prompt_token_share 0.5: its blended price is 0.5 x 2 + 0.5 x
    10 = 6 whatever split is assumed; open/a keeps the assumed split. At 15:1: open 0.2375
    -> 0.2375 / 6.2375; at 50:1: 10.8/51 -> (10.8/51) / (10.8/51 + 6)."""
    db = SnapshotDB(_snapshot(tmp_path / "snap", [
        _model("open/a", True, 0.2, 0.8, 0.02), _model("closed/b", False, 2.0, 10.0, 0.2, known_share=0.5)]))
    try:
        at15 = _by_openness(db, "15:1").set_index("series")
        at50 = _by_openness(db, "50:1").set_index("series")
        assert at15.loc["Closed", "spend_usd"] == pytest.approx(6.0) == at50.loc["Closed", "spend_usd"]
        assert at15.loc["Open weights", "spend_share"] == pytest.approx(0.2375 / 6.2375)
        assert at50.loc["Open weights", "spend_share"] == pytest.approx((10.8 / 51) / (10.8 / 51 + 6))
        # cached 84%: closed/b's prompt half at 0.488 -> 0.5 x 0.488 + 5 = 5.244
        cached = _by_openness(db, "15:1", 0.84).set_index("series")
        assert cached.loc["Closed", "spend_usd"] == pytest.approx(5.244)
        assert spend.known_volume(at15) == pytest.approx((0.5, 1.0))  # 1M of 2M priced tokens known
    finally:
        db.close()


def test_no_cache_price_pays_the_prompt_price():
    assert spend.blended_price(2.0, 10.0, "15:1", None, 0.84) == pytest.approx(2.5)
    assert spend.blended_price(2.0, 10.0, "15:1", 0.2, 0.84) == pytest.approx((15 * 0.488 + 10) / 16)
    assert spend.cached_share("84") == 0.84 and spend.default_cached(EVIDENCE) in spend.cached_choices(EVIDENCE)


def test_a_range_with_no_priced_tokens_says_so():
    empty = pd.DataFrame({"series": ["Open weights"], "k_const": [0.0], "k_split": [0.0], "k_cached": [0.0],
                          "k_both": [0.0]})
    assert spend.series_ranges(empty, spend.default_point(EVIDENCE), EVIDENCE)["range_text"].iloc[0] == "no estimate (no priced tokens)"
