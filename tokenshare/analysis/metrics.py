"""Figures derived from query results, kept free of Streamlit so they can be tested."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class Headline:
    period: object | None  # first day of the latest complete period
    period_end: object | None
    share: float | None
    previous_period: object | None
    previous_share: float | None
    first_passed: object | None  # first complete period where open > closed
    above_since: object | None  # start of the current unbroken run above 50%
    skipped_partial: object | None  # the incomplete latest period left out, if any
    partial_used: bool = False  # True when only incomplete periods were available

    @property
    def delta(self) -> float | None:
        if self.share is None or self.previous_share is None:
            return None
        return self.share - self.previous_share


def open_share_headline(df: pd.DataFrame, *, lookback: int = 4, include_partial: bool = False) -> Headline:
    """Latest open-weight share of named volume, its change vs ``lookback`` periods
    earlier, and when open first passed closed. Incomplete periods are left out unless
    ``include_partial``; periods with no named volume are skipped."""
    d = df.sort_values("period").reset_index(drop=True)
    skipped = None
    if not include_partial and len(d) and bool(d.iloc[-1]["is_partial"]):
        skipped = d.iloc[-1]["period"]
    usable = d if include_partial else d[~d["is_partial"].astype(bool)]
    usable = usable[usable["named_tokens"] > 0].reset_index(drop=True)
    if usable.empty and not include_partial:
        # Only incomplete periods in range (a short range, or month grain over a few
        # weeks): show the latest of them rather than nothing, and say so.
        fallback = open_share_headline(df, lookback=lookback, include_partial=True)
        fallback.partial_used = fallback.period is not None
        return fallback
    if usable.empty:
        return Headline(None, None, None, None, None, None, None, skipped)
    last = usable.iloc[-1]
    prev = usable.iloc[-1 - lookback] if len(usable) > lookback else None
    above = usable["open_tokens"] > usable["closed_tokens"]
    first_passed = usable.loc[above, "period"].iloc[0] if above.any() else None
    above_since = None
    if above.iloc[-1]:
        i = len(usable) - 1
        while i > 0 and above.iloc[i - 1]:
            i -= 1
        above_since = usable.iloc[i]["period"]
    return Headline(
        period=last["period"],
        period_end=last["period_end"],
        share=float(last["open_share"]),
        previous_period=None if prev is None else prev["period"],
        previous_share=None if prev is None else float(prev["open_share"]),
        first_passed=first_passed,
        above_since=above_since,
        skipped_partial=skipped,
    )


def lead_changes(spells: pd.DataFrame) -> int:
    return max(len(spells) - 1, 0)


CSV_PREAMBLE_PREFIX = "# "


def csv_with_citation(df: pd.DataFrame, citation_lines: list[str]) -> bytes:
    """CSV text whose first lines are the citation (as # comments), then the table."""
    head = "".join(f"{CSV_PREAMBLE_PREFIX}{line}\n" for line in citation_lines)
    return (head + df.to_csv(index=False)).encode("utf-8")


def latest_overtake(df: pd.DataFrame, first: str, second: str) -> dict | None:
    """When the series now ahead of the two last moved ahead, over complete periods.

    ``df`` has period, is_partial, series, tokens (as share_by_series returns). Returns
    {"ahead": name, "behind": name, "since": period, "crossings": n} or None when one of
    the two is missing."""
    d = df[~df["is_partial"].astype(bool) & df["series"].isin([first, second])]
    # groupby + unstack: the same table as pivot_table(aggfunc="sum"), in a fraction of the time
    wide = d.groupby(["period", "series"])["tokens"].sum().unstack(fill_value=0)
    if first not in wide or second not in wide or wide.empty:
        return None
    lead = (wide[first] > wide[second]).astype(int) - (wide[first] < wide[second]).astype(int)
    lead = lead[lead != 0]
    if lead.empty:
        return None
    changes = (lead != lead.shift()).cumsum()
    last_run = lead[changes == changes.iloc[-1]]
    ahead, behind = (first, second) if lead.iloc[-1] > 0 else (second, first)
    return {"ahead": ahead, "behind": behind, "since": last_run.index[0],
            "crossings": int(changes.iloc[-1]) - 1, "from_start": changes.iloc[-1] == 1}
