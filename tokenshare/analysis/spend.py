"""Estimated spend: tokens x each model's blended price, and how much it depends on
the assumptions.

OpenRouter's usage data counts prompt + completion tokens together, while prices differ
for prompt, cached prompt and completion tokens, so the estimate needs an assumed
prompt:completion split and an assumed share of prompt tokens read from cache. Both are
inputs whose defaults, and the plausible range around them, come from the cited
reference file (``tokenshare/data/reference/spend_assumptions.toml``), read by the app
layer (``tokenshare.app.evidence``) and passed in as ``evidence`` (a
``SpendAssumptions``: split_default/low/high, cached_default/low/high); every spend
share is shown with the range it takes over that plausible range ("between X% and Y%,
Z% at the default"). Models without a price are counted and shown, never priced at
zero; a model without a cache-read price pays the prompt price for cached tokens; a
model whose snapshot row carries its own prompt_token_share uses it instead of the
assumed split.

Why the range is computed at four corners: a series' spend is
``k_const + k_split*s + k_cached*c + k_both*s*c`` (s = prompt share of tokens, c =
cached share of prompt tokens; the k_* come from the queries), so for a fixed c a
share of spend is a ratio of two linear functions of s, monotone in s, and likewise in
c for a fixed s. Its extremes over the rectangle [s_low, s_high] x [c_low, c_high] are
therefore at the rectangle's corners."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from tokenshare.core.formatting import as_date, human_tokens, pct


def ratio(split: str) -> float:
    """'15:1' -> 15.0 prompt tokens per completion token."""
    p, c = (float(x) for x in split.split(":"))
    if p <= 0 or c <= 0:
        raise ValueError(f"split {split!r}: both sides must be positive")
    return p / c


def _split_text(split: str, default: str) -> str:
    p, c = split.split(":")
    if split == default:
        return f"{p} prompt tokens per completion token (default, from the cited evidence)"
    if p == "1" and c == "1":
        return "as many prompt as completion tokens"
    if p == "1":
        return f"1 prompt token per {c} completion tokens"
    return f"{p} prompt tokens per completion token"


# prompt:completion splits offered (URL value = the text shown), fewest prompt tokens
# first, with the evidence's low, default and high; the older values stay so that old
# links still open
_SPLIT_VALUES = {"1:3", "1:1", "2:1", "3:1", "4:1", "5:1", "10:1", "15:1", "20:1", "30:1", "50:1"}
# share of prompt tokens read from cache, in percent (URL value = whole percent)
_CACHED_VALUES = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90}


def split_choices(evidence) -> dict[str, str]:
    """The prompt:completion splits offered (URL value -> what it means)."""
    e = evidence
    values = _SPLIT_VALUES | {e.split_low, e.split_default, e.split_high}
    return {v: _split_text(v, e.split_default) for v in sorted(values, key=ratio)}


def cached_choices(evidence) -> dict[str, str]:
    """The cached shares offered, in whole percent (URL value -> what it means)."""
    e = evidence
    values = _CACHED_VALUES | {round(100 * e.cached_low), round(100 * e.cached_default), round(100 * e.cached_high)}
    return {str(v): f"{v}% of prompt tokens read from cache" for v in sorted(values)}


def default_cached(evidence) -> str:
    """The default cached share as its URL value (whole percent)."""
    return str(round(100 * evidence.cached_default))

# what open-weight tokens are priced at (URL value -> what it means); the spend queries'
# $pricing. Providers are ranked at the default split (RANK_PROMPT_SHARE), whatever the
# page's split, so the spend stays linear in the split and the ranges below hold.
PRICINGS = {
    "catalogue": "the catalogue's price (OpenRouter's listed price for the model)",
    "cheapest": "the model's cheapest provider (by blended price at the default split)",
    "median": "the model's median provider (by blended price at the default split)",
}
DEFAULT_PRICING = "catalogue"
ESTIMATE = "Estimate"
MEASURES = ("Tokens", "Estimated spend")
K_COLUMNS = ("k_const", "k_split", "k_cached", "k_both")


def prompt_share(split: str) -> float:
    """'3:1' -> 0.75, the prompt tokens' share of all tokens."""
    p, c = (float(x) for x in split.split(":"))
    return p / (p + c)


