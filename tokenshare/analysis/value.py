"""What the tokens buy: capability against price, and the price-performance frontier.

Pure functions over the ``value_models`` query's frame (one row per named model: tokens,
openness, a benchmark ``score`` or NULL, a blended ``price`` in USD per million tokens or
NULL). A model is **placed** when it has a score and a price above zero (a log price axis
has no zero); the others are counted and named (``unplaced``).

- **The frontier** (``mark_frontier``): the cheapest model at or above each capability
  level. A placed model is *on* it when no other placed model scores at least as high for
  less, or higher for the same price (Pareto-efficient; exact ties are all on it). Its
  ``frontier_price`` is the price of the cheapest placed model scoring at least as high
  as it (its own price when it is on the frontier); it is *near* when its price is at
  most ``NEAR_FACTOR`` times that.
- **Shares** (``frontier_shares``): of each side's (open, closed) placed tokens, the
  share on, and on or near, the frontier.
- **Bands** (``band_shares``): the open-weight share of placed tokens within capability
  bands (``BANDS``: 60 or more, 50-60, 40-50, under 40).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokenshare.core.formatting import pct

NEAR_FACTOR = 1.5
# (label, lowest score in the band, first score above it); None = unbounded
BANDS = (("60 or more", 60.0, None), ("50 to 60", 50.0, 60.0), ("40 to 50", 40.0, 50.0), ("under 40", None, 40.0))
INDICES = {"intelligence": "Intelligence index", "coding": "Coding index", "agentic": "Agentic index"}
DEFAULT_INDEX = "intelligence"


def placed_mask(models: pd.DataFrame) -> pd.Series:
    """The models that can be drawn: a score and a price above zero."""
    return models["score"].notna() & models["price"].notna() & (models["price"] > 0)


def mark_frontier(models: pd.DataFrame, near: float = NEAR_FACTOR) -> pd.DataFrame:
    """``models`` with ``placed``, ``frontier_price``, ``on_frontier`` and ``near_frontier``
    (the last three NULL / False for models not placed)."""
    out = models.copy()
    out["placed"] = placed_mask(out)
    p = out.loc[out["placed"]]
    score, price = p["score"].to_numpy(float), p["price"].to_numpy(float)
    # [i, j]: model j scores at least as high as model i
    at_least = score[None, :] >= score[:, None]
    higher = score[None, :] > score[:, None]
    frontier_price = np.where(at_least, price[None, :], np.inf).min(axis=1)
    cheaper_higher = np.where(higher, price[None, :], np.inf).min(axis=1) if len(p) else frontier_price
    on = (price <= frontier_price) & ~(cheaper_higher <= price)
    out["frontier_price"] = np.nan
    out["on_frontier"] = False
    out["near_frontier"] = False
    out.loc[p.index, "frontier_price"] = frontier_price
    out.loc[p.index, "on_frontier"] = on
    out.loc[p.index, "near_frontier"] = price <= near * frontier_price
    return out


def frontier_line(marked: pd.DataFrame) -> pd.DataFrame:
    """The frontier's models sorted by price (the chart's step line): price, score, name."""
    f = marked[marked["on_frontier"]].sort_values(["price", "score"])
    return f[["model_name", "price", "score", "openness", "tokens"]].reset_index(drop=True)


def frontier_shares(marked: pd.DataFrame) -> pd.DataFrame:
    """Per side (open, closed): placed tokens and models, tokens on the frontier and on or
    near it, and those as shares of the side's placed tokens (NaN with none)."""
    rows = []
    for side in ("open", "closed"):
        s = marked[marked["placed"] & (marked["openness"] == side)]
        tokens = float(s["tokens"].sum())
        on = float(s.loc[s["on_frontier"], "tokens"].sum())
        near = float(s.loc[s["near_frontier"], "tokens"].sum())
        rows.append({"openness": side, "models": len(s), "tokens": tokens, "on_tokens": on, "near_tokens": near,
                     "on_share": on / tokens if tokens else np.nan, "near_share": near / tokens if tokens else np.nan})
    return pd.DataFrame(rows)


