"""Free vs paid: the free share of open-weight and of closed tokens (pure functions over
the ``free_share_by_period`` query's rows)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tokenshare.analysis.metrics import stacked_lines


@dataclass
class FreeHeadline:
    """The latest complete period with named tokens, and the free shares in it."""

    period: pd.Timestamp | None = None
    period_end: pd.Timestamp | None = None
    of_open: float | None = None
    of_closed: float | None = None
    open_free_tokens: int = 0
    closed_free_tokens: int = 0
    partial_used: bool = False  # no complete period in range: the latest partial one


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def free_headline(df: pd.DataFrame) -> FreeHeadline:
    """The free shares of the latest complete period that has open or closed tokens
    (else of the latest partial one, flagged)."""
    if df.empty:
        return FreeHeadline()
    named = df[(df["open_tokens"] + df["closed_tokens"]) > 0]
    full = named[~named["is_partial"].astype(bool)]
    rows, partial = (full, False) if not full.empty else (named, True)
    if rows.empty:
        return FreeHeadline()
    r = rows.sort_values("period").iloc[-1]
    return FreeHeadline(r["period"], r["period_end"], _num(r["free_share_of_open"]), _num(r["free_share_of_closed"]),
                        int(r["open_free_tokens"]), int(r["closed_free_tokens"]), partial)


FREE_LINES = (("free_share_of_open", "open_free_tokens", "Open weights"),
              ("free_share_of_closed", "closed_free_tokens", "Closed"))


def free_share_lines(df: pd.DataFrame) -> pd.DataFrame:
    """The free share of open-weight tokens and of closed tokens, one series each, from
    free_share_by_period, as ``metrics.stacked_lines`` rows."""
    return stacked_lines(df, FREE_LINES)
