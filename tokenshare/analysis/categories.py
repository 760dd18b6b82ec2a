"""Use-case categories: picking the week and wording the figures of the Categories page
(estimates from OpenRouter's sampled category data)."""

from __future__ import annotations

import pandas as pd

from tokenshare.core.formatting import pct

PREFERRED = ("programming", "roleplay")


def default_choice(options: list[str]) -> list[str]:
    """programming and roleplay when present, else the two largest categories."""
    chosen = [c for c in PREFERRED if c in options]
    return chosen if chosen else options[:2]


def latest_week(shares: pd.DataFrame):
    """(week, partial_only): the latest complete week with named volume, or the latest
    week when none is complete; (None, False) when there is none."""
    d = shares[shares["named_tokens"] > 0]
    if d.empty:
        return None, False
    complete = d[~d["is_partial"].astype(bool)]
    if complete.empty:
        return d["period"].max(), True
    return complete["period"].max(), False


def headlines(shares: pd.DataFrame, chosen: list[str], week, lookback: int = 4) -> list[dict]:
    """Open-weight share of each chosen category in ``week`` and its change vs
    ``lookback`` weeks earlier (None when that week is not in the data)."""
    out = []
    earlier = pd.Timestamp(week) - pd.Timedelta(days=7 * lookback)
    for cat in chosen:
        rows = shares[(shares["category"] == cat)]
        now = rows[rows["period"] == week]
        if now.empty or pd.isna(now.iloc[0]["open_share"]):
            continue
        before = rows[rows["period"] == earlier]
        share = float(now.iloc[0]["open_share"])
        delta = None
        if not before.empty and pd.notna(before.iloc[0]["open_share"]):
            delta = share - float(before.iloc[0]["open_share"])
        out.append({"category": cat, "share": share, "delta": delta})
    return out


def leader_table(leaders: pd.DataFrame, chosen: list[str]) -> pd.DataFrame:
    """One row per category: #1, #2, #3 as 'Lab 23.4% (open 100%)'; chosen categories first."""
    rows = []
    for cat, g in leaders.groupby("category", sort=False):
        g = g.sort_values("rank")
        row = {"Category": cat}
        for _, r in g.iterrows():
            open_part = "" if pd.isna(r["lab_open_share"]) else f" (open {pct(r['lab_open_share'], 0)})"
            row[f"#{int(r['rank'])}"] = f"{r['lab_name']} {pct(r['share'])}{open_part}"
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["_chosen"] = ~df["Category"].isin(chosen)
    return df.sort_values(["_chosen", "Category"]).drop(columns="_chosen").reset_index(drop=True)