def rank_prompt_share(evidence) -> float:
    """The prompt share the spend queries rank providers at: the default split's."""
    return prompt_share(evidence.split_default)


def cached_share(value: str) -> float:
    """'84' -> 0.84, the share of prompt tokens read from cache."""
    return int(value) / 100


def blended_price(prompt_usd: float | None, completion_usd: float | None, split: str,
                  cache_usd: float | None = None, cached: float = 0.0) -> float | None:
    """USD per million tokens at the split and cached share, or None when the prompt or
    completion price is unknown (no cache price: cached tokens pay the prompt price)."""
    if prompt_usd is None or completion_usd is None:
        return None
    if any(isinstance(x, float) and math.isnan(x) for x in (prompt_usd, completion_usd)):
        return None
    if cache_usd is None or (isinstance(cache_usd, float) and math.isnan(cache_usd)):
        cache_usd = prompt_usd
    s = prompt_share(split)
    return s * ((1 - cached) * prompt_usd + cached * cache_usd) + (1 - s) * completion_usd


def split_note(split: str, cached: str = "0") -> str:
    if cached == "0":
        return f"estimate at a {split} prompt:completion split"
    return f"estimate at a {split} prompt:completion split, {cached}% of prompt tokens cached"


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
                     "Spend share, plausible range", "Spend per M tokens (est.)", "Models without a price"]


