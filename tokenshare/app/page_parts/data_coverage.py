"""The Data page's Coverage section: how much of each period the Data API's daily top 50
names, `other`'s share, the cut over time, and the method the pages use for what the cut
hides (docs/tail.md, issue 21)."""

from __future__ import annotations

import streamlit as st

from tokenshare.app import charts, page, tail as tailing
from tokenshare.app.charts.budget import POINT_MARK_BUDGET
from tokenshare.app.state import Context
from tokenshare.core.formatting import human_tokens, pct, period_label

METHOD = """\
**What the cut is.** OpenRouter's Data API lists each day's **top 50 models** by tokens and folds
every other model into one `other` row. *The cut* is the smallest listed model's tokens that day:
a model missing from the list had fewer.

**Why absent is not zero.** A model missing from a day's list that the catalogue says was already
released had **between 0 and the cut** that day, and no more than the day's `other`. Only a model
not yet released (before its catalogue date) had a true 0, and only then does the app say "no tokens".

**How the bounds are computed.** For a lab, country or focus, each day: the known part (its listed
models' tokens) plus a hidden part of at least the segment lists' figures (below) and at most the cut
for each of its released, unlisted models, capped by what `other` can hold once every other absent
model's lower bound is taken out. A period sums its days. A share's lower bound puts the rest of the
market's hidden tokens in the denominator and the focus's out; the upper bound the reverse, so the
range always holds the truth. Ranks become ranges the same way ("between #3 and #4"), and a lead or a
spell at #1 is claimed only where the ranges do not overlap. Where a figure is a range, the pages say
so ("under 4.7%", "between 2.7% and 5.1%"); the figure from the listed models alone stays in the help
and the tables. Method and proofs: `docs/tail.md`."""


def _segment_words(has_segments: bool, partition_days: int, days: int, explained: float, other: float) -> str:
    if not has_segments:
        return ("**Segment lower bounds.** This snapshot has no daily segment lists (`refresh --segments`), "
                "so every hidden model's lower bound is 0.")
    held = (f"The context buckets added up to the day's total on **{partition_days} of {days} days**"
            + (": on those days a model's bucket figures are summed (a tighter lower bound) and a bucket it is "
               "missing from caps it from above." if partition_days else
               ": the check failed, so only the single-segment lower bounds are used (a model's total is at least "
               "its largest figure in any segment list)."))
    return ("**Segment lower bounds.** Each daily segment list (modality, context bucket) has its own top 50, "
            f"so a model missing from the overall list can appear there. {held} Together these lower bounds "
            f"attribute **{pct(explained / other) if other else '–'}** of `other`'s tokens in this range to "
            "named models for sure.")


def coverage_section(ctx: Context) -> None:
    """The Coverage section: metrics, two charts, the method and the query behind it."""
    f = ctx.filters
    st.subheader("Coverage: what the daily top 50 leaves out")
    cov = ctx.derive(tailing.as_shared, ("coverage_by_period", ctx.params()))  # read-only
    usable = cov[(~cov["is_partial"].astype(bool)) & (cov["total_tokens"] > 0)]
    if cov.empty or not (cov["total_tokens"] > 0).any():
        page.empty_state("days")
        return
    last = (usable if not usable.empty else cov[cov["total_tokens"] > 0]).iloc[-1]
    when = period_label(last["period"], f.grain)
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Tokens in the top 50, {when}", pct(last["ranked_share"]),
              help="The ranked rows' tokens / every token of the period (ranked + `other`).")
    c2.metric("In `other` (below the cut)", pct(last["other_share"]),
              help="The `other` row's tokens / every token: models outside each day's top 50.")
    c3.metric("The cut (median day)", human_tokens(last["median_cut"]),
              help="The 50th model's tokens on the period's median day: a model not listed had fewer that day.")
    c3.caption(f"From {human_tokens(last['min_cut'])} to {human_tokens(last['max_cut'])} over the {f.grain}")
    total = cov["total_tokens"].sum()
    st.caption(f"Over the whole range, {pct(cov['other_tokens'].sum() / total)} of all tokens are in `other`.")
    # both charts draw a point per period: a day grain over a long range is drawn by week
    cparams = page.chart_params(ctx.params(), series=2, budget=POINT_MARK_BUDGET)
    drawn = ctx.derive(tailing.as_shared, ("coverage_by_period", cparams))  # ``cov`` itself when not coarsened
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Share of tokens ranked, per {cparams['grain']}**")
        charts.draw(charts.coverage_lines(drawn), width="stretch")
    with right:
        st.markdown(f"**The cut over time, per {cparams['grain']}**")
        charts.draw(charts.cut_band(drawn), width="stretch")
    st.caption("Left: the share of each period's tokens in the daily top 50, and in `other`. Right: the median "
               "daily cut (the 50th model's tokens), the band from the period's smallest to its largest day.")
    page.data_behind(ctx.snapshot, "coverage_by_period", cparams, drawn,
                     label="The data behind the coverage charts")
    st.markdown(METHOD)
    st.markdown(_segment_words(*tailing.segment_summary(ctx)))
    days = ctx.query("coverage_by_day", **ctx.params())
    page.data_behind(ctx.snapshot, "coverage_by_day", ctx.params(), days,
                     label="Coverage day by day: ranked, other and the cut")
