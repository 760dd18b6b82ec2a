"""Share: open-weight vs closed, and the split by lab, lab country or model."""

import streamlit as st

from tokenshare.analysis.metrics import on_every_period, open_share_headline, own_open_words
from tokenshare.analysis.tiers import free_headline, free_share_lines
from tokenshare.app import charts, focus as focusing, page, tail as tailing, urls
from tokenshare.app.charts import interactions
from tokenshare.app.charts.budget import POINT_MARK_BUDGET
from tokenshare.app.page_parts import share_focus
from tokenshare.app.page_parts.tail import tier_tail
from tokenshare.app.text import md
from tokenshare.core.formatting import human_tokens, pct, period_label, pp_delta

ctx = page.header(
    "Who carries OpenRouter's tokens?",
    "Share of daily token volume on OpenRouter, open-weight vs closed models, by lab, lab "
    "country or model. Named volume = tokens of models known to be open or closed.",
)
f = ctx.filters
focus = focusing.current(ctx)
# lab and country names come from the data: shown as text, never as Markdown
name, names = md(focus.name), md(focus.possessive)
# With a focus the headline is the focus's share of the whole market (field=all); the
# open-weight share of the focus's own tokens is only the headline with field=focus.
against_market = focus.active and not focus.narrowed
own = f" of {names} own tokens" if focus.narrowed else ""

if against_market:
    # the focus's share of the whole market, with the tail below the top 50 as ranges
    share_focus.focus_section(ctx, focus)
    trend = None
else:
    trend = ctx.query("open_share_by_period", **ctx.params())
    head = open_share_headline(trend)
    c1, c2, c3 = st.columns(3)

# Without a focus (or with field=focus) the headline is the open-weight share of the
# selection's named tokens: the whole market's, or the focus's own.
if trend is not None:
    passed_label = f"Open passed closed within {name}" if focus.narrowed else "Open first passed closed"
    if head.share is None:
        c1.metric("Open-weight share" + (own or " of named tokens"), "–", help="No named volume for these filters.")
    else:
        c1.metric(
            "Open-weight share" + (own or " of named tokens"),
            pct(head.share),
            delta=pp_delta(head.delta) if head.delta is not None else None,
            help=(
                f"Open-weight tokens / named tokens (open + closed){own} in the latest complete period, "
                f"{period_label(head.period, f.grain)} ({page.fmt_date(head.period)} to {page.fmt_date(head.period_end)}). "
                f"Change vs 4 periods earlier ({period_label(head.previous_period, f.grain)})."
            ),
        )
        page.headline(f"Open-weight share of {focus.possessive + ' own' if focus.narrowed else 'named'} tokens: "
                      f"{pct(head.share)} in {period_label(head.period, f.grain)}")
        c1.caption(
            f"{period_label(head.period, f.grain)}"
            + (" (incomplete: no complete period in this range)" if head.partial_used else "; change vs 4 periods earlier")
        )
        if focus.narrowed:  # a 100% or 0% here is about the focus's own tokens: say so in words
            c1.caption(md(own_open_words(focus.name, head.share, period_label(head.period, f.grain))))
    latest = trend[trend["period"] == head.period] if head.period is not None else trend.iloc[0:0]
    if not latest.empty:
        row = latest.iloc[0]
        c2.metric("Named tokens in that period" + (f" ({name})" if focus.narrowed else ""),
                  human_tokens(row["named_tokens"]),
                  help="Open + closed tokens; the long tail (`other`) and unclassified models are outside it.")
        c2.caption(f"Open {human_tokens(row['open_tokens'])} · closed {human_tokens(row['closed_tokens'])}")
    if head.first_passed is not None:
        c3.metric(passed_label, period_label(head.first_passed, f.grain))
        if head.above_since is not None and head.above_since != head.first_passed:
            c3.caption(f"Above 50% without a break since {period_label(head.above_since, f.grain)}")
        elif head.above_since is not None:
            c3.caption("Above 50% ever since")
        else:
            c3.caption("Below 50% in the latest complete period")
    elif head.share is not None:
        c3.metric(passed_label, "Not in this range")
    partial_note = page.slot()  # there for every Period, so the charts below keep their places
    if head.skipped_partial is not None:
        partial_note.caption(
            f"The latest period ({period_label(head.skipped_partial, f.grain)}) is incomplete and is left out "
            "of these figures; it is shaded grey on the charts."
        )

    st.subheader(f"Open-weight share of {names} own named tokens" if focus.narrowed
                 else "Open-weight share of named volume")
    # The toggle reruns this chart only (a fragment), not the page.
    @st.fragment
    def open_share_chart() -> None:
        show_markers = st.toggle("Launch markers", key="markers", bind="query-params", value=urls.default("markers"),
                                 help="Mark the biggest launches in view (by the model's tokens in its first 4 weeks); "
                                      "hover a marker for the model. Definitions on the Launches page.")
        if trend["open_share"].notna().any():
            line = charts.open_share_line(trend)
            if show_markers:
                line = charts.with_launch_markers(line, ctx.query("launch_markers", **ctx.params(limit=min(f.top, 12))))
            charts.draw(line, width="stretch")
            if focus.narrowed:
                st.caption(f"Open-weight share of {names} own named tokens, not of the market; a gap is a "
                           f"{f.grain} in which it had no open or closed tokens.")
            page.data_behind(ctx.snapshot, "open_share_by_period", ctx.params(), trend)
        else:
            page.empty_state("open or closed tokens")

    open_share_chart()