def lab_table(by_lab: pd.DataFrame, ranges: pd.DataFrame | None = None) -> pd.DataFrame:
    """spend_by_series rows by lab as the Spend page's table, figures written out;
    ``ranges`` (series_ranges of the same rows) fills the range column."""
    if ranges is None:
        span = pd.Series("–", index=by_lab.index)
    else:
        r = ranges.set_index("series")
        span = by_lab["series"].map(lambda s: f"{pct(r.loc[s, 'share_low'])} to {pct(r.loc[s, 'share_high'])}"
                                    if s in r.index and pd.notna(r.loc[s, "share_low"]) else "–")
    return by_lab.assign(
        **{"Lab": by_lab["series"],
           "Token share": by_lab["token_share"].map(pct), "Spend share (est.)": by_lab["spend_share"].map(pct),
           "Spend share, plausible range": span,
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


# --------------------------------------------------------------------------- sensitivity


@dataclass(frozen=True)
class Point:
    """One assumption: s = prompt share of tokens, c = share of prompt tokens cached."""

    s: float
    c: float


def default_point(evidence) -> Point:
    return Point(prompt_share(evidence.split_default), evidence.cached_default)


def corners(evidence) -> list[Point]:
    """The corners of the plausible range (see the module docstring for why they hold
    the extremes)."""
    a = evidence
    return [Point(prompt_share(sp), c) for sp in (a.split_low, a.split_high) for c in (a.cached_low, a.cached_high)]


def spend_at(k, at: Point, prefix: str = ""):
    """Spend (USD) at ``at`` from the k_* columns (``prefix`` e.g. "open_"): a number
    for a row, a Series for a frame."""
    return (k[prefix + "k_const"] + k[prefix + "k_split"] * at.s + k[prefix + "k_cached"] * at.c
            + k[prefix + "k_both"] * at.s * at.c)


@dataclass(frozen=True)
class ShareRange:
    """A spend share over the plausible range, and at the default and at the choice."""

    low: float
    high: float
    at_default: float
    at_choice: float

    def text(self) -> str:
        if any(math.isnan(x) for x in (self.low, self.high, self.at_default)):
            return "no estimate (no priced tokens)"
        return f"between {pct(self.low)} and {pct(self.high)}, {pct(self.at_default)} at the default"


def _share(num: float, den: float) -> float:
    return num / den if den else float("nan")


def _shares(spend: pd.Series) -> pd.Series:
    total = spend.sum()
    return spend / total if total else spend * float("nan")


def series_ranges(by_series: pd.DataFrame, choice: Point, evidence) -> pd.DataFrame:
    """For spend_by_series rows: each series' spend share at the plausible range's
    corners (share_low, share_high), at the default and at ``choice``, and the range
    in words. Columns: series, share_low, share_high, share_default, share_choice,
    range_text."""
    at_default = _shares(spend_at(by_series, default_point(evidence)))
    shares = pd.concat([_shares(spend_at(by_series, pt)) for pt in corners(evidence)] + [at_default], axis=1)
    out = pd.DataFrame({
        "series": by_series["series"].to_numpy(),
        "share_low": shares.min(axis=1).to_numpy(),
        "share_high": shares.max(axis=1).to_numpy(),
        "share_default": at_default.to_numpy(),
        "share_choice": _shares(spend_at(by_series, choice)).to_numpy(),
    })
    out["range_text"] = [ShareRange(lo, hi, d, c).text() for lo, hi, d, c in
                         zip(out["share_low"], out["share_high"], out["share_default"], out["share_choice"])]
    return out


def open_share_range(row, choice: Point, evidence) -> ShareRange:
    """The open-weight share of spend for one spend_open_by_period row."""
    def at(pt):
        o = spend_at(row, pt, "open_")
        return _share(o, o + spend_at(row, pt, "closed_"))
    values = [at(pt) for pt in corners(evidence)] + [at(default_point(evidence))]
    values = [v for v in values if not math.isnan(v)]
    if not values:
        nan = float("nan")
        return ShareRange(nan, nan, nan, nan)
    return ShareRange(min(values), max(values), at(default_point(evidence)), at(choice))


def trend_ranges(by_period: pd.DataFrame, choice: Point, evidence) -> pd.DataFrame:
    """spend_open_by_period with the range of the open-weight spend share per period:
    columns period, period_end, is_partial, low, high (as ``open_share_range`` per row,
    computed on whole columns: row by row it was a quarter of the Spend page's rerun)."""
    shares = []
    for pt in corners(evidence) + [default_point(evidence)]:
        o = spend_at(by_period, pt, "open_")
        total = o + spend_at(by_period, pt, "closed_")
        shares.append((o / total.where(total != 0)).astype(float))
    frame = pd.concat(shares, axis=1)
    return by_period[["period", "period_end", "is_partial"]].assign(
        low=frame.min(axis=1).to_numpy(), high=frame.max(axis=1).to_numpy())


def sensitivity_frame(row, choice: Point, evidence) -> pd.DataFrame:
    """The open-weight share of spend over the splits of the plausible range, one line
    per cached share (the range's ends and the default), for the small chart. Columns:
    ratio (prompt tokens per completion token), split, cached, line, share."""
    a = evidence
    lo, hi = ratio(a.split_low), ratio(a.split_high)
    splits = [v for v in split_choices(a) if lo <= ratio(v) <= hi]
    cached = sorted({a.cached_low, a.cached_default, a.cached_high})
    rows = []
    for c in cached:
        for sp in splits:
            pt = Point(prompt_share(sp), c)
            o = spend_at(row, pt, "open_")
            rows.append({"ratio": ratio(sp), "split": sp, "cached": c, "line": f"{c:.0%} cached",
                         "share": _share(o, o + spend_at(row, pt, "closed_"))})
    return pd.DataFrame(rows, columns=["ratio", "split", "cached", "line", "share"])


def known_volume(by_series: pd.DataFrame) -> tuple[float, float]:
    """(share of priced tokens with a known per-model split, share of priced tokens of
    models with a cache-read price)."""
    priced = by_series["priced_tokens"].sum()
    if not priced:
        return 0.0, 0.0
    return by_series["known_split_tokens"].sum() / priced, by_series["cache_priced_tokens"].sum() / priced