def band_of(score: float) -> str | None:
    for label, lo, hi in BANDS:
        if (lo is None or score >= lo) and (hi is None or score < hi):
            return label
    return None


def band_shares(marked: pd.DataFrame) -> pd.DataFrame:
    """Per band (``BANDS`` order): placed models and tokens, open and closed tokens, and the
    open-weight share of the band's tokens (NaN for an empty band)."""
    p = marked[marked["placed"]]
    bands = p["score"].map(band_of)
    rows = []
    for label, lo, hi in BANDS:
        b = p[bands == label]
        tokens = float(b["tokens"].sum())
        open_tokens = float(b.loc[b["openness"] == "open", "tokens"].sum())
        rows.append({"band": label, "low": lo, "high": hi, "models": len(b),
                     "open_models": int((b["openness"] == "open").sum()), "tokens": tokens,
                     "open_tokens": open_tokens, "closed_tokens": tokens - open_tokens,
                     "open_share": open_tokens / tokens if tokens else np.nan})
    return pd.DataFrame(rows)


def unplaced(models: pd.DataFrame) -> pd.DataFrame:
    """The models not drawn and why: ``no benchmark``, ``no <index> score`` or ``no price``."""
    u = models[~placed_mask(models)].copy()
    u["why"] = np.where(~u["has_benchmark"].astype(bool), "no benchmark",
                        np.where(u["score"].isna(), "no score on this index", "no price above zero"))
    return u.sort_values(["tokens", "model_permaslug"], ascending=[False, True])


# --------------------------------------------------------------------------- in words


def _names(names: list[str], most: int = 6) -> str:
    if len(names) > most:
        return ", ".join(names[:most]) + f" and {len(names) - most} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def frontier_words(shares: pd.DataFrame, near: float = NEAR_FACTOR) -> str:
    """Open and closed tokens on, and on or near, the frontier, in one sentence."""
    parts = []
    for _, r in shares.iterrows():
        side = "open-weight" if r["openness"] == "open" else "closed"
        if not r["tokens"]:
            parts.append(f"no {side} model is placed")
            continue
        parts.append(f"**{pct(r['near_share'])}** of {side} tokens went to models on or near the frontier "
                     f"({pct(r['on_share'])} on it)")
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + f". Near: at most {near:g}× the price of the cheapest model scoring "
            "at least as high; tokens of placed models only.")


def band_words(bands: pd.DataFrame) -> str:
    """The open-weight share of tokens in the highest band with tokens, and the others."""
    filled = bands[bands["tokens"] > 0]
    if filled.empty:
        return "No placed model has tokens in this range."
    top = filled.iloc[0]
    lead = (f"Among models scoring {top['band']}, open-weight models carried **{pct(top['open_share'])}** of tokens "
            f"({int(top['open_models'])} of {int(top['models'])} models).")
    rest = [f"{r['band']}: {pct(r['open_share'])}" for _, r in filled.iloc[1:].iterrows()]
    return lead + (" Open-weight share in the lower bands: " + "; ".join(rest) + "." if rest else "")


def unplaced_words(models: pd.DataFrame, index_label: str) -> str:
    """How many models with ranked tokens are not drawn, their share of tokens, and who."""
    u = unplaced(models)
    if u.empty:
        return f"Every model with ranked tokens in the range has an {index_label.lower()} score and a price."
    total = float(models["tokens"].sum())
    share = float(u["tokens"].sum()) / total if total else np.nan
    groups = []
    for why in ("no benchmark", "no score on this index", "no price above zero"):
        names = list(u.loc[u["why"] == why, "model_name"])
        if names:
            groups.append(f"{why} ({len(names)}): {_names(names)}")
    return (f"{len(u)} of {len(models)} models with ranked tokens are not drawn ({pct(share)} of their tokens): "
            + "; ".join(groups) + ".")


