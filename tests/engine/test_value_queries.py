"""The Value page's queries (value_models, value_benchmarks_unranked) on the tiny snapshot
(tests/tiny.py) with a benchmarks table of its own, every figure worked out by hand.

In W2 (2026-01-12 to 18) every model has 7 days of its W2 daily tokens: DeepSeek V3 700,
Qwen 840, GPT-5 1,400, gpt-oss 70, Trinity 140, Mistral Medium 280, Euryale 70
(retired/old-model is unclassified: not a named model). Benchmarks: DeepSeek V3 by its
permaslug, Qwen by its catalogue id (qwen/qwen3-235b-a22b), GPT-5 with no coding index,
Trinity (no tokens in W1: unranked there), and acme/never (no model at all)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tiny import MODELS, build_tiny_snapshot
from tokenshare.data.snapshot.extra_tables import BENCHMARKS_FILE
from tokenshare.engine.db import SnapshotDB

W1 = (dt.date(2026, 1, 5), dt.date(2026, 1, 11))
W2 = (dt.date(2026, 1, 12), dt.date(2026, 1, 18))


def bench(slug, intel, coding=None, agentic=None, price=(None, None)):
    return {"model_permaslug": slug, "display_name": slug.split("/")[1], "intelligence_index": intel,
            "coding_index": coding, "agentic_index": agentic, "price_prompt_usd_per_mtok": price[0],
            "price_completion_usd_per_mtok": price[1], "fetched_on": dt.date(2026, 1, 28)}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    models = [dict(m, model_id="qwen/qwen3-235b-a22b") if m["model_permaslug"] == "qwen/qwen3-235b" else m
              for m in MODELS]
    # gpt-oss without a catalogue price: its benchmark row's price is used instead
    models = [dict(m, price_prompt_usd_per_mtok=None) if m["model_permaslug"] == "openai/gpt-oss-120b" else m
              for m in models]
    rows = [bench("deepseek/deepseek-v3", 60.0, 55.0, 40.0), bench("qwen/qwen3-235b-a22b", 58.0, 57.0, 45.0),
            bench("openai/gpt-5", 70.0, None, 65.0), bench("arcee-ai/trinity-large", 45.0, 44.0, 30.0),
            bench("openai/gpt-oss-120b", 50.0, 48.0, 35.0, price=(0.1, 0.5)), bench("acme/never", 20.0)]
    snap = build_tiny_snapshot(tmp_path_factory.mktemp("value") / "snap", models=models,
                               extra_tables={BENCHMARKS_FILE: rows})
    d = SnapshotDB(snap, derived=False)
    yield d
    d.close()


def q(db, **kw):
    p = dict(start=W2[0], end=W2[1], openness="all", countries=[], labs=[], tier="all", index="intelligence",
             prompt_share=0.75)
    p.update(kw)
    return db.query("value_models", **p).set_index("model_permaslug")


def test_tokens_scores_and_prices_per_model(db):
    df = q(db)
    assert df["tokens"].to_dict() == {"openai/gpt-5": 1400, "qwen/qwen3-235b": 840, "deepseek/deepseek-v3": 700,
                                      "mistralai/mistral-medium": 280, "arcee-ai/trinity-large": 140,
                                      "openai/gpt-oss-120b": 70, "sao10k/l3-euryale": 70}
    assert df.loc["qwen/qwen3-235b", "score"] == 58.0  # matched by its catalogue id
    assert df.loc["deepseek/deepseek-v3", "score"] == 60.0
    assert not df.loc["mistralai/mistral-medium", "has_benchmark"]
    # blended at 0.75: 0.75 x 0.3 + 0.25 x 1.2 and 0.75 x 1.25 + 0.25 x 10
    assert df.loc["deepseek/deepseek-v3", "price"] == pytest.approx(0.525)
    assert df.loc["openai/gpt-5", "price"] == pytest.approx(3.4375)
    assert df.loc["openai/gpt-5", "price_from"] == "catalogue"
    # no catalogue prompt price: the benchmark row's 0.75 x 0.1 + 0.25 x 0.5
    assert df.loc["openai/gpt-oss-120b", "price"] == pytest.approx(0.2)
    assert df.loc["openai/gpt-oss-120b", "price_from"] == "benchmark"
    assert set(df["ranked_days"]) == {7} and set(df["live_days"]) == {7}
    assert df.loc["openai/gpt-5", "openness"] == "closed" and df.loc["sao10k/l3-euryale", "openness"] == "open"
    assert not df["in_focus"].any()


def test_index_openness_focus_and_split(db):
    coding = q(db, index="coding")
    assert coding.loc["openai/gpt-5", "has_benchmark"] and coding["score"].isna()["openai/gpt-5"]
    assert coding.loc["qwen/qwen3-235b", "score"] == 57.0
    assert q(db, index="agentic").loc["deepseek/deepseek-v3", "score"] == 40.0
    assert set(q(db, openness="open").index) == {"qwen/qwen3-235b", "deepseek/deepseek-v3", "arcee-ai/trinity-large",
                                                 "openai/gpt-oss-120b", "sao10k/l3-euryale"}
    focus = q(db, labs=["openai"])
    assert set(focus.index[focus["in_focus"]]) == {"openai/gpt-5", "openai/gpt-oss-120b"}
    assert len(focus) == 7  # the focus is highlighted, not a filter
    cn = q(db, countries=["CN"])
    assert set(cn.index[cn["in_focus"]]) == {"qwen/qwen3-235b", "deepseek/deepseek-v3"}
    assert q(db, prompt_share=0.5).loc["openai/gpt-5", "price"] == pytest.approx(0.5 * 1.25 + 0.5 * 10)


def test_a_partly_ranked_model_and_the_unranked_benchmarks(db):
    # W1 + W2: Euryale (released 2025-06-01) is live but absent from W1's lists: ranked 7
    # of 14 live days; Trinity (released 2026-01-12) was not live in W1: 7 of 7
    df = q(db, start=W1[0])
    assert (df.loc["sao10k/l3-euryale", "ranked_days"], df.loc["sao10k/l3-euryale", "live_days"]) == (7, 14)
    assert (df.loc["arcee-ai/trinity-large", "ranked_days"], df.loc["arcee-ai/trinity-large", "live_days"]) == (7, 7)
    assert (df.loc["openai/gpt-5", "ranked_days"], df.loc["openai/gpt-5", "live_days"]) == (14, 14)
    w1 = db.query("value_benchmarks_unranked", start=W1[0], end=W1[1], index="intelligence")
    assert list(w1["model_permaslug"]) == ["arcee-ai/trinity-large", "acme/never"]
    assert list(w1["in_catalogue"]) == [True, False]
    w2 = db.query("value_benchmarks_unranked", start=W2[0], end=W2[1], index="coding")
    assert list(w2["model_permaslug"]) == ["acme/never"] and w2["score"].isna().all()
