"""Estimated spend: tokens x each model's blended price.

OpenRouter's usage data counts prompt + completion tokens together, while prices differ
for the two, so the estimate needs an assumed prompt:completion split. The split is an
input (3:1 by default: three prompt tokens per completion token) and is stated beside
every figure. Models without a price are counted and shown, never priced at zero."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from tokenshare.core.formatting import as_date

# prompt:completion splits offered (URL value = the text shown), fewest prompt tokens first
SPLITS = {
    "1:3": "1 prompt token per 3 completion tokens",
    "1:1": "as many prompt as completion tokens",
    "2:1": "2 prompt tokens per completion token",
    "3:1": "3 prompt tokens per completion token (default)",
    "4:1": "4 prompt tokens per completion token",
    "5:1": "5 prompt tokens per completion token",
    "10:1": "10 prompt tokens per completion token",
    "20:1": "20 prompt tokens per completion token",
}
DEFAULT_SPLIT = "3:1"
ESTIMATE = "Estimate"
MEASURES = ("Tokens", "Estimated spend")


def prompt_share(split: str) -> float:
    """'3:1' -> 0.75, the prompt tokens' share of all tokens."""
    p, c = (float(x) for x in split.split(":"))
    return p / (p + c)


def blended_price(prompt_usd: float | None, completion_usd: float | None, split: str) -> float | None:
    """USD per million tokens at the split, or None when either price is unknown."""
    if prompt_usd is None or completion_usd is None:
        return None
    if any(isinstance(x, float) and math.isnan(x) for x in (prompt_usd, completion_usd)):
        return None
    s = prompt_share(split)
    return s * prompt_usd + (1 - s) * completion_usd


def split_note(split: str) -> str:
    return f"estimate at a {split} prompt:completion split"


def usd(x) -> str:
    """$1.23M, $845K, $12.40."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    x = float(x)
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(x) >= size * 0.9995:
            v = x / size
            return f"${v:.3g}{unit}" if v < 100 else f"${v:.0f}{unit}"
    return f"${x:,.2f}"


def split_frame(by_series: pd.DataFrame) -> pd.DataFrame:
    """spend_by_series rows as the two bars of charts.split_bars: one row per (measure,
    series) with value, share and a label."""
    rows = []
    for _, r in by_series.iterrows():
        rows.append({"measure": "Tokens", "series": r["series"], "value": r["tokens"],
                     "share": r["token_share"], "value_label": _tok(r["tokens"])})
        rows.append({"measure": "Estimated spend", "series": r["series"], "value": r["spend_usd"],
                     "share": r["spend_share"] if pd.notna(r["spend_share"]) else 0.0,
                     "value_label": usd(r["spend_usd"])})
    return pd.DataFrame(rows, columns=["measure", "series", "value", "share", "value_label"])


def _tok(n) -> str:
    from tokenshare.core.formatting import human_tokens

    return human_tokens(n)


def latest_complete(df: pd.DataFrame):
    """The row of the latest complete period with named tokens (or the latest period,
    flagged, when none is complete); None when there is nothing."""
    d = df[(df["open_tokens"] + df["closed_tokens"]) > 0].sort_values("period")
    if d.empty:
        return None, False
    complete = d[~d["is_partial"].astype(bool)]
    if complete.empty:
        return d.iloc[-1], True
    return complete.iloc[-1], False


def period_window(row, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The days of a period row that lie inside [start, end]."""
    return max(as_date(row["period"]), start), min(as_date(row["period_end"]), end)


def trend_frame(by_period: pd.DataFrame) -> pd.DataFrame:
    """spend_open_by_period as two series for charts.open_vs_spend_lines."""
    keep = ["period", "period_end", "is_partial"]
    a = by_period[keep + ["token_share"]].rename(columns={"token_share": "share"}).assign(measure="Share of tokens")
    b = by_period[keep + ["spend_share"]].rename(columns={"spend_share": "share"}).assign(measure="Share of estimated spend")
    return pd.concat([a, b], ignore_index=True)
