"""Every bound the tail analysis states contains the truth of the uncut market
(tests/tail_market.py): over 200 random synthetic markets, cut at a random top N a day,
with and without the segment lists' bounds."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.tail_market import make_market, true_entry_days
from tokenshare.analysis.tail import bounds as tail, ranks as tail_ranks, segments as tail_segments

BYS = ["model_permaslug", "base_permaslug", "lab_name", "country_code", "openness"]
EPS = 1e-9


def _market_bounds(seed: int, use_segments: bool):
    m = make_market(seed)
    sb = caps = None
    if use_segments:
        sb = tail_segments.segment_bounds(m.usage, m.segments)
        caps = tail_segments.unlisted_caps(m.usage, m.segments)
    return m, sb, tail.entry_days(m.usage, m.catalogue, sb, caps)


def _truth_by(truth: pd.DataFrame, by: str, grain: str, universe: str) -> pd.Series:
    t = truth[tail.in_universe(truth, universe)]
    t = t.assign(period=tail._periods(t["date"], grain), group=t[by].fillna(tail.UNKNOWN_GROUP))
    return t.groupby(["period", "group"])["total_tokens"].sum()


def _check_entry_days(m, ed, truth):
    x = ed.merge(truth[["date", "model_permaslug", "total_tokens"]], on=["date", "model_permaslug"], how="left")
    t = x["total_tokens"].fillna(0)
    assert (x["tokens_lo"] <= t).all() and (t <= x["tokens_hi"]).all()
    ranked = x["ranked"]
    assert (x.loc[ranked, "tokens_lo"] == t[ranked]).all() and (x.loc[ranked, "tokens_hi"] == t[ranked]).all()
    not_live = ~x["live"]
    assert (t[not_live] == 0).all() and (x.loc[not_live, "tokens_hi"] == 0).all()


def _check_periods(ed, truth, by, grain, universe):
    pb = tail.period_bounds(ed, by, grain, universe)
    j = pb.set_index(["period", "group"]).join(_truth_by(truth, by, grain, universe).rename("truth"))
    j["truth"] = j["truth"].fillna(0)
    assert (j["tokens_lo"] <= j["truth"] + EPS).all() and (j["truth"] <= j["tokens_hi"] + EPS).all()
    exact = j["hidden_max"] == 0
    assert (j.loc[exact, "known"] == j.loc[exact, "truth"]).all()
    return pb, j


def _check_shares(m, ed, truth, by, grain, universe):
    sr = tail.share_ranges(ed, by, grain, universe).set_index(["period", "group"])
    num = _truth_by(truth, by, grain, universe)
    if universe == "all":
        den = m.truth.assign(period=tail._periods(m.truth["date"], grain)).groupby("period")["total_tokens"].sum()
    else:
        t = truth[tail.in_universe(truth, universe)]
        den = t.assign(period=tail._periods(t["date"], grain)).groupby("period")["total_tokens"].sum()
    d = pd.Series(sr.index.get_level_values("period").map(den), index=sr.index).fillna(0)
    s = sr.join(num.rename("num"))["num"].fillna(0) / d.replace(0, np.nan)
    ok = d.eq(0) | ((sr["share_lo"] - EPS <= s) & (s <= sr["share_hi"] + EPS))
    assert ok.all(), sr.assign(truth=s)[~ok].head()


def _true_ranks(j: pd.DataFrame) -> pd.Series:
    g = j.reset_index()
    g = g[g["truth"] > 0].assign(name=lambda x: x["group"].astype(str))
    g = g.sort_values(["period", "truth", "name"], ascending=[True, False, True])
    g["rank"] = g.groupby("period").cumcount() + 1
    return g.set_index(["period", "group"])["rank"].astype(float)


def _check_ranks_and_leads(pb, j, rng):
    rr = tail_ranks.rank_ranges(pb).set_index(["period", "group"])
    true_ranks = _true_ranks(j)
    true = rr.join(true_ranks.rename("true"))["true"]
    ranked = true.notna()
    assert ((rr["best_rank"] <= true) & (true <= rr["worst_rank"]))[ranked].all()
    assert (rr["may_be_unranked"] | rr["best_rank"].isna())[~ranked].all()
    top = true_ranks[true_ranks == 1].reset_index().set_index("period")["group"]
    for _, row in tail_ranks.leader_decided(pb).iterrows():
        if row["decided"]:
            assert top.get(row["period"]) == row["leader"]
    groups = pb["group"].unique()
    if len(groups) < 2:
        return
    a, b = (str(x) for x in rng.choice(groups.astype(str), 2, replace=False))
    lead = tail_ranks.lead_decided(pb.assign(group=pb["group"].astype(str)), a, b)
    jt = j.reset_index().assign(group=lambda x: x["group"].astype(str)).set_index(["period", "group"])["truth"]
    for _, row in lead[lead["decided"]].iterrows():
        ta, tb = jt.get((row["period"], a), 0), jt.get((row["period"], b), 0)
        win, lose = (ta, tb) if row["leader"] == a else (tb, ta)
        assert win >= lose


def _check_jump(ed, truth, by, rng):
    days = sorted(ed["date"].unique())
    if len(days) < 2:
        return
    k = int(rng.integers(1, len(days)))
    before = tail_ranks.range_bounds(ed, by, days[0], days[k - 1]).set_index("group")
    after = tail_ranks.range_bounds(ed, by, days[k], days[-1]).set_index("group")
    lo, hi = tail_ranks.launch_jump_bounds(before["mean_lo"], before["mean_hi"],
                                           after.loc[before.index, "mean_lo"], after.loc[before.index, "mean_hi"])
    t = truth.assign(group=truth[by].fillna(tail.UNKNOWN_GROUP))
    tb = t[t["date"] <= days[k - 1]].groupby("group")["total_tokens"].sum() / k
    ta = t[t["date"] >= days[k]].groupby("group")["total_tokens"].sum() / (len(days) - k)
    for g in before.index:
        b, a = tb.get(g, 0), ta.get(g, 0)
        if before.loc[g, "mean_hi"] == 0:
            assert b == 0
        elif b > 0:
            assert lo[g] * (1 - EPS) <= a / b <= hi[g] * (1 + EPS)


def _check_segments(m, sb):
    assert tail_segments.context_partitions(m.usage, m.segments)  # the generator's buckets partition
    x = sb.merge(m.truth, on=["date", "model_permaslug"], how="left")
    assert (x["seg_lo"] <= x["total_tokens"]).all()
    assert (x["total_tokens"] <= x["seg_hi"]).all()


@pytest.mark.timeout(1200)  # 200 markets: about a minute at rest (docs/testing.md)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), by=st.sampled_from(BYS), grain=st.sampled_from(["day", "week", "month"]),
       universe=st.sampled_from(["named", "open", "all"]), use_segments=st.booleans())
def test_every_bound_contains_the_truth(seed, by, grain, universe, use_segments):
    m, sb, ed = _market_bounds(seed, use_segments)
    truth = true_entry_days(m)
    rng = np.random.default_rng(seed + 1)
    _check_entry_days(m, ed, truth)
    pb, j = _check_periods(ed, truth, by, grain, universe)
    _check_shares(m, ed, truth, by, grain, universe)
    _check_ranks_and_leads(pb, j, rng)
    _check_jump(ed, truth, by, rng)
    if use_segments:
        _check_segments(m, sb)
