"""The Claims page's figures with the tail below the Data API's daily top 50 (issue 21):
the open-weight share (cards 1 and 5), Arcee AI's and US labs' standing (card 4) worded
with their bounds by the same helpers as the Share and Race pages, so a card never states
a lab, country or openness figure that the cut alone made. Bounds from tail.py's cached
frames; None or "" with a tier filter (tail.TIER_NOTE)."""

from __future__ import annotations

import pandas as pd

from tokenshare.analysis import claims
from tokenshare.analysis.tail import bounds as tail
from tokenshare.app import cache, tail as tailing
from tokenshare.app.text import md
from tokenshare.core.formatting import period_label

BELOW = tailing.BELOW


def _period_slice(ed: pd.DataFrame, period, grain: str) -> pd.DataFrame:
    """The entry-days of one period (a day's bounds depend on that day alone)."""
    start = pd.Timestamp(period)
    end = {"day": start + pd.Timedelta(days=1), "week": start + pd.Timedelta(days=7)}.get(
        grain, start + pd.offsets.MonthBegin(1))
    return ed[(ed["date"] >= start) & (ed["date"] < end)]


@cache.memoised("tail")
def _openness_cached(snapshot_id: str, start, end, grain: str, universe: str, period, _ctx) -> pd.DataFrame:
    ed = _period_slice(tailing.base(_ctx).ed, period, grain)
    s = tail.share_ranges(ed.assign(_o=ed["openness"]), "_o", grain, universe)
    return s[s["group"] == "open"].set_index("period")


def open_share_note(ctx, period, universe: str, what: str) -> str:
    """"Counting the tail ...: between a and b of {what}" for the open-weight share in
    ``period`` ("named": of named tokens; "all": of every token), "" when the tail cannot
    move it at one decimal or with a tier filter."""
    f = ctx.filters
    if f.tier != "all" or period is None:
        return ""
    at = pd.Timestamp(period)
    s = _openness_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.grain, universe, at, ctx)
    if at not in s.index:
        return ""
    r = s.loc[at]
    if not tailing.is_range(r["share_lo"], r["share_hi"]):
        return (f"Counting the tail {BELOW}, the open-weight share of {what} in the {period_label(at, f.grain)} is "
                f"{tailing.share_words(r['known_share'], r['share_lo'], r['share_hi'])} too: the cut cannot move it.")
    return (f"Counting the tail {BELOW} (models absent from a day's list had between 0 and that day's cut, never "
            f"more than `other` together), the open-weight share of {what} in the {period_label(at, f.grain)} is "
            f"{tailing.share_words(r['known_share'], r['share_lo'], r['share_hi'])}; the figure above is the "
            "ranked lists'.")


@cache.memoised("tail")
def _at_period_cached(snapshot_id: str, start, end, grain: str, period, _ctx) -> tuple:
    """Arcee's and US labs' focus bounds and every lab's open-weight bounds in one period."""
    ed = _period_slice(tailing.base(_ctx).ed, period, grain)
    arcee = tailing.focus_frame(ed, (claims.ARCEE,), (), grain).periods
    us = tailing.focus_frame(ed, (), ("US",), grain).periods
    return arcee, us, tailing.lab_frame(ed, grain, "open")


def _latest(periods: pd.DataFrame):
    return periods.iloc[-1] if len(periods) else None


def _best_reach(labs: pd.DataFrame | None, lab: str, grain: str) -> str:
    """Arcee's best rank counting the tail over the complete periods: the best it can
    have held, and the best it surely held (its worst rank in its best period)."""
    if labs is None:
        return ""
    mine = labs[(labs["group"] == lab) & ~labs["is_partial"].astype(bool) & (labs["tokens_hi"] > 0)]
    if mine.empty:
        return ""
    sure = mine.sort_values(["worst_rank", "period"]).iloc[0]
    best = int(mine["best_rank"].min())
    top = claims.STRONG_RANK
    proven = int(sure["worst_rank"]) <= top
    return (f" Over the range its rank counting the tail was at best #{best}; "
            + (f"it was surely in the top {top} in the {period_label(sure['period'], grain)} "
               f"({tailing.rank_words(sure['best_rank'], sure['worst_rank'])})."
               if proven else
               f"no {grain} puts it in the top {top} for sure (its surest was "
               f"{tailing.rank_words(sure['best_rank'], sure['worst_rank'])} in the "
               f"{period_label(sure['period'], grain)}), so the top-{top} reach rests on the ranked lists."))


def us_card_note(ctx, arcee: str, period) -> str:
    """Card 4 counting the tail: Arcee AI's share of open-weight tokens and rank range in
    ``period`` (the latest complete one), its best rank that the bounds prove (from the
    Race page's lab bounds, shared), and US labs' share."""
    f = ctx.filters
    if f.tier != "all":
        return tailing.TIER_NOTE
    parts = []
    a = u = labs = None
    if period is not None:
        a_p, u_p, labs = _at_period_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.grain, pd.Timestamp(period), ctx)
        a, u = _latest(a_p), _latest(u_p)
    if a is not None and a["status"] != "not launched":
        when = period_label(a["period"], f.grain)
        row = labs[(labs["group"] == arcee) & (labs["period"] == a["period"])] if labs is not None else pd.DataFrame()
        rank = (f", {tailing.rank_words(row.iloc[0]['best_rank'], row.iloc[0]['worst_rank'])} among open-weight labs"
                if len(row) and row.iloc[0]["tokens_hi"] > 0 else "")
        where = (f" (its models {BELOW} on every day)" if int(a["days_ranked"]) == 0
                 else f" (its models {BELOW} on some days)" if int(a["days_censored"]) > 0 else "")
        parts.append(f"in the {when} {md(arcee)}{where} had "
                     f"{tailing.share_words(a['open_known'], a['open_lo'], a['open_hi'])} of open-weight tokens{rank}.")
    if u is not None:
        parts.append(f"US labs: {tailing.share_words(u['open_known'], u['open_lo'], u['open_hi'])} of open-weight "
                     f"tokens in the {period_label(u['period'], f.grain)}.")
    reach = _best_reach(tailing.lab_tail(ctx, "open"), arcee, f.grain)  # the Race page's frame, shared
    if not parts and not reach:
        return ""
    return f"Counting the tail {BELOW}: " + " ".join(parts) + reach


def never_ranked_but_live(ctx, lab: str) -> bool:
    """True when ``lab`` had open-weight models live in the range but none in the daily
    top 50 on any day: its tokens are bounded, not none."""
    labs = tailing.lab_tail(ctx, "open")  # the Race page's frame, shared
    if labs is None:
        return False
    mine = labs[labs["group"] == lab]
    return bool(len(mine)) and float(mine["known"].sum()) == 0 and float(mine["tokens_hi"].sum()) > 0
