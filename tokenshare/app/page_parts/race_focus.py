"""The Race page's standing of a focus among every lab, and its lead-change claims, with
the tail below the Data API's daily top 50 stated honestly (issue 21): a lab below the cut
gets a rank range ("between #3 and #4"), never "unranked"; weeks with tokens count the
weeks below the cut as "possibly"; #1 is claimed only where the bounds decide it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tokenshare.app import page, tail as tailing
from tokenshare.app.text import md
from tokenshare.core.formatting import pct, period_label

BELOW = tailing.BELOW


def _bounds_of(labs: tailing.LabStanding | None, lab: str) -> dict | None:
    return None if labs is None else labs.now.get(lab)


def _live_labs(labs: tailing.LabStanding) -> int:
    """Labs that can have had tokens in the standing's period (a live model): the worst any rank can be."""
    return sum(1 for b in labs.now.values() if b["tokens_hi"] > 0)


def _censored(b) -> bool:
    return b is not None and int(b["days_censored"]) > 0


def _weeks(labs: tailing.LabStanding | None, lab: str, known: int, grain: str, of_what: str) -> str:
    """"1 week with open-weight tokens", or "open-weight tokens in at least 1 week and
    possibly 4, counting weeks below the daily top 50"."""
    possible = 0 if labs is None else labs.possible.get(lab, 0)
    if possible > known and not known:
        return f"no {of_what}tokens in the ranked lists; possibly some in {tailing.weeks_word(possible, grain)} {BELOW}"
    if possible > known:
        return (f"{of_what}tokens in at least {tailing.weeks_word(known, grain)} and possibly {possible}, "
                f"counting {grain}s {BELOW}")
    return f"{tailing.weeks_word(known, grain)} with {of_what}tokens"


def lab_line(labs, lab: str, when: str, field_of: str, of_what: str) -> tuple[str, str]:
    """(the rank to show, a sentence) for a focus lab in the period of ``labs``
    (tail.lab_standing): the ranked figure where the cut does not touch it, else its
    rank range."""
    b = _bounds_of(labs, lab)
    if b is None or (b["tokens_hi"] == 0 and b["status"] == "not launched"):
        return "not released yet", f"no model of it had been released by the {when}"
    if b["tokens_hi"] == 0:
        return "no tokens", f"no {of_what}tokens in the {when}"
    words = tailing.rank_words(b["best_rank"], b["worst_rank"])
    shown = tailing.rank_words(b["best_rank"], b["worst_rank"], short=True)
    if b["days_ranked"] == 0:
        wide = tailing.wide_rank_note(b["best_rank"], b["worst_rank"], _live_labs(labs), of_what)
        return shown, (f"{BELOW} in the {when}: {words} of {field_of} counting what it can have had below the cut"
                       + (f" ({wide})" if wide else ""))
    return shown, f"{words} of {field_of} in the {when}, counting its models {BELOW} on some days"


def standing(c3, ranks_standing: pd.DataFrame, labs: tailing.LabStanding | None, focus, *, when: str, grain: str,
             of_what: str, field_of: str) -> None:
    """The third headline column and one line per focus lab (the first 8), with
    ``labs``: tail.lab_standing in the period of ``when``."""
    name = md(focus.name)
    rows = {r.lab_name: r for r in ranks_standing.itertuples()}
    order = list(ranks_standing["lab_name"]) + [lab for lab in focus.lab_names if lab not in rows]
    lines, first = [], None
    for lab in order[:8]:  # the lines shown; the rest are counted
        r = rows.get(lab)
        b = _bounds_of(labs, lab)
        ranked_now = r is not None and pd.notna(r.rank_now)
        if ranked_now and not (_censored(b) and b["best_rank"] != b["worst_rank"]):
            shown = f"#{int(r.rank_now)} of {int(r.ranked_now)}"
            sentence = f"#{int(r.rank_now)} of {int(r.ranked_now)} {field_of} in the {when}"
            if _censored(b):
                sentence += f" (its models {BELOW} on some days cannot move it)"
        else:
            shown, sentence = lab_line(labs, lab, when, field_of, of_what)
            if ranked_now:
                sentence += f"; #{int(r.rank_now)} of {int(r.ranked_now)} from the ranked lists alone"
        best = (f", best #{int(r.best_rank)} in the {period_label(r.best_period, grain)} (ranked lists)"
                if r is not None else "")
        known = int(r.periods_ranked) if r is not None else 0
        lines.append(f"**{md(lab)}**: {sentence}{best} ({_weeks(labs, lab, known, grain, of_what)}).")
        first = first or (lab, shown, sentence + best, r)
    if first is None:
        c3.metric(f"{name}: rank among {field_of}", "–")
        c3.caption(f"No lab of {name} in this snapshot")
        return
    lab, shown, sentence, r = first
    single = len(order) == 1
    c3.metric(f"{name}: rank among {field_of}" if single else f"{name}: best-placed now", shown,
              help=f"Rank by {of_what}tokens in the {when} among every lab, not among the focus alone. A lab with "
                   f"models {BELOW} had between 0 and each day's cut for each of them, so its rank is a range "
                   "where that can change it.")
    page.headline(f"{lab}: {'rank' if single else 'best-placed of the focus, rank'} {shown} among {field_of} "
                  f"in {when}", focus=True)
    c3.caption(_short_caption(lab, shown, r, single, grain, of_what))
    st.markdown("  \n".join(lines) + ("" if len(order) <= 8 else f"  \n…and {len(order) - 8} more labs of {name}."))


def _short_caption(lab: str, shown: str, r, single: bool, grain: str, of_what: str) -> str:
    """The headline's caption: a few words, since the line per lab below says the whole
    sentence (the caption repeated it word for word)."""
    bits = [] if single else [md(lab)]
    if "–" in shown:
        bits.append(f"a range: its models {BELOW}, details below")
    if r is not None and pd.notna(r.share_now):
        bits.append(f"{pct(r.share_now)} of every lab's {of_what}tokens (ranked lists)")
    if r is not None and pd.notna(r.best_rank):
        bits.append(f"best #{int(r.best_rank)} in the {period_label(r.best_period, grain)}")
    return " · ".join(bits)


def leader_note(spells: pd.DataFrame, undecided: tuple | None, grain: str) -> str:
    """Whether the bounds decide #1 in every period the spells cover (``undecided``:
    tail.undecided_leads); "" without bounds."""
    if undecided is None or spells.empty:
        return ""
    if not undecided:
        return f"The bounds on the tail {BELOW} decide #1 in every {grain}: no lab below the cut can have led."
    shown = ", ".join(period_label(p, grain) for p in undecided[:3]) + (" …" if len(undecided) > 3 else "")
    return (f"In {tailing.weeks_word(len(undecided), grain)} ({shown}) the bounds do not decide #1: a lab with models "
            f"{BELOW} could have led, so the spells and lead changes there are those of the ranked lists, not "
            "proven.")
