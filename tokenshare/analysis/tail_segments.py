"""Bounds from the segment lists: the Data API's own top 50 per modality and context
bucket (docs/tail.md, issue 21 item 3). Pure functions over DataFrames.

``seg`` is the rows of tail_segment_rows (dimension, segment, date, model_permaslug,
total_tokens; each segment's `other` row included); ``usage`` the rows of
tail_usage_rows. The results feed tail.entry_days.

- Any segment's traffic is part of a model's traffic, so a model's day total is at
  least its largest figure in any daily segment list.
- Only where the context buckets partition the day (their rows, `other` included, add up
  to the day's total: context_partition_days) is a model's total at least the sum of
  its bucket figures, and at most the sum, over the buckets, of its figure where listed
  and else min(bucket cut, bucket `other`) (0 where the bucket has no `other` row).
  The docs do not say the buckets partition anything, so the check runs on the data and
  a day that fails it gets the single-segment lower bound only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokenshare.analysis.tail import OTHER

CONTEXT = "context"


def context_partition_days(usage: pd.DataFrame, seg: pd.DataFrame, rel_tol: float = 0.0) -> pd.DataFrame:
    """Per day of ``usage``: day_total (ranked + other), context_total (every context
    bucket's rows, `other` included) and partitions: True when they agree within
    ``rel_tol`` of the day's total (0: exactly, as the API's exact figures should) and
    the day has context rows. Returns: date, day_total, context_total, partitions."""
    u = usage.assign(date=pd.to_datetime(usage["date"]))
    day = u.groupby("date")["total_tokens"].sum()
    c = seg[seg["dimension"] == CONTEXT]
    ctx = c.assign(date=pd.to_datetime(c["date"])).groupby("date")["total_tokens"].sum()
    out = pd.DataFrame({"date": day.index, "day_total": day.to_numpy(float)})
    out["context_total"] = out["date"].map(ctx).astype(float)
    diff = (out["context_total"] - out["day_total"]).abs()
    out["partitions"] = out["context_total"].notna() & (diff <= rel_tol * out["day_total"])
    return out


def context_partitions(usage: pd.DataFrame, seg: pd.DataFrame, rel_tol: float = 0.0) -> bool:
    """True when the context buckets partition every day of ``usage``; False when any
    day fails (or there are no days or no context rows), so a caller falls back to the
    single-segment lower bounds."""
    days = context_partition_days(usage, seg, rel_tol)
    return bool(len(days)) and bool(days["partitions"].all())


def segment_bounds(usage: pd.DataFrame, seg: pd.DataFrame, rel_tol: float = 0.0) -> pd.DataFrame:
    """Per (date, permaslug) listed in any daily segment list: seg_lo, the largest of
    its segment figures, or on a day the context buckets partition the sum of its bucket
    figures when larger; seg_hi, on a partition day, the sum over buckets of its figure
    where listed, else the bucket's cap (bucket_caps); NaN (no bound) on other days.
    Returns: date, model_permaslug, seg_lo, seg_hi."""
    s = seg.assign(date=pd.to_datetime(seg["date"]))
    listed = s[s["model_permaslug"] != OTHER]
    if listed.empty:
        return pd.DataFrame(columns=["date", "model_permaslug", "seg_lo", "seg_hi"])
    out = listed.groupby(["date", "model_permaslug"], as_index=False)["total_tokens"].max()
    out = out.rename(columns={"total_tokens": "seg_lo"})
    part = context_partition_days(usage, seg, rel_tol)
    good = set(part.loc[part["partitions"], "date"])
    out["seg_hi"] = np.nan
    if good:
        ctx = _context_sums(listed, s, good)
        out = out.merge(ctx, on=["date", "model_permaslug"], how="left")
        use = out["date"].isin(good)
        out["seg_lo"] = np.where(use, np.fmax(out["seg_lo"], out["ctx_lo"].fillna(0)), out["seg_lo"])
        caps = unlisted_caps(usage, seg, rel_tol).set_index("date")["seg_hi"]
        out["seg_hi"] = np.where(use, out["ctx_hi"].fillna(out["date"].map(caps)), np.nan)
        out = out.drop(columns=["ctx_lo", "ctx_hi"])
    out["seg_lo"] = out["seg_lo"].astype(float)
    return out


def bucket_caps(seg: pd.DataFrame) -> pd.DataFrame:
    """Per (date, context bucket): the most an entry absent from the bucket's list had in
    that bucket: min(the bucket's cut, its `other`), 0 when the bucket has no `other`
    row (its tail was empty). Returns: date, segment, cap."""
    c = seg[seg["dimension"] == CONTEXT].assign(date=lambda x: pd.to_datetime(x["date"]))
    ranked = c[c["model_permaslug"] != OTHER].groupby(["date", "segment"])["total_tokens"].min()
    other = c[c["model_permaslug"] == OTHER].groupby(["date", "segment"])["total_tokens"].sum()
    keys = c.groupby(["date", "segment"]).size().index
    cut = ranked.reindex(keys).to_numpy(float)
    oth = other.reindex(keys).fillna(0).to_numpy(float)
    cap = np.fmin(cut, oth)  # no ranked row: the bucket's `other` alone bounds it
    return pd.DataFrame({"date": keys.get_level_values(0), "segment": keys.get_level_values(1), "cap": cap})


def unlisted_caps(usage: pd.DataFrame, seg: pd.DataFrame, rel_tol: float = 0.0) -> pd.DataFrame:
    """Per day the context buckets partition: seg_hi, the most an entry in no context
    list had that day (the sum of the bucket caps; a bucket with no rows had no
    tokens). Returns: date, seg_hi."""
    part = context_partition_days(usage, seg, rel_tol)
    good = part.loc[part["partitions"], ["date"]]
    caps = bucket_caps(seg).groupby("date")["cap"].sum()
    return good.assign(seg_hi=good["date"].map(caps).fillna(0.0).astype(float)).reset_index(drop=True)


def _context_sums(listed: pd.DataFrame, seg: pd.DataFrame, good: set) -> pd.DataFrame:
    """Per (date, permaslug) on partition days: ctx_lo (sum of its bucket figures) and
    ctx_hi (that plus the cap of each bucket it is absent from)."""
    c = listed[(listed["dimension"] == CONTEXT) & listed["date"].isin(good)]
    caps = bucket_caps(seg)
    caps = caps[caps["date"].isin(good)]
    lo = c.groupby(["date", "model_permaslug"], as_index=False)["total_tokens"].sum()
    lo = lo.rename(columns={"total_tokens": "ctx_lo"})
    entries = listed[listed["date"].isin(good)][["date", "model_permaslug"]].drop_duplicates()
    grid = entries.merge(caps, on="date")
    grid = grid.merge(c[["date", "model_permaslug", "segment", "total_tokens"]],
                      on=["date", "model_permaslug", "segment"], how="left")
    grid["part"] = grid["total_tokens"].fillna(grid["cap"])
    hi = grid.groupby(["date", "model_permaslug"], as_index=False)["part"].sum()
    hi = hi.rename(columns={"part": "ctx_hi"})
    return entries.merge(lo, how="left", on=["date", "model_permaslug"]).merge(
        hi, how="left", on=["date", "model_permaslug"]).fillna({"ctx_lo": 0.0})
