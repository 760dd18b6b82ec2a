"""Two edges of the named queries the mutation harness found untested, worked out by hand.

1. Models with only half a price. A model is priced only when both its prompt and its
   completion price are known; one with a single price is unpriced, and its tokens must
   stay out of every spend coefficient (k_const, k_split, k_cached, k_both) of
   `spend_by_series` and `spend_open_by_period`, even where the half it has would give a
   number (p - c or k - p is NULL only when the missing half is in it). The snapshot, one
   closed model each, every day Jan 5-27 (tests/tiny.py's range; W1 = Jan 5-11, 7 days):

       model               prompt  completion  cache read   tokens a day
       openai/gpt-5        1.25    10.0        -            100  priced
       openai/o-half       -        8.0        -             40  unpriced (no prompt price)
       mistralai/m-half    2.0      -          0.5           20  unpriced (no completion price)

   Per week of 7 days: gpt-5 700 tokens = 0.0007 Mtok; o-half 280; m-half 140.
   Without a known prompt share (no prompt_token_share): k_const = Mtok x c,
   k_split = Mtok x (p - c), k_both = Mtok x (k - p), k_cached = 0 (k = p: no cache price).

2. `provider_endpoints`' row order: models by tokens, most first; a model's endpoints by
   blended price, then by endpoint tag. tests/tiny_providers.py: GPT-5's two endpoints
   (OpenAI "openai", Azure "azure") have the same price, 1.25 / 10, so "azure" comes first.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.tiny import DAILY, FIRST_DAY, LAST_DAY, MODELS, _model, build_tiny_snapshot, daily_usage
from tests.tiny_providers import build_providers_snapshot
from tokenshare.engine.db import SnapshotDB

W1 = dt.date(2026, 1, 5)
HALF = {"openai/gpt-5": (100,) * 4, "openai/o-half": (40,) * 4, "mistralai/m-half": (20,) * 4}
S = 0.9375  # the default 15:1 prompt share


@pytest.fixture(scope="module")
def half_db(tmp_path_factory):
    models = [m for m in MODELS if m["model_permaslug"] == "openai/gpt-5"]
    models.append(_model("openai/o-half", "OpenAI: O Half", "openai", False, price=(None, 8.0)))
    models.append(dict(_model("mistralai/m-half", "Mistral: M Half", "mistralai", False, price=(2.0, None)),
                       price_input_cache_read_usd_per_mtok=0.5))
    snap = build_tiny_snapshot(tmp_path_factory.mktemp("half") / "snap", models=models,
                               usage=daily_usage(HALF, FIRST_DAY, LAST_DAY))
    db = SnapshotDB(snap, derived=False)
    yield db
    db.close()


def test_half_priced_models_stay_out_of_the_spend_coefficients_by_period(half_db):
    df = half_db.query("spend_open_by_period", start=FIRST_DAY, end=LAST_DAY, grain="week", countries=[], labs=[],
                       tier="all", pricing="catalogue", rank_prompt_share=S, prompt_share=S, cached_share=0.0)
    w1 = df[df["period"].dt.date == W1].iloc[0]
    assert w1["unpriced_tokens"] == 280 + 140
    assert w1["closed_k_const"] == pytest.approx(0.0007 * 10.0)  # gpt-5 alone, not + 0.00028 x 8
    assert w1["closed_k_split"] == pytest.approx(0.0007 * (1.25 - 10.0))
    assert w1["closed_k_both"] == pytest.approx(0.0)  # not + 0.00014 x (0.5 - 2.0)
    assert w1["closed_k_cached"] == pytest.approx(0.0)
    assert w1["closed_spend_usd"] == pytest.approx(0.0007 * (S * 1.25 + (1 - S) * 10.0))
    # the coefficients give the spend back at the prompt share used
    assert w1["closed_k_const"] + w1["closed_k_split"] * S == pytest.approx(w1["closed_spend_usd"])


def test_half_priced_models_stay_out_of_the_spend_coefficients_by_series(half_db):
    df = half_db.query("spend_by_series", start=FIRST_DAY, end=LAST_DAY, openness="all", countries=[], labs=[],
                       tier="all", pricing="catalogue", rank_prompt_share=S, breakdown="openness", top=10,
                       prompt_share=S, cached_share=0.0).set_index("series")
    closed = df.loc["Closed"]
    days = (LAST_DAY - FIRST_DAY).days + 1  # 23
    gpt5 = 100 * days / 1e6
    assert (closed["tokens"], closed["priced_tokens"], closed["unpriced_tokens"]) == (160 * days, 100 * days,
                                                                                      60 * days)
    assert (closed["models"], closed["unpriced_models"]) == (3, 2)
    assert closed["k_const"] == pytest.approx(gpt5 * 10.0)  # not + o-half's 40 x 23 / 1e6 x 8
    assert closed["k_split"] == pytest.approx(gpt5 * (1.25 - 10.0))
    assert closed["k_both"] == pytest.approx(0.0)  # not + m-half's 20 x 23 / 1e6 x (0.5 - 2.0)
    assert closed["k_cached"] == pytest.approx(0.0)
    assert closed["spend_usd"] == pytest.approx(gpt5 * (S * 1.25 + (1 - S) * 10.0))


@pytest.fixture(scope="module")
def providers_db(tmp_path_factory):
    db = SnapshotDB(build_providers_snapshot(tmp_path_factory.mktemp("prov") / "snap"), derived=False)
    yield db
    db.close()


def test_provider_endpoints_order_ties_by_endpoint_tag(providers_db):
    df = providers_db.query("provider_endpoints", start=FIRST_DAY, end=LAST_DAY, openness="all", countries=[],
                            labs=[], prompt_share=S, tier="all")
    # models in order of their tokens over the range, summed here from the snapshot's rows
    usage = pd.DataFrame(daily_usage(DAILY, FIRST_DAY, LAST_DAY))
    named = set(df["model_permaslug"])
    totals = usage[usage["model_permaslug"].isin(named)].groupby("model_permaslug")["total_tokens"].sum()
    want_models = sorted(named, key=lambda m: (-totals[m], m))
    assert list(dict.fromkeys(df["model_permaslug"])) == want_models
    tags = {m: list(g["endpoint_tag"]) for m, g in df.groupby("model_permaslug", sort=False)}
    assert tags["openai/gpt-5"] == ["azure", "openai"]  # the same blended price: by tag
    assert tags["deepseek/deepseek-v3"] == ["alpha", "beta/fp8", "gamma"]  # by price: 0.2375, 0.35625, 0.7125
    assert tags["openai/gpt-oss-120b"] == ["alpha/free", "beta"]  # 0 before 0.125
