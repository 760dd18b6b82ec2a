"""Ranks, leads, "below the top 50" and launch jumps from censored token intervals
(tail.py gives the intervals; docs/tail.md). Pure functions over DataFrames.

Every function reads intervals [tokens_lo, tokens_hi] that contain each group's true
tokens, and states only what holds for every truth inside them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokenshare.analysis.tail.bounds import group_days


def rank_ranges(bounds: pd.DataFrame) -> pd.DataFrame:
    """The best and worst rank each group can hold in each period, ranking as
    lab_ranks does: by tokens, most first, equal tokens by group name, and only groups
    with tokens > 0 ranked.

    ``bounds``: period, group, tokens_lo, tokens_hi (tail.period_bounds). Group M is
    surely above L when lo_M > hi_L, or lo_M = hi_L > 0 and M sorts before L (then
    t_M >= lo_M = hi_L >= t_L, and a tie goes to M); it may be above L when hi_M > lo_L,
    or hi_M = lo_L > 0 and M sorts first. So best_rank = 1 + #surely above and
    worst_rank = 1 + #maybe above, and the true rank lies between them.
    Returns bounds' columns and best_rank, worst_rank, may_be_unranked (tokens_lo = 0:
    the truth may be 0 tokens, so no rank at all). Groups with tokens_hi = 0 get no rank
    (NaN): they had no tokens."""
    period = bounds["period"]
    rows = np.flatnonzero(period.notna().to_numpy())  # as groupby("period"): no NaT period
    if not len(rows):
        return bounds.assign(best_rank=pd.Series(dtype=float), worst_rank=pd.Series(dtype=float),
                             may_be_unranked=False)
    # one pass over the rows sorted by period (stable: each period's rows in their order),
    # instead of a frame per period: most of the time went to the frames
    out = bounds.iloc[rows[np.argsort(period.to_numpy()[rows], kind="stable")]].reset_index(drop=True)
    lo, hi = out["tokens_lo"].to_numpy(float), out["tokens_hi"].to_numpy(float)
    # the names' order as integers: compares as the names do, without a string compare per pair
    name = np.unique(out["group"].astype(str).to_numpy(), return_inverse=True)[1]
    per = out["period"].to_numpy()
    starts = np.flatnonzero(np.r_[True, per[1:] != per[:-1]])
    best, worst = np.empty(len(out)), np.empty(len(out))
    for s, e in zip(starts, np.r_[starts[1:], len(out)]):
        best[s:e], worst[s:e] = _ranks_of_period(lo[s:e], hi[s:e], name[s:e])
    out["best_rank"], out["worst_rank"] = best, worst
    out["may_be_unranked"] = lo <= 0
    return out


def _ranks_of_period(lo: np.ndarray, hi: np.ndarray, name: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """best_rank and worst_rank (NaN without tokens) of one period's groups."""
    first = name[:, None] < name[None, :]  # [m, l]: m sorts before l
    other = ~np.eye(len(lo), dtype=bool)
    sure = other & ((lo[:, None] > hi[None, :]) | ((lo[:, None] == hi[None, :]) & first & (lo[:, None] > 0)))
    maybe = other & (hi[:, None] > 0) & ((hi[:, None] > lo[None, :]) | ((hi[:, None] == lo[None, :]) & first))
    has = hi > 0
    return np.where(has, 1 + sure.sum(axis=0), np.nan), np.where(has, 1 + maybe.sum(axis=0), np.nan)


