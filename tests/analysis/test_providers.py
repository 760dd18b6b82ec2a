"""Provider competition and provider pricing: hand-worked figures on the tiny snapshot
with three providers (tests/tiny_providers.py), and the sample's figures against an
independent pandas computation straight from its Parquet files."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from tests.tiny_providers import build_providers_snapshot
from tokenshare.analysis import providers, spend
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.engine.db import SnapshotDB

D = dt.date
S = 15 / 16  # the default split's prompt share
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pdb(tmp_path_factory):
    db = SnapshotDB(build_providers_snapshot(tmp_path_factory.mktemp("prov") / "snap"), derived=False)
    yield db
    db.close()


def endpoints(db, start=D(2026, 1, 5), end=D(2026, 1, 27), openness="all"):
    return db.query("provider_endpoints", start=start, end=end, openness=openness, countries=[], labs=[],
                    prompt_share=S)


def test_per_model_figures_by_hand(pdb):
    m = providers.model_competition(endpoints(pdb)).set_index("model_permaslug")
    ds = m.loc["deepseek/deepseek-v3"]
    assert (ds["providers"], ds["endpoints"], ds["free_endpoints"]) == (3, 3, 0)
    assert (ds["cheapest"], ds["median"], ds["dearest"]) == pytest.approx((0.2375, 0.35625, 0.7125))
    assert ds["spread"] == pytest.approx(3.0) and ds["catalogue"] == pytest.approx(0.35625)
    qw = m.loc["qwen/qwen3-235b"]
    assert qw["providers"] == 2 and qw["median"] == pytest.approx(0.534375) and qw["spread"] == pytest.approx(2.0)
    oss = m.loc["openai/gpt-oss-120b"]
    assert (oss["providers"], oss["free_endpoints"], oss["cheapest"], oss["spread"]) == (2, 1, 0.125, 1.0)
    assert m.loc["openai/gpt-5", "providers"] == 2 and m.loc["openai/gpt-5", "spread"] == pytest.approx(1.0)
    assert m.loc["mistralai/mistral-medium", "providers"] == 1
    assert m.loc["arcee-ai/trinity-large", "providers"] == 0 and math.isnan(m.loc["arcee-ai/trinity-large", "spread"])
    # most tokens first: W1-W4 days x daily tokens (tests/tiny.py): gpt-5 7x(200+200+150)+2x100 = 4050
    assert m.index[0] == "openai/gpt-5" and m.loc["openai/gpt-5", "tokens"] == 4050
    assert "retired/old-model" not in m.index  # unclassified: not a named model


def test_summary_by_hand(pdb):
    s = providers.competition_summary(endpoints(pdb))
    o, c = s["open"], s["closed"]
    assert (o["models"], o["with_providers"], o["without_providers"]) == (5, 3, 2)
    assert (o["median_providers"], o["min_providers"], o["max_providers"]) == (2, 2, 3)
    assert (o["spread_models"], o["median_spread"]) == (2, pytest.approx(2.5))
    assert (c["median_providers"], c["min_providers"], c["max_providers"], c["spread_models"]) == (1.5, 1, 2, 1)
    assert c["median_spread"] == pytest.approx(1.0)
    # tokens of models with 2+ providers: every open model with data has 2 or 3; closed, GPT-5 (2) has
    # 7 x (200 + 200 + 150) + 2 x 100 = 4050 and Mistral (1) 23 x 40 = 920: 4050 / 4970
    assert o["multi_token_share"] == 1.0 and c["multi_token_share"] == pytest.approx(4050 / 4970)
    assert s["fetched_from"] == s["fetched_to"] == D(2026, 1, 28)
    assert s["text"] == ("Open-weight models: median 2 providers (2-3), price spread 2.5x; "
                         "closed: 1-2 providers, price spread 1.0x.")


def test_prompt_price_and_filters(pdb):
    m = providers.model_competition(endpoints(pdb), "prompt").set_index("model_permaslug")
    assert (m.loc["deepseek/deepseek-v3", "cheapest"], m.loc["deepseek/deepseek-v3", "dearest"]) == (0.2, 0.6)
    assert m.loc["qwen/qwen3-235b", "catalogue"] == 0.3
    closed = providers.competition_summary(endpoints(pdb, openness="closed"))
    assert closed["open"]["models"] == 0 and closed["text"] == "Closed: 1-2 providers, price spread 1.0x."
    # W1 only: Arcee (launched in W2) and Euryale (from W2) have no tokens, so they are not in view
    w1 = providers.competition_summary(endpoints(pdb, end=D(2026, 1, 11)))
    assert (w1["open"]["models"], w1["open"]["without_providers"]) == (3, 0)


def test_provider_counts(pdb):
    counts = providers.provider_counts(providers.model_competition(endpoints(pdb)))
    assert counts.values.tolist() == [[1, "closed", 1], [2, "closed", 1], [2, "open", 2], [3, "open", 1]]


def spend_w3(db, pricing):
    p = dict(start=D(2026, 1, 19), end=D(2026, 1, 25), openness="all", countries=[], labs=[], top=10,
             breakdown="openness", prompt_share=S, cached_share=0.0, pricing=pricing, rank_prompt_share=S)
    return db.query("spend_by_series", **p).set_index("series")


@pytest.mark.parametrize("pricing,open_per_day,share_text", [
    # W3 per day at 15:1 (tests/tiny.py): closed = GPT-5 150 x 1.796875 + Mistral 40 x 0.5 = 289.53125.
    # catalogue: every open model at 0.35625: 310 x 0.35625 = 110.4375
    ("catalogue", 110.4375, "27.6%"),
    # cheapest: DeepSeek 150 x 0.2375 + Qwen 100 x 0.35625 + gpt-oss 20 x 0.125 (the free endpoint is
    # no price) + Arcee and Euryale (no providers) 40 x 0.35625 = 35.625 + 35.625 + 2.5 + 14.25 = 88.0
    ("cheapest", 88.0, "23.3%"),
    # median: DeepSeek 150 x 0.35625 + Qwen 100 x 0.534375 + gpt-oss 20 x 0.125 + 40 x 0.35625
    # = 53.4375 + 53.4375 + 2.5 + 14.25 = 123.625
    ("median", 123.625, "29.9%"),
])
def test_spend_at_provider_prices_by_hand(pdb, pricing, open_per_day, share_text):
    df = spend_w3(pdb, pricing)
    assert df.loc["Open weights", "spend_usd"] == pytest.approx(7 * open_per_day / 1e6)
    assert df.loc["Closed", "spend_usd"] == pytest.approx(7 * 289.53125 / 1e6)
    share = open_per_day / (open_per_day + 289.53125)
    assert df.loc["Open weights", "spend_share"] == pytest.approx(share)
    assert f"{100 * share:.1f}%" == share_text
    # DeepSeek, Qwen and gpt-oss have provider prices: 7 x (150 + 100 + 20) tokens
    assert df.loc["Open weights", "provider_priced_tokens"] == (0 if pricing == "catalogue" else 7 * 270)
    assert df.loc["Closed", "provider_priced_tokens"] == 0
    trend = pdb.query("spend_open_by_period", start=D(2026, 1, 5), end=D(2026, 1, 27), grain="week",
                      countries=[], labs=[], prompt_share=S, cached_share=0.0, pricing=pricing,
                      rank_prompt_share=S)
    w3 = trend[trend["period"] == pd.Timestamp(D(2026, 1, 19))].iloc[0]
    assert w3["spend_share"] == pytest.approx(share)
    # the k columns give the same spend at the choice as the query's own sum
    assert spend.spend_at(w3, spend.Point(S, 0.0), "open_") == pytest.approx(7 * open_per_day / 1e6)


def test_no_provider_data_means_catalogue_prices(tiny_db):
    assert spend_w3(tiny_db, "median")["spend_share"].tolist() == pytest.approx(
        spend_w3(tiny_db, "catalogue")["spend_share"].tolist())
    e = endpoints(tiny_db)
    assert e["provider"].isna().all() and len(e) == 7
    assert providers.competition_summary(e)["text"] == "No provider data for the models in view."


# --------------------------------------------------------------------------- the sample


def test_sample_figures_against_independent_pandas():
    """The Providers page's figures on the bundled sample for its last four weeks, and
    the Spend page's cheapest/median pricing of the last full week, recomputed from the
    Parquet files with plain pandas (not the queries, not the analysis module)."""
    snap = load_snapshot(ROOT / "sample_data")
    folder = snap.path
    usage = pd.read_parquet(folder / "usage.parquet")
    usage["date"] = pd.to_datetime(usage["date"])
    models = pd.read_parquet(folder / "models.parquet")
    eps = pd.read_parquet(folder / "model_endpoints.parquet")
    start, end = D(2026, 10, 26), D(2026, 11, 22)
    u = usage[(usage["date"] >= pd.Timestamp(start)) & (usage["date"] <= pd.Timestamp(end))]
    tokens = u.groupby("model_permaslug")["total_tokens"].sum()
    named = models[models["open_weights"].notna()].set_index("model_permaslug")
    in_view = named[named.index.isin(tokens[tokens > 0].index)]
    in_view = in_view[~in_view.index.str.contains(":")]  # a `:free` variant is part of its base model
    eps = eps.assign(blend=S * eps["price_prompt_usd_per_mtok"] + (1 - S) * eps["price_completion_usd_per_mtok"])
    expected = {}
    for side, flag in (("open", True), ("closed", False)):
        slugs = in_view[in_view["open_weights"] == flag].index
        e = eps[eps["model_permaslug"].isin(slugs)]
        n = e.groupby("model_permaslug")["provider"].nunique()
        paid = e[e["blend"] > 0].groupby("model_permaslug")["blend"]
        spread = (paid.max() / paid.min())[paid.size() >= 2]
        expected[side] = (len(slugs), n.median(), n.min(), n.max(), spread.median(), len(slugs) - len(n))

    db = SnapshotDB(snap, derived=False)
    try:
        got = providers.competition_summary(endpoints(db, start, end))
        for side in ("open", "closed"):
            g = got[side]
            assert (g["models"], g["median_providers"], g["min_providers"], g["max_providers"]) == pytest.approx(
                expected[side][:4]), side
            assert g["median_spread"] == pytest.approx(expected[side][4])
            assert g["without_providers"] == expected[side][5]
        # the shape the issue asks of the sample: open models many providers and a wide spread, closed 1-2
        assert got["open"]["median_providers"] >= 5 and got["open"]["median_spread"] >= 2.5
        assert (got["closed"]["min_providers"], got["closed"]["max_providers"]) == (1, 2)

        # Spend at provider prices, week of 2026-11-16, default split, nothing cached
        w0, w1 = D(2026, 11, 16), D(2026, 11, 22)
        wk = usage[(usage["date"] >= pd.Timestamp(w0)) & (usage["date"] <= pd.Timestamp(w1))]
        wk = wk.groupby("model_permaslug")["total_tokens"].sum().to_frame().join(named, how="inner")
        wk["open_weights"] = wk["open_weights"].astype(bool)  # named models only: True or False
        paid = eps[eps["blend"] > 0].sort_values(["model_permaslug", "blend", "endpoint_tag"])

        def pick(g, how):
            g = g.reset_index(drop=True)
            n = len(g)
            rows = g.iloc[[0]] if how == "cheapest" else g.iloc[sorted({(n + 1) // 2 - 1, (n + 2) // 2 - 1})]
            return rows[["price_prompt_usd_per_mtok", "price_completion_usd_per_mtok"]].mean()

        for how in ("cheapest", "median"):
            chosen = paid.groupby("model_permaslug").apply(pick, how=how)
            p = wk["price_prompt_usd_per_mtok"].copy()
            c = wk["price_completion_usd_per_mtok"].copy()
            use = wk["open_weights"] & wk.index.isin(chosen.index)
            p[use] = chosen.loc[wk.index[use], "price_prompt_usd_per_mtok"].to_numpy()
            c[use] = chosen.loc[wk.index[use], "price_completion_usd_per_mtok"].to_numpy()
            s = wk["prompt_token_share"].fillna(S) if "prompt_token_share" in wk else S
            cost = wk["total_tokens"] / 1e6 * (s * p + (1 - s) * c)
            open_cost, closed_cost = cost[wk["open_weights"]].sum(), cost[~wk["open_weights"]].sum()
            df = db.query("spend_by_series", start=w0, end=w1, openness="all", countries=[], labs=[], top=10,
                          breakdown="openness", prompt_share=S, cached_share=0.0, pricing=how,
                          rank_prompt_share=S).set_index("series")
            assert df.loc["Open weights", "spend_usd"] == pytest.approx(open_cost, rel=1e-9), how
            assert df.loc["Closed", "spend_usd"] == pytest.approx(closed_cost, rel=1e-9), how
    finally:
        db.close()


def test_the_workbench_reads_model_endpoints(pdb):
    from tokenshare.engine import workbench as wb

    sb = wb.Sandbox(pdb)
    try:
        assert "model_endpoints" in sb.tables
        df = sb.run("SELECT model_permaslug, count(*) AS n FROM model_endpoints GROUP BY 1 ORDER BY 1").df
        # tests/tiny_providers.py: 2 + 3 + 2 + 2 + 1 endpoints
        assert dict(zip(df["model_permaslug"], df["n"])) == {
            "deepseek/deepseek-v3": 3, "mistralai/mistral-medium": 1, "openai/gpt-5": 2,
            "openai/gpt-oss-120b": 2, "qwen/qwen3-235b": 2}
    finally:
        sb.close()
