"""Figures derived from query results, kept free of Streamlit so they can be tested."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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


@dataclass
class FocusHeadline:
    """The focus (the chosen labs or lab countries) against the whole market, in the
    latest complete period (``focus_share_by_period`` rows)."""

    period: object | None
    period_end: object | None
    share_of_named: float | None  # focus named tokens / every named token
    share_of_named_before: float | None  # the same ``lookback`` periods earlier
    share_of_open: float | None  # focus open-weight tokens / every open-weight token
    share_of_open_before: float | None
    own_open_share: float | None  # focus open / focus named (None: no named tokens)
    focus_tokens: int
    market_tokens: int
    market_open_share: float | None
    previous_period: object | None
    skipped_partial: object | None
    partial_used: bool = False
    present: bool = True  # the focus has named tokens somewhere in the range

    @property
    def delta_named(self) -> float | None:
        return _delta(self.share_of_named, self.share_of_named_before)

    @property
    def delta_open(self) -> float | None:
        return _delta(self.share_of_open, self.share_of_open_before)


def _delta(now, before):
    return None if now is None or before is None else now - before


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def focus_headline(df: pd.DataFrame, *, lookback: int = 4) -> FocusHeadline:
    """The focus's share of all named tokens and of open-weight tokens in the latest
    complete period, each with its change against ``lookback`` periods earlier, and the
    open-weight share of the focus's own tokens. A period where the focus had no tokens
    is a true 0% of the market, so it counts; only the own-tokens share is undefined
    there. With no complete period, the latest incomplete one is used (partial_used)."""
    d = df.sort_values("period").reset_index(drop=True)
    complete = d[~d["is_partial"].astype(bool) & (d["market_named_tokens"] > 0)].reset_index(drop=True)
    skipped = d.iloc[-1]["period"] if len(d) and bool(d.iloc[-1]["is_partial"]) and len(complete) else None
    usable, partial_used = complete, False
    if usable.empty:
        usable = d[d["market_named_tokens"] > 0].reset_index(drop=True)
        partial_used = not usable.empty
    present = bool(len(d)) and int(d["focus_named_tokens"].sum()) > 0
    if usable.empty:
        return FocusHeadline(None, None, None, None, None, None, None, 0, 0, None, None, None, present=present)
    last = usable.iloc[-1]
    prev = usable.iloc[-1 - lookback] if len(usable) > lookback else None
    return FocusHeadline(
        period=last["period"], period_end=last["period_end"],
        share_of_named=_num(last["share_of_named"]),
        share_of_named_before=None if prev is None else _num(prev["share_of_named"]),
        share_of_open=_num(last["share_of_open"]),
        share_of_open_before=None if prev is None else _num(prev["share_of_open"]),
        own_open_share=_num(last["own_open_share"]),
        focus_tokens=int(last["focus_named_tokens"]), market_tokens=int(last["market_named_tokens"]),
        market_open_share=_num(last["market_open_share"]),
        previous_period=None if prev is None else prev["period"],
        skipped_partial=skipped, partial_used=partial_used, present=present,
    )


def own_open_words(name: str, share: float | None, when: str) -> str:
    """The open-weight share of the focus's own tokens in plain words, so a 100% or 0%
    that only says "all of it is one kind" cannot be read as the market's share."""
    whose = name + ("'" if name.endswith("s") else "'s")
    if share is None:
        return f"{name} had no open or closed tokens in the {when}."
    if share >= 1.0:
        return f"All of {whose} tokens in the {when} were open-weight models."
    if share <= 0.0:
        return f"None of {whose} tokens in the {when} were open-weight models: all were closed."
    return f"{100 * share:.1f}% of {whose} own tokens in the {when} were open-weight models."


