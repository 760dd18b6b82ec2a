"""Race: which lab leads, period by period, and how often the lead changed hands."""

import pandas as pd
import streamlit as st

from tokenshare.analysis import race
from tokenshare.analysis.metrics import lead_changes
from tokenshare.app import charts, focus as focusing, page, tail as tailing, urls
from tokenshare.app.charts import interactions
from tokenshare.app.page_parts import race_focus
from tokenshare.app.page_parts.tail import tier_tail
from tokenshare.app.text import md
from tokenshare.core.formatting import human_tokens, pct, period_label

ctx = page.header(
    "The lab rivalry race",
    "Labs ranked by tokens in each period. The lead among open-weight labs has changed "
    "hands again and again: see who held #1, for how long, and who is closing in.",
)
f = ctx.filters
focus = focusing.current(ctx)
name, names = md(focus.name), md(focus.possessive)  # names come from the data: shown as text, never as Markdown
against_market = focus.active and not focus.narrowed
scope = st.segmented_control("Rank", urls.choices("scope"), default=urls.default("scope"),
                             key="scope", bind="query-params", required=True) or urls.default("scope")
# The race is run over every lab in scope, whatever the lab and country filters (they
# choose the focus, highlighted below), unless field=focus narrows it to the focus.
params = focus.yardstick(ctx, scope=scope)
ranks = ctx.query("lab_ranks", **params)
spells = ctx.query("leader_spells", **params)
of_what = "open-weight " if scope == "open" else "named "
whose = f"{names} " if focus.narrowed else "every lab's "
field_of = "open-weight labs" if scope == "open" else "labs"

if ranks.empty:
    page.empty_state("ranked labs")
