"""The Share page's focus headline and chart (a lab or country focus measured against the
whole market), with the tail below the Data API's daily top 50 stated honestly: a focus
below the cut gets a range that holds its true share ("under 4.7%"), never a 0% that only
the cut made; a true 0 (no model released yet) stays 0 and says why (issue 21)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tokenshare.analysis.metrics import focus_headline, focus_share_lines, own_open_words
from tokenshare.app import charts, page, tail as tailing
from tokenshare.app.page_parts.tail import tier_tail
from tokenshare.app.text import md
from tokenshare.core.formatting import human_tokens, pct, period_label, pp_delta

BELOW = tailing.BELOW


def _row(periods: pd.DataFrame | None, period):
    if periods is None or period is None:
        return None
    hit = periods[periods["period"] == pd.Timestamp(period)]
    return None if hit.empty else hit.iloc[0]


def _censored(row) -> bool:
    return row is not None and int(row["days_censored"]) > 0


def _released(first_live) -> str:
    return "" if pd.isna(first_live) else f" (its first model was released on {page.fmt_date(first_live)})"


def _share_metric(col, label: str, known, known_before, lo, hi, row, prev, help_text: str) -> bool:
    """A share metric: the known figure (with its change) unless the tail makes it a range
    at the precision shown. Returns True when a range was stated."""
    if _censored(row) and tailing.is_range(lo, hi):
        col.metric(label, tailing.share_words(known, lo, hi), help=help_text)
        page.headline(f"{label}: {tailing.share_words(known, lo, hi)}")  # the first metric is the page's headline
        return True
    page.headline(f"{label}: {pct(known)}")
    # a change is shown only between two periods the cut did not touch
    exact = not _censored(row) and not _censored(prev) and known_before is not None
    col.metric(label, pct(known), delta=pp_delta(known - known_before) if exact else None, help=help_text)
    return False


def _known_words(row, market_tokens) -> str:
    known = row["known"] if row is not None else 0
    if not known:
        return "the ranked lists name none of its tokens"
    return f"the ranked lists name {human_tokens(known)} of {human_tokens(market_tokens)} named tokens as its"


def _headline(ctx, focus, fh, ft) -> None:
    f = ctx.filters
    name, names = md(focus.name), md(focus.possessive)
    when = period_label(fh.period, f.grain)
    span = f"{when} ({page.fmt_date(fh.period)} to {page.fmt_date(fh.period_end)})"
    periods = ft.periods if ft is not None else None
    row, prev = _row(periods, fh.period), _row(periods, fh.previous_period)
    before = {"named": fh.share_of_named_before, "open": fh.share_of_open_before}
    c1, c2, c3 = st.columns(3)
    below = (f"{name} was {BELOW} on {int(row['days_censored'])} of {int(row['days_live'])} days of the {when}: "
             "on those days it had between 0 and the day's cut (the 50th model's tokens), not 0. "
             if _censored(row) else "")
    for col, kind, label, known, lo, hi, whose in (
            (c1, "named", f"{name}: share of all named tokens", fh.share_of_named,
             *(row[["share_lo", "share_hi"]] if row is not None else (None, None)), "open-weight and closed"),
            (c2, "open", "Share of open-weight tokens", fh.share_of_open,
             *(row[["open_lo", "open_hi"]] if row is not None else (None, None)), "open-weight")):
        ranged = _share_metric(col, label, known, before[kind], lo, hi, row, prev,
                               f"{names} {whose} tokens / every lab's {whose} tokens in the {span}. {below}"
                               f"Known from the ranked lists alone: {pct(known) if known else 'none of its tokens'}. Change vs 4 periods earlier, "
                               "shown only when neither period was below the cut.")
        if kind == "named":
            days = "every day" if row is not None and int(row["days_ranked"]) == 0 else "some days"
            words = (f"{when}: {BELOW} on {days}; {_known_words(row, fh.market_tokens)}" if ranged else
                     f"{when}: {human_tokens(fh.focus_tokens)} of {human_tokens(fh.market_tokens)} named tokens")
            if not ranged and row is not None and tailing.is_range(lo, hi):
                words += f" · counting the tail below the top 50: {tailing.share_words(known, lo, hi)}"
            if row is not None and row["status"] == "not launched":
                words = f"{when}: no model of {name} had been released yet{_released(ft.first_live)}"
            c1.caption(words + (" (incomplete: no complete period in this range)" if fh.partial_used else ""))
        else:
            c2.caption(f"The whole market that {f.grain}: open-weight models carried {pct(fh.market_open_share)} "
                       "of all named tokens (ranked lists)")
    _own_metric(c3, focus, fh, row, when)


def _own_metric(col, focus, fh, row, when) -> None:
    name, names = md(focus.name), md(focus.possessive)
    label = f"Open-weight share of {names} own tokens"
    help_text = (f"{names} open-weight tokens / its own open-weight and closed tokens: a share of the focus, "
                 "not of the market.")
    # a range only where the ranked lists leave the figure undefined (none of its tokens
    # ranked); else the ranked figure, with the range beside it when the tail can move it
    if _censored(row) and fh.own_open_share is None:
        lo, hi = row["own_lo"], row["own_hi"]
        if pd.isna(lo) or pd.isna(hi):
            col.metric(label, "–", help=help_text)
        else:
            words = tailing.share_words(fh.own_open_share, lo, hi)  # short in a metric: "3.8%–100.0%"
            col.metric(label, words.replace("between ", "").replace(" and ", "–"), help=help_text)
        if not pd.isna(lo) and lo >= 1.0:
            col.caption(f"Only open-weight models of {name} were live in the {when}: whatever tokens it had "
                        f"{BELOW} were open-weight.")
        else:
            col.caption(f"{name} was {BELOW} on some days of the {when}: the split of its hidden tokens is "
                        "not known, so this is a range.")
        return
    col.metric(label, pct(fh.own_open_share), help=help_text)
    ranged = _censored(row) and tailing.is_range(row["own_lo"], row["own_hi"])
    col.caption(md(own_open_words(focus.name, fh.own_open_share, when))
                + (f" Counting its models {BELOW}: {tailing.share_words(fh.own_open_share, row['own_lo'], row['own_hi'])}."
                   if ranged else ""))


def focus_section(ctx, focus) -> None:
    """The headline metrics, the chart of the focus's share of the whole market, and the
    query behind it."""
    f = ctx.filters
    name, names = md(focus.name), md(focus.possessive)
    fshare = ctx.query("focus_share_by_period", **ctx.params())
    fh = focus_headline(fshare)
    ft = tier_tail.focus_tail(ctx, focus)  # with a tier filter, that tier's entries (issue 21 item 6)
    maybe_some = ft is not None and bool((ft.periods["tokens_hi"] > 0).any())
    if fh.share_of_named is None or (not fh.present and not maybe_some):
        st.info(f"**{name}** has no open-weight or closed tokens from {page.fmt_date(f.start)} to "
                f"{page.fmt_date(f.end)}" + (_released(ft.first_live) if ft is not None else "")
                + ": nothing to measure against the market. Widen the date range, or "
                "choose another lab or country in the sidebar.", icon=":material/search_off:")
        return
    if not fh.present:
        st.info(f"**{name}** is {BELOW} on every day of this range: the ranked lists name none of its tokens, "
                "but its models were live, so it had some tokens, fewer than each day's cut. The figures below are "
                "the bounds that holds.", icon=":material/vertical_align_bottom:")
    _headline(ctx, focus, fh, ft)
    if fh.skipped_partial is not None:
        st.caption(f"The latest period ({period_label(fh.skipped_partial, f.grain)}) is incomplete and is "
                   "left out of these figures; it is shaded grey on the charts.")
    if ft is None:
        st.caption(tailing.TIER_NOTE)
    elif f.tier != "all":
        st.caption(tier_tail.tier_note(f.tier))
    st.subheader(f"{name}: share of the whole market")
    note = tailing.below_cut_note(ft.periods, f.grain) if ft is not None else ""
    if note:
        charts.draw(charts.bounded_share_lines(ft.bands, y_title="Share of every lab's tokens"),
                        width="stretch")
    else:
        lines = ctx.derive(focus_share_lines, ("focus_share_by_period", ctx.params()))
        charts.draw(charts.share_lines(lines, y_title="Share of every lab's tokens"), width="stretch")
    launched = ft is not None and (ft.periods["status"] == "not launched").any()
    st.caption(f"{names} tokens as a share of every lab's named tokens, and of every lab's open-weight "
               f"tokens, per {f.grain}. "
               + (f"{note}: there the band is the range that holds its true share and the dashed line its "
                  "upper bound, never 0. " if note else "")
               + (f"0% is a {f.grain} before its first model was released{_released(ft.first_live)}."
                  if launched else f"0% is a {f.grain} in which it had none." if not note else ""))
    page.data_behind(ctx.snapshot, "focus_share_by_period", ctx.params(), fshare)
    if ft is not None:
        page.data_behind(ctx.snapshot, "tail_usage_rows", ctx.params(), ft.periods,
                         label="The bounds behind this chart (computed from tail_usage_rows and tail_catalogue)")