def on_every_period(df: pd.DataFrame, periods: pd.DataFrame, series_col: str = "series", *,
                    absent: str = "zero") -> pd.DataFrame:
    """``df`` (period, period_end, is_partial, series, series_order, tokens, share) on
    every period of ``periods`` (period, period_end, is_partial: every period in range),
    so a chart never draws a straight line across periods without rows. Where a series
    has no row: ``absent="zero"`` gives 0 tokens and a 0 share (right for shares of the
    whole market: none of its tokens is a true 0%); ``absent="gap"`` gives 0 where the
    period has other rows (a true 0 of the selection) and blanks (NaN, a break in the
    line or area) where the period has none at all, since a share of nothing is no
    number.

    The rows come out by period, then series_order (else the series' first appearance).
    Built by positions rather than by merging on the series names: the Share page calls
    this on every rerun, and two merges and a sort on Arrow-backed strings were a fifth of
    the server's CPU under load (tests/analysis/test_every_period.py checks it equals
    the merge)."""
    if df.empty:
        return df
    keys = [c for c in (series_col, "series_order") if c in df]
    grid_periods = periods[["period", "period_end", "is_partial"]].drop_duplicates()
    series = df[keys].drop_duplicates(subset=[series_col])
    if "series_order" in series:
        series = series.sort_values("series_order", kind="stable")
    grid_periods = grid_periods.sort_values("period", kind="stable")
    n_periods, n_series = len(grid_periods), len(series)
    rows = np.full(n_periods * n_series, -1, dtype=np.intp)  # df's row at each grid cell, -1 for none
    p_at = pd.Index(grid_periods["period"]).get_indexer(df["period"])
    s_at = pd.Index(series[series_col]).get_indexer(df[series_col])
    found = p_at >= 0
    rows[p_at[found] * n_series + s_at[found]] = np.flatnonzero(found)
    out = {
        "period": np.repeat(grid_periods["period"].to_numpy(), n_series),
        "period_end": np.repeat(grid_periods["period_end"].to_numpy(), n_series),
        "is_partial": np.repeat(grid_periods["is_partial"].to_numpy(), n_series),
    }
    for k in keys:
        out[k] = pd.array(series[k].array).take(np.tile(np.arange(n_series), n_periods))
    missing = rows < 0
    for col in df.columns:
        if col in out:
            continue
        values = df[col].array
        out[col] = values.take(rows, allow_fill=True) if missing.any() else values.take(rows)
    out = pd.DataFrame(out)
    if absent == "gap":
        empty_period = ~out["period"].isin(df["period"]).to_numpy()
        for col in ("tokens", "share"):
            out[col] = out[col].astype("float64").mask(missing & ~empty_period, 0.0)
    else:
        out["tokens"] = out["tokens"].fillna(0).astype("int64")
        out["share"] = out["share"].fillna(0.0)
    return out


def stacked_lines(df: pd.DataFrame, lines) -> pd.DataFrame:
    """Long rows for a line chart from a frame with one row per period: one series per
    ``(share column, tokens column, label)`` of ``lines``, in that order (period,
    period_end, is_partial, series, series_order, share, tokens). Stacked column by
    column: a melt or a concat of frames with a string column cost milliseconds a rerun."""
    n = len(df)

    def repeated(col: str) -> np.ndarray:
        return np.concatenate([df[col].to_numpy()] * len(lines))

    return pd.DataFrame({
        "period": repeated("period"), "period_end": repeated("period_end"), "is_partial": repeated("is_partial"),
        "series": pd.array(np.repeat([label for _, _, label in lines], n), dtype="str"),
        "series_order": np.repeat(np.arange(len(lines), dtype="int64"), n),
        "share": np.concatenate([df[share].to_numpy(dtype="float64", na_value=np.nan) for share, _, _ in lines]),
        "tokens": np.concatenate([df[tokens].to_numpy() for _, tokens, _ in lines]),
    })


FOCUS_LINES = (("share_of_named", "focus_named_tokens", "Of all named tokens"),
               ("share_of_open", "focus_open_tokens", "Of open-weight tokens"))


def focus_share_lines(fshare: pd.DataFrame) -> pd.DataFrame:
    """The focus's two lines (its share of all named tokens, and of open-weight tokens)
    from focus_share_by_period, as ``stacked_lines`` rows."""
    return stacked_lines(fshare, FOCUS_LINES)


def lead_changes(spells: pd.DataFrame) -> int:
    return max(len(spells) - 1, 0)


CSV_PREAMBLE_PREFIX = "# "


def csv_with_citation(df: pd.DataFrame, citation_lines: list[str]) -> bytes:
    """CSV text whose first lines are the citation (as # comments), then the table."""
    return (csv_preamble(citation_lines) + df.to_csv(index=False)).encode("utf-8")


def csv_preamble(citation_lines: list[str]) -> str:
    """The citation as the CSV's first lines (# comments)."""
    return "".join(f"{CSV_PREAMBLE_PREFIX}{line}\n" for line in citation_lines)


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