def cut_words(models: pd.DataFrame, other_share: float, unranked: list[str]) -> str:
    """What the daily top-50 cut hides from this page."""
    drawn = models[models["placed"]] if "placed" in models else models
    partly = drawn[drawn["ranked_days"] < drawn["live_days"]]
    text = (f"Point sizes count a model's tokens on the days it was in the daily top 50 only: the `other` row, "
            f"{pct(other_share)} of all tokens in the range, belongs to no model here, so the frontier shares "
            "are of ranked tokens. ")
    if len(partly):
        text += (f"{len(partly)} drawn model(s) were live but below the cut on some days of the range, so their "
                 "points are smaller than their true volume by up to those days' tokens. ")
    if unranked:
        text += (f"{len(unranked)} benchmarked model(s) had no ranked tokens in the range and are not drawn: "
                 f"{_names(unranked)}.")
    return text.strip()


# --------------------------------------------------------------------------- measured session cost

TURN_ORDER = ("1-turn", "2-9-turns", "10-49-turns", "50-plus-turns")


def session_pairs(cells: pd.DataFrame) -> pd.DataFrame:
    """Per harness and turn range (the ``session_cost_cells`` frame): its top open-weight
    and its top closed model (most tokens in the range; ties: the lower permaslug) and their
    median session costs; only the pairs with both sides. ``ratio`` = closed ÷ open cost."""
    named = cells[cells["openness"].isin(["open", "closed"])]
    top = (named.sort_values(["tokens", "model_permaslug"], ascending=[False, True])
           .groupby(["app_slug", "turn_range", "openness"], as_index=False).first())
    sides = {s: top[top["openness"] == s].rename(columns={"model_name": f"{s}_model",
                                                          "median_session_cost_usd": f"{s}_cost"})
             for s in ("open", "closed")}
    keys = ["app_slug", "app_name", "turn_range"]
    pairs = sides["open"][keys + ["open_model", "open_cost"]].merge(
        sides["closed"][keys + ["closed_model", "closed_cost"]], on=keys)
    pairs["ratio"] = pairs["closed_cost"] / pairs["open_cost"].where(pairs["open_cost"] > 0)
    pairs["turn_order"] = pairs["turn_range"].map({t: i for i, t in enumerate(TURN_ORDER)})
    return pairs.sort_values(["app_name", "turn_order"]).drop(columns="turn_order").reset_index(drop=True)


def session_summary(cells: pd.DataFrame, pairs: pd.DataFrame) -> dict:
    """The medians over the pairs (open cost, closed cost, closed ÷ open), how many pairs
    and harnesses, and how many harnesses and cells could not be paired."""
    harnesses = cells["app_slug"].nunique()
    return {
        "pairs": len(pairs), "harnesses": int(pairs["app_slug"].nunique()), "all_harnesses": int(harnesses),
        "median_open": float(pairs["open_cost"].median()) if len(pairs) else np.nan,
        "median_closed": float(pairs["closed_cost"].median()) if len(pairs) else np.nan,
        "median_ratio": float(pairs["ratio"].median()) if len(pairs) else np.nan,
        "unmatched_cells": int(cells["openness"].isna().sum()),
    }


def usd_per_session(x: float) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    return f"${x:,.2f}" if x >= 0.1 else f"${x:,.3f}"


def session_words(s: dict) -> str:
    """The all-harness summary in one sentence, with what it covers."""
    if not s["pairs"]:
        return ("No published harness lists both an open-weight and a closed model at the same turn range, so "
                "there is no like-for-like session cost to compare.")
    return (f"In the same harness and turn range, a session on the harness's top open-weight model cost a median "
            f"**{usd_per_session(s['median_open'])}** against **{usd_per_session(s['median_closed'])}** on its top "
            f"closed model (closed ÷ open: median {s['median_ratio']:.1f}×), over {s['pairs']} harness × turn-range "
            f"pairs in {s['harnesses']} of the {s['all_harnesses']} published harnesses.")
