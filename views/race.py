"""Race: which lab leads, period by period, and how often the lead changed hands."""

import streamlit as st

from tokenshare.analysis import race
from tokenshare.analysis.metrics import lead_changes
from tokenshare.app import charts, interactions, page, urls
from tokenshare.core.formatting import human_tokens, pct, period_label

ctx = page.header(
    "The lab rivalry race",
    "Labs ranked by tokens in each period. The lead among open-weight labs has changed "
    "hands again and again: see who held #1, for how long, and who is closing in.",
)
f = ctx.filters
scope = st.segmented_control("Rank", urls.choices("scope"), default=urls.default("scope"),
                             key="scope", bind="query-params", required=True) or urls.default("scope")
params = ctx.params(scope=scope)
ranks = ctx.query("lab_ranks", **params)
spells = ctx.query("leader_spells", **params)
of_what = "open-weight " if scope == "open" else ""

if ranks.empty:
    page.empty_state("ranked labs")
else:
    last_period, board = race.latest_board(ranks)
    leader = board.iloc[0]
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Leader, {period_label(last_period, f.grain)}", leader["lab_name"])
    c1.caption(f"{pct(leader['share'])} of {of_what}tokens · {human_tokens(leader['tokens'])}")
    c2.metric("Lead changes in range", lead_changes(spells))
    c2.caption(f"{len(spells)} spell{'s' if len(spells) != 1 else ''} at #1 across {ranks['period'].nunique()} periods")
    if len(board) > 1:
        runner = board.iloc[1]
        c3.metric("Runner-up", runner["lab_name"])
        c3.caption(f"{pct(runner['share'])} of {of_what}tokens · "
                   f"{100 * (leader['share'] - runner['share']):.1f} points behind the leader")

    st.subheader(f"Rank of the top {f.top} labs")
    # The charts below draw periods x labs points: a day grain over a long range is
    # drawn by week (the headline figures above stay at the chosen grain).
    chart_params = page.chart_params(params, series=f.top)
    chart_ranks = ranks if chart_params is params else ctx.query("lab_ranks", **chart_params)
    # The labs with the most tokens over the range, drawn wherever they rank in the top
    # N; a line breaks where its lab drops below N.
    biggest = race.labs_by_tokens(chart_ranks)
    bump = race.bump_rows(chart_ranks, biggest[:f.top], f.top)
    interactions.lab_click_chart(charts.bump_chart(bump, top=f.top, pick_labs=True), key="race_bump_labs",
                                 labs=ctx.labs)
    st.caption(
        f"The {f.top} labs with the most tokens in the range (Top N in the sidebar). "
        "Click a lab in the legend to pick it out; click a point to filter the app to that lab."
    )
    page.data_behind(ctx.snapshot, "lab_ranks", chart_params, chart_ranks)

    st.subheader("Who held #1, and for how long")
    st.altair_chart(charts.leader_timeline(spells), width="stretch")
    table = spells.assign(
        From=spells["from_period"].map(page.fmt_date),
        To=spells["to_day"].map(page.fmt_date),
    )[["spell", "lab_name", "From", "To", "periods", "is_current"]].rename(
        columns={"spell": "#", "lab_name": "Leader", "periods": f"{f.grain.capitalize()}s at #1", "is_current": "Current"}
    )
    page.table(table)
    page.data_behind(ctx.snapshot, "leader_spells", params, spells, label="The data behind the leader timeline")

    st.subheader("Share of the top labs")
    lines = race.share_line_rows(chart_ranks, biggest[:min(f.top, 8)])
    st.altair_chart(
        charts.share_lines(lines, y_title="Share of open-weight tokens" if scope == "open" else "Share of named tokens"),
        width="stretch",
    )