st.subheader(f"{name} within the whole market, over time" if against_market else "Share over time" + own)

# Break down by and Volume rerun this part only (a fragment), not the page; a lab picked
# on the chart changes the sidebar's filter, which the whole page follows.
@st.fragment
def share_over_time() -> None:
    if tuple(st.session_state.get("lab") or ()) != f.labs:
        st.rerun(scope="app")
    b1, b2 = st.columns([3, 2])
    by = b1.segmented_control("Break down by", urls.choices("by"), default=urls.default("by"), key="by",
                              bind="query-params", required=True) or urls.default("by")
    volume = b2.radio("Volume", urls.choices("volume"), index=urls.choices("volume").index(urls.default("volume")),
                      key="volume", bind="query-params", horizontal=True,
                      help="named: open and closed models only. all: adds unclassified models and the `other` row "
                           "(every model outside the day's top 50) as their own bands, never spread over the named models.") \
        or urls.default("volume")
    # A day grain over a long range is drawn by week when it would pass the chart point budget.
    params = page.chart_params(ctx.params(breakdown=by, volume=volume, share_of="market" if against_market else "selection"),
                               series=4 if by == "openness" else f.top + 3)
    series = ctx.query("share_by_series", **params)
    kind = {"all": "named", "open": "open-weight", "closed": "closed"}[f.openness]
    counted = (f"{kind} tokens" if volume == "named" or f.openness != "all"
               else "tokens (unclassified and outside the top 50 included)")
    if series.empty:
        page.empty_state("tokens")
    elif against_market:
        # Shares of the whole market: a period in which a series had no tokens is a true 0%.
        # a week the focus was wholly below the cut is blank, not the ranked lists' 0
        lines = ctx.derive(tailing.lines_blanked, ("share_by_series", params), ("open_share_by_period", params),
                           absent="zero", wholly=tailing.wholly_below(tier_tail.focus_tail(ctx, focus), params["grain"]))
        charts.draw(charts.share_lines(lines, y_title=f"Share of every lab's {counted.split(' (')[0]}"),
                        width="stretch")
        below = tier_tail.focus_tail(ctx, focus)
        below = tailing.below_cut_note(below.periods, f.grain) if below is not None else ""
        st.caption(f"{names} tokens by {urls.BREAKDOWNS[by].lower()}, each as a share of every lab's {counted} "
                   f"in the {f.grain} (the whole market, not the focus), "
                   + (f"counting its ranked tokens only. {below}: a {f.grain} wholly below the cut is left blank and one "
                      "partly below it is a lower figure than the truth (the ranges are in the chart above), never 0. "
                      if below else f"so 0% is a {f.grain} with none. ")
                   + "Click a legend entry to pick out a line.")
        page.data_behind(ctx.snapshot, "share_by_series", params, series)
    else:
        # Shares of the selection: a period in which it had no tokens at all is left blank.
        area = ctx.derive(on_every_period, ("share_by_series", params), ("open_share_by_period", params),
                          absent="gap")
        ranged = by == "lab" and volume == "named" and f.openness == "all" and not focus.active
        if ranged:  # each lab's share counting the tail below the top 50, in the tooltip
            area = tailing.with_lab_ranges(ctx, area, params)
        if by == "lab":
            interactions.lab_click_chart(charts.share_area_interactive(area, pick_labs=True), key="share_area_labs",
                                         labs=ctx.labs, field="series")
        else:
            charts.draw(charts.share_area_interactive(area), width="stretch")
        st.caption(f"Each band is a share of the {f.grain}'s {counted}"
                   + (f" of {name} only (`field=focus`), not of the market; a blank is a {f.grain} in which "
                      "it had none." if focus.narrowed else ", all labs.")
                   + (f" Models: {f.openness} only, so {urls.OPENNESS[f.openness].lower()} is 100% of what this chart "
                      "counts." if by == "openness" and f.openness != "all" else "")
                   + (" Hover a band for its share counting the labs' models below the daily top 50 (a range "
                      "where they can move it)." if ranged else "")
                   + (" Click a lab's band to filter to it (the URL follows)." if by == "lab" else "")
                   + " Click a legend entry to pick it out.")
        page.data_behind(ctx.snapshot, "share_by_series", params, series)


