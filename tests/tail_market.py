"""A synthetic uncut market and the Data API's cut of it (issue 21): the truth every
censored bound must contain. Reusable by the sample generator's tests.

``make_market(seed, ...)`` draws labs with many small models and a few large ones,
heavy-tailed daily volumes (log-normal, rounded coarsely so ties at the cut happen),
models launching before and inside the range, days of zero tokens, `:free` variants as
entries of their own, open-weight models whose weights open mid-range, entries the
catalogue does not list (retired or private), and context-bucket splits of each
entry-day. ``cut_market`` then keeps each day's top N (ties by permaslug, as the API)
plus an `other` row, and each context bucket's top N_b plus its `other`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

BUCKETS = ("1K", "10K", "100K", "1M", "10M")


@dataclass
class Market:
    truth: pd.DataFrame       # date, model_permaslug, total_tokens: every entry-day, uncut
    catalogue: pd.DataFrame   # tail_catalogue's shape: what the app would know
    usage: pd.DataFrame       # tail_usage_rows' shape: the top N a day plus `other`
    segments: pd.DataFrame    # tail_segment_rows' shape: context buckets, cut
    seg_truth: pd.DataFrame   # date, model_permaslug, segment, total_tokens: uncut buckets
    entries: pd.DataFrame     # every entry with its true facts (live_from, group columns)


def make_market(seed: int, *, n_models: int | None = None, n_days: int | None = None,
                top: int | None = None, bucket_top: int | None = None) -> Market:
    rng = np.random.default_rng(seed)
    n_models = n_models or int(rng.integers(24, 300))
    n_days = n_days or int(rng.integers(8, 45))
    top = top or int(rng.integers(3, max(4, n_models // 3)))
    bucket_top = bucket_top or int(rng.integers(2, max(3, top)))
    first = dt.date(2026, 1, 1) + dt.timedelta(days=int(rng.integers(0, 40)))
    days = pd.to_datetime([first + dt.timedelta(days=i) for i in range(n_days)])
    entries = _entries(rng, n_models, days)
    truth = _volumes(rng, entries, days)
    seg_truth = _buckets(rng, truth)
    usage = cut_market(truth, top)
    segments = _cut_segments(seg_truth, bucket_top)
    catalogue = _catalogue(entries, usage)
    return Market(truth, catalogue, usage, segments, seg_truth, entries)


def _entries(rng, n_models: int, days) -> pd.DataFrame:
    n_labs = max(2, n_models // int(rng.integers(3, 12)))
    labs = [f"lab{i:02d}" for i in range(n_labs)]
    weights = 1 / np.arange(1, n_labs + 1) ** 0.7
    rows = []
    for i in range(n_models):
        lab = labs[rng.choice(n_labs, p=weights / weights.sum())]
        slug = f"{lab}/m{i:03d}"
        launch = days[0] + pd.Timedelta(days=int(rng.integers(-30, len(days) + 3)))
        openness = rng.choice(["open", "closed", "unclassified"], p=[0.5, 0.4, 0.1])
        since = (launch + pd.Timedelta(days=int(rng.integers(1, 20)))
                 if openness == "open" and rng.random() < 0.2 else pd.NaT)
        listed = rng.random() > 0.08  # else retired or private: not in the catalogue
        scale = float(rng.lognormal(0, 2.2))
        base = dict(lab_name=lab, country_code=f"C{hash(lab) % 4}", openness=openness,
                    open_weights_since=since, true_live=launch, listed=listed, scale=scale)
        rows.append(dict(model_permaslug=slug, base_permaslug=slug, **base))
        if rng.random() < 0.15:  # a `:free` variant, ranked as an entry of its own
            rows.append(dict(model_permaslug=slug + ":free", base_permaslug=slug,
                             **{**base, "scale": scale * float(rng.uniform(0.1, 2))}))
    e = pd.DataFrame(rows)
    e["country_code"] = "C" + (e["lab_name"].str[3:].astype(int) % 4).astype(str)
    return e


def _volumes(rng, entries: pd.DataFrame, days) -> pd.DataFrame:
    grid = entries[["model_permaslug", "true_live", "scale"]].merge(pd.DataFrame({"date": days}), how="cross")
    noise = rng.lognormal(0, 0.5, len(grid))
    tokens = np.round(grid["scale"].to_numpy() * noise * 20) * 5  # coarse: ties happen
    tokens[rng.random(len(grid)) < 0.05] = 0  # days of zero tokens
    tokens[(grid["date"] < grid["true_live"]).to_numpy()] = 0  # not launched yet
    grid["total_tokens"] = tokens.astype("int64")
    return grid[["date", "model_permaslug", "total_tokens"]]


def _buckets(rng, truth: pd.DataFrame) -> pd.DataFrame:
    """Split each entry-day into the five context buckets (a partition, summing to it)."""
    t = truth[truth["total_tokens"] > 0].reset_index(drop=True)
    w = rng.dirichlet(np.ones(len(BUCKETS)) * 0.5, len(t))
    parts = np.floor(w * t["total_tokens"].to_numpy()[:, None]).astype("int64")
    parts[:, 0] += t["total_tokens"].to_numpy() - parts.sum(axis=1)
    out = pd.DataFrame(parts, columns=list(BUCKETS))
    out[["date", "model_permaslug"]] = t[["date", "model_permaslug"]]
    out = out.melt(id_vars=["date", "model_permaslug"], var_name="segment", value_name="total_tokens")
    return out[out["total_tokens"] > 0].reset_index(drop=True)


def cut_market(truth: pd.DataFrame, top: int) -> pd.DataFrame:
    """Each day's top ``top`` entries with tokens (most first, ties by permaslug) and one
    `other` row with the rest (left out when the rest is empty or 0)."""
    out = _cut(truth, top, ["date"])
    days = pd.DataFrame({"date": sorted(truth["date"].unique())})
    # a day on which nothing had tokens keeps no row: usage has no day without rows, so
    # give it an `other` of 0 to keep the day (the API would list nothing)
    missing = days[~days["date"].isin(out["date"])]
    out = pd.concat([out, missing.assign(model_permaslug="other", total_tokens=0)], ignore_index=True)
    return out.sort_values(["date", "model_permaslug"], ignore_index=True)


def _cut(truth: pd.DataFrame, top: int, keys: list[str]) -> pd.DataFrame:
    """Per ``keys`` group (a day, or a segment's day): the top ``top`` rows with tokens
    and an `other` row with the rest when it is above 0, in no particular order."""
    t = truth[truth["total_tokens"] > 0].sort_values(
        [*keys, "total_tokens", "model_permaslug"], ascending=[*(True for _ in keys), False, True])
    rank = t.groupby(keys, sort=False).cumcount().to_numpy()
    kept = t.loc[rank < top, [*keys, "model_permaslug", "total_tokens"]]
    rest = t[rank >= top].groupby(keys, as_index=False)["total_tokens"].sum()
    rest = rest[rest["total_tokens"] > 0].assign(model_permaslug="other")
    return pd.concat([kept, rest], ignore_index=True)


def _cut_segments(seg_truth: pd.DataFrame, top: int) -> pd.DataFrame:
    """Each context bucket cut as the day is (cut_market), in one pass over every bucket;
    a bucket-day exists only where it has tokens, so no `other` of 0 is added."""
    out = _cut(seg_truth, top, ["segment", "date"])
    out = out.sort_values(["segment", "date", "model_permaslug"], ignore_index=True)
    return out.assign(dimension="context")[["dimension", "segment", "date", "model_permaslug", "total_tokens"]]


def _catalogue(entries: pd.DataFrame, usage: pd.DataFrame) -> pd.DataFrame:
    """What tail_catalogue would return: listed entries with live_from = their launch
    (or first ranked day if earlier), unlisted ones only when ranked, with live_from
    unknown and no classification."""
    seen = set(usage["model_permaslug"])
    keep = entries[entries["listed"] | entries["model_permaslug"].isin(seen)].copy()
    keep["live_from"] = keep["true_live"].where(keep["listed"], pd.NaT)
    keep.loc[~keep["listed"], "openness"] = "unclassified"
    keep.loc[~keep["listed"], "open_weights_since"] = pd.NaT
    cols = ["model_permaslug", "base_permaslug", "lab_name", "country_code", "openness",
            "open_weights_since", "live_from"]
    return keep[cols].reset_index(drop=True)


def true_entry_days(m: Market) -> pd.DataFrame:
    """The truth per (date, entry) with each entry's true openness that day (as the app
    classifies it: the catalogue's, unlisted entries unclassified)."""
    e = m.entries.copy()
    e.loc[~e["listed"], ["openness", "open_weights_since"]] = ["unclassified", pd.NaT]
    e = e[e["model_permaslug"].isin(m.catalogue["model_permaslug"])]  # what the app can know
    t = m.truth.merge(e.drop(columns=["scale"]), on="model_permaslug")
    closed_before = (t["openness"] == "open") & t["open_weights_since"].notna() & (t["date"] < t["open_weights_since"])
    t.loc[closed_before, "openness"] = "closed"
    return t