def lead_decided(bounds: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Per period, whether the intervals decide which of groups ``a`` and ``b`` had
    more tokens. Returns: period, leader (``a``, ``b`` or None when undecided), decided.
    ``a`` surely leads when lo_a > hi_b (or lo_a = hi_b > 0 and ``a`` wins the tie by
    name, as the ranks do); a group absent from a period has [0, 0]."""
    # numpy sums per period rather than a pivot_table: the Countries page asks this on
    # every rerun, and pivot_table plus a row loop was two thirds of that page's CPU
    sub = bounds[bounds["group"].isin([a, b])]
    periods = pd.Index(sub["period"]).unique().sort_values()
    codes = periods.get_indexer(sub["period"])
    group = sub["group"].to_numpy(dtype=object)
    lo = np.nan_to_num(sub["tokens_lo"].to_numpy(dtype="float64"))
    hi = np.nan_to_num(sub["tokens_hi"].to_numpy(dtype="float64"))

    def total(values, of):
        return np.bincount(codes, weights=np.where(group == of, values, 0.0), minlength=len(periods))

    lo_a, hi_a, lo_b, hi_b = total(lo, a), total(hi, a), total(lo, b), total(hi, b)
    a_wins = (lo_a > hi_b) | ((lo_a == hi_b) & (lo_a > 0) & (str(a) < str(b)))
    b_wins = ~a_wins & ((lo_b > hi_a) | ((lo_b == hi_a) & (lo_b > 0) & (str(b) < str(a))))
    leaders = np.full(len(periods), None, dtype=object)
    leaders[a_wins], leaders[b_wins] = a, b
    return pd.DataFrame({"period": periods, "leader": pd.Series(leaders, dtype=object),
                         "decided": a_wins | b_wins})


def spell_decided(bounds: pd.DataFrame, a: str, b: str, periods) -> bool:
    """True when the intervals show ``a`` ahead of ``b`` in every one of ``periods``
    (a spell or a lead claimed over them); False when any period is undecided or
    goes to ``b``."""
    lead = lead_decided(bounds, a, b).set_index("period")["leader"]
    return all(lead.get(pd.Timestamp(p)) == a for p in periods)


def leader_decided(bounds: pd.DataFrame) -> pd.DataFrame:
    """Per period, the group surely at #1 (its best and worst rank both 1), else None.
    Returns: period, leader, decided."""
    r = rank_ranges(bounds)
    top = r[(r["best_rank"] == 1) & (r["worst_rank"] == 1)].set_index("period")["group"]
    periods = sorted(bounds["period"].unique())
    leaders = pd.Series([top.get(p) for p in periods], dtype=object)
    return pd.DataFrame({"period": periods, "leader": leaders, "decided": leaders.notna().to_numpy()})


def model_status(bounds: pd.DataFrame) -> pd.DataFrame:
    """A model's (or any group's) standing per period, in words the pages can use:
    'ranked' (every live day in the top 50, the figure exact), 'partly below the top 50'
    (some live days absent), 'below the top 50' (live, never ranked: it had between
    tokens_lo and tokens_hi, not 0), 'not launched' (no live day: a true 0), 'no tokens'
    (live but the bounds are [0, 0], e.g. days with an empty tail).
    ``bounds``: tail.period_bounds. Returns bounds' columns and status."""
    out = bounds.copy()
    status = np.select(
        [out["days_live"] == 0,
         out["days_censored"] == 0,
         out["days_ranked"] == 0],
        ["not launched", "ranked", "below the top 50"], "partly below the top 50")
    status = np.where((status == "ranked") & (out["known"] == 0) & (out["days_live"] > 0), "no tokens", status)
    out["status"] = status
    return out


def range_bounds(ed: pd.DataFrame, by: str, start, end, universe: str = "all") -> pd.DataFrame:
    """Tokens per group over the days [start, end] of ``ed`` (tail.entry_days), as an
    interval, for windows that are not calendar periods (the weeks around a launch).
    Returns: group, days (days of ``ed`` in the window), known, tokens_lo, tokens_hi,
    and the daily means mean_lo, mean_hi (tokens / days)."""
    d = pd.to_datetime(ed["date"])
    x = ed[(d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end))]
    gd = group_days(x, by, universe)
    out = gd.groupby("group", as_index=False)[["known", "hidden_min", "hidden_max"]].sum()
    days = x["date"].nunique()
    out.insert(1, "days", days)
    out["tokens_lo"] = out["known"] + out["hidden_min"]
    out["tokens_hi"] = out["known"] + out["hidden_max"]
    out["mean_lo"] = out["tokens_lo"] / days if days else np.nan
    out["mean_hi"] = out["tokens_hi"] / days if days else np.nan
    return out.drop(columns=["hidden_min", "hidden_max"])


def launch_jump_bounds(before_lo, before_hi, after_lo, after_hi):
    """The launch jump after / before (daily levels, as the Launches page's jump) when
    both levels are intervals: jump_lo = after_lo / before_hi ("at least ×jump_lo"),
    jump_hi = after_hi / before_lo (inf when before_lo is 0: no upper bound). When
    before_hi is 0 the level before was a true 0 and there is no jump figure (NaN).
    Works on numbers or aligned Series; returns (jump_lo, jump_hi)."""
    b_lo, b_hi = np.asarray(before_lo, float), np.asarray(before_hi, float)
    a_lo, a_hi = np.asarray(after_lo, float), np.asarray(after_hi, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(b_hi > 0, a_lo / np.where(b_hi > 0, b_hi, 1), np.nan)
        hi = np.where(b_hi > 0, np.where(b_lo > 0, a_hi / np.where(b_lo > 0, b_lo, 1), np.inf), np.nan)
    if lo.ndim == 0:
        return float(lo), float(hi)
    index = getattr(before_lo, "index", None)
    return pd.Series(lo, index=index), pd.Series(hi, index=index)