share_over_time()

# Free vs paid: how much of the open-weight and of the closed volume is free (`:free`
# variants). Both tiers are counted whatever the tier filter; the focus filters apply.
st.subheader("Free tokens: how much of each side is free" + (f" ({name})" if focus.active else ""))
free = ctx.query("free_share_by_period", **ctx.params())
fh = free_headline(free)
if fh.period is None:
    page.empty_state("open or closed tokens")
elif (free["open_free_tokens"] + free["closed_free_tokens"]).sum() == 0:
    st.write("No free (`:free` variant) tokens in this range: every open-weight and closed token here is paid.")
else:
    def _pct(x):
        return "–" if x is None else pct(x)
    when = period_label(fh.period, f.grain)
    # counting the `:free` and paid entries below the daily top 50 (issue 21 item 6)
    free_open = tier_tail.free_share_words(ctx, focus, fh.period, "open", fh.of_open)
    free_closed = tier_tail.free_share_words(ctx, focus, fh.period, "closed", fh.of_closed)
    def _ranged(words, known):
        return f"{words} ({_pct(known)} in the ranked lists)" if words else _pct(known)
    st.markdown(f"**Free: {_ranged(free_open, fh.of_open)} of open-weight tokens, {_ranged(free_closed, fh.of_closed)} "
                "of closed** in "
                f"{when} ({page.fmt_date(fh.period)} to {page.fmt_date(fh.period_end)}"
                + (", incomplete: no complete period in this range)." if fh.partial_used else ")."))
    # a point per period on each line: a day grain over a long range is drawn by week
    fparams = page.chart_params(ctx.params(), series=2, budget=POINT_MARK_BUDGET)
    charts.draw(charts.share_lines(ctx.derive(free_share_lines, ("free_share_by_period", fparams)),
                                   y_title="Free share of its tokens"),
                width="stretch")
    st.caption("Free = tokens of a model's `:free` variant, counted under its base model; a share of the open-weight "
               f"(or closed) tokens of each {fparams['grain']}, with the classification in force on each day. Both tiers are "
               "counted here whatever the Tokens filter" + (f"; {name} only." if focus.active else ".")
               + (f" A range counts the `:free` and paid entries {tailing.BELOW} (each an entry of its own, so its "
                  "tier is known); the chart's lines are the ranked lists'." if free_open or free_closed else ""))
    # the rows drawn (the query is cached: at the chosen grain this is ``free`` itself)
    page.data_behind(ctx.snapshot, "free_share_by_period", fparams, ctx.query("free_share_by_period", **fparams))