else:
    last_period, board = race.latest_board(ranks)
    when = period_label(last_period, f.grain)
    leader = board.iloc[0]
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Leader, {when}", md(leader["lab_name"]),
              help=f"The lab with the most {of_what}tokens in the {when}, ranked among "
                   + (f"the labs of {name} only (field=focus)." if focus.narrowed else f"every lab ({field_of})."))
    page.headline(f"{leader['lab_name']} leads the {field_of} in {when}: {pct(leader['share'])} of their {of_what}tokens")
    c1.caption(f"{pct(leader['share'])} of {whose}{of_what}tokens · {human_tokens(leader['tokens'])}"
               + (f" · runner-up {md(board.iloc[1]['lab_name'])}, {pct(board.iloc[1]['share'])}"
                  if against_market and len(board) > 1 else ""))
    if focus.narrowed and len(board) == 1:  # a 100% that only the filter made: say so
        st.caption(f"{md(leader['lab_name'])} is the only lab of {name} with {of_what}tokens in the {when}, so "
                   "it has 100% of the focus's tokens and leads a race of one. Choose **all** above to rank it "
                   "among every lab.")
    c2.metric("Lead changes in range", lead_changes(spells))
    c2.caption(f"{len(spells)} spell{'s' if len(spells) != 1 else ''} at #1 across {ranks['period'].nunique()} periods")
    # the tail below the daily top 50, bounded (cached per snapshot, range, grain and scope);
    # not with field=focus, whose race is among the focus's labs only
    universe = "open" if scope == "open" else "named"
    labs_tail = None if focus.narrowed else tier_tail.lab_standing(ctx, universe, last_period)  # a tier: its entries
    if against_market:
        race_focus.standing(c3, race.focus_standing(ranks, focus.lab_names), labs_tail, focus, when=when,
                            grain=f.grain, of_what=of_what, field_of=field_of)
        if labs_tail is None:
            st.caption(tailing.TIER_NOTE)
    elif len(board) > 1:
        runner = board.iloc[1]
        c3.metric("Runner-up", md(runner["lab_name"]))
        c3.caption(f"{pct(runner['share'])} of {whose}{of_what}tokens · "
                   f"{100 * (leader['share'] - runner['share']):.1f} points behind the leader")

    st.subheader(f"Rank of the top {f.top} labs")
    # The charts below draw periods x labs points: a day grain over a long range is
    # drawn by week (the headline figures above stay at the chosen grain).
    chart_params = page.chart_params(params, series=f.top)
    chart_ranks = ranks if chart_params is params else ctx.query("lab_ranks", **chart_params)
    # The labs with the most tokens over the range, drawn wherever they rank in the top
    # N; a line breaks where its lab drops below N.
    # The rows below are worked out once per snapshot and filters (ctx.derive), not on
    # every rerun: the bump chart's grid was a third of a Race rerun's script time.
    biggest = list(ctx.derive(race.labs_by_tokens, ("lab_ranks", chart_params)))
    if against_market:  # the focus in colour wherever it ranks, among every rival in grey
        bump = ctx.derive(race.focus_bump_rows, ("lab_ranks", chart_params), labs=biggest[:f.top],
                          focus_labs=focus.lab_names, top=f.top)
        chart = charts.bump_chart(bump, top=f.top, pick_labs=True, focus=focus.lab_names)
    else:
        bump = ctx.derive(race.bump_rows, ("lab_ranks", chart_params), labs=biggest[:f.top], top=f.top)
        chart = charts.bump_chart(bump, top=f.top, pick_labs=True)
    interactions.lab_click_chart(chart, key="race_bump_labs", labs=ctx.labs)
    st.caption(
        f"The {f.top} labs with the most {of_what}tokens in the range (Top N in the sidebar)"
        + (f", ranked among every lab; {name} in colour at whatever rank it holds, the others in grey. A break in "
           f"a line is a {f.grain} below #{f.top} (grey) or, in colour, a {f.grain} without ranked {of_what}tokens: "
           "none, or below the daily top 50 (its rank range there is above)." if against_market
           else f", ranked among the labs of {name} only (field=focus)." if focus.narrowed else ".")
        + " Click a lab in the legend to pick it out; click a point to filter the app to that lab."
    )
    page.data_behind(ctx.snapshot, "lab_ranks", chart_params, chart_ranks)

    # Below the bump chart, tabs bound to the URL, only the open one drawn: the share lines
    # (a point per lab and period) were redrawn on every change of the sidebar, seen or not.
    leaders_tab, shares_tab = st.tabs(urls.choices("detail"), key="detail", default=urls.default("detail"),
                                      on_change="rerun", bind="query-params")
    if leaders_tab.open:
        with leaders_tab:
            st.subheader("Who held #1, and for how long")
            charts.draw(charts.leader_timeline(spells), width="stretch")
            # whether the bounds below the daily top 50 decide #1: asked only for this tab
            undecided = None if focus.narrowed else tailing.undecided_leads(ctx, universe, ranks)
            leader_note = race_focus.leader_note(spells, undecided, f.grain)
            if leader_note:
                st.caption(leader_note)
            # the data's days; a cut first or last period said so
            page.small_table(ctx.derive(race.spell_table, ("leader_spells", params), grain=f.grain))
            page.data_behind(ctx.snapshot, "leader_spells", params, spells,
                             label="The data behind the leader timeline")
    if shares_tab.open:
        with shares_tab:
            st.subheader("Share of the top labs")
            shown = biggest[:min(f.top, 8)]
            if against_market:
                shown = list(dict.fromkeys([*shown, *[lab for lab in biggest if lab in focus.lab_names][:8]]))
            lines = ctx.derive(race.share_line_rows, ("lab_ranks", chart_params), labs=shown)
            y_title = f"Share of the focus's {of_what}tokens" if focus.narrowed else f"Share of all {of_what}tokens"
            charts.draw(charts.share_lines(lines, y_title=y_title, focus=focus.lab_names if against_market else None),
                        width="stretch")
            st.caption(f"Each line is a share of {whose}{of_what}tokens in the {chart_params.get('grain', f.grain)}"
                       + (f"; {name} in colour, the biggest labs in grey." if against_market else ".")
                       + " Click a legend entry to pick out a line.")
