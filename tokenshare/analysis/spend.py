"""Estimated spend: tokens x each model's blended price.

OpenRouter's usage data counts prompt + completion tokens together, while prices differ
for the two, so the estimate needs an assumed prompt:completion split. The split is an
input (3:1 by default: three prompt tokens per completion token) and is stated beside
every figure. Models without a price are counted and shown, never priced at zero."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from tokenshare.core.formatting import as_date, human_tokens, pct

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
                     "share": r["token_share"], "value_label": human_tokens(r["tokens"])})
        rows.append({"measure": "Estimated spend", "series": r["series"], "value": r["spend_usd"],
                     "share": r["spend_share"] if pd.notna(r["spend_share"]) else 0.0,
                     "value_label": usd(r["spend_usd"])})
    return pd.DataFrame(rows, columns=["measure", "series", "value", "share", "value_label"])


@dataclass(frozen=True)
class PeriodTotals:
    """One period's named volume, from its spend_by_series rows (any breakdown)."""

    tokens: int
    spend_usd: float  # estimated; models without a price left out
    unpriced_tokens: int
    unpriced_models: int

    @property
    def unpriced_share(self) -> float:
        """Share of the named tokens carried by models without a price."""
        return self.unpriced_tokens / self.tokens if self.tokens else 0.0


def period_totals(by_series: pd.DataFrame) -> PeriodTotals:
    """The period's totals. A model is in one series only, so the series' counts add up
    to the models without a price."""
    return PeriodTotals(
        tokens=int(by_series["tokens"].sum()),
        spend_usd=float(by_series["spend_usd"].sum()),
        unpriced_tokens=int(by_series["unpriced_tokens"].sum()),
        unpriced_models=int(by_series["unpriced_models"].sum()),
    )


def series_order(by_series: pd.DataFrame) -> list[str]:
    """The series in the query's order (largest by tokens first, Rest last)."""
    return by_series.sort_values("series_order")["series"].tolist()


def per_million_tokens(spend_usd: pd.Series, priced_tokens: pd.Series) -> pd.Series:
    """Estimated USD per million priced tokens (only priced tokens carry spend)."""
    return spend_usd / (priced_tokens / 1e6)


LAB_TABLE_COLUMNS = ["Lab", "Tokens", "Token share", "Estimated spend", "Spend share (est.)",
                     "Spend per M tokens (est.)", "Models without a price"]


def lab_table(by_lab: pd.DataFrame) -> pd.DataFrame:
    """spend_by_series rows by lab as the Spend page's table, figures written out."""
    return by_lab.assign(
        **{"Lab": by_lab["series"],
           "Token share": by_lab["token_share"].map(pct), "Spend share (est.)": by_lab["spend_share"].map(pct),
           "Tokens": by_lab["tokens"].map(human_tokens), "Estimated spend": by_lab["spend_usd"].map(usd),
           "Spend per M tokens (est.)": per_million_tokens(by_lab["spend_usd"], by_lab["priced_tokens"]).map(usd),
           "Models without a price": by_lab["unpriced_models"].astype(str) + " of " + by_lab["models"].astype(str)},
    )[LAB_TABLE_COLUMNS]


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
