"""Race: which lab leads, period by period, and how often the lead changed hands."""

import streamlit as st

from tokenshare.app import charts, ui
from tokenshare.app.filters import RACE_SCOPES
from tokenshare.core.formatting import human_tokens, pct, period_label
from tokenshare.analysis.metrics import lead_changes

ctx = ui.page_header(
    "The lab rivalry race",
    "Labs ranked by tokens in each period. The lead among open-weight labs has changed "
    "hands again and again: see who held #1, for how long, and who is closing in.",
)
f = ctx.filters
scope = st.segmented_control("Rank", list(RACE_SCOPES), default="open",
                             key="scope", bind="query-params", required=True) or "open"
params = ctx.params(scope=scope)
ranks = ui.query("lab_ranks", **params)
spells = ui.query("leader_spells", **params)

if ranks.empty:
    ui.empty_state("ranked labs")
else:
    complete = ranks[~ranks["is_partial"]]
    latest = complete if not complete.empty else ranks
    last_period = latest["period"].max()
    board = latest[latest["period"] == last_period].sort_values("rank")
    leader = board.iloc[0]
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Leader, {period_label(last_period, f.grain)}", leader["lab_name"])
    c1.caption(f"{pct(leader['share'])} of {'open-weight ' if scope == 'open' else ''}tokens · {human_tokens(leader['tokens'])}")
    c2.metric("Lead changes in range", lead_changes(spells))
    c2.caption(f"{len(spells)} spell{'s' if len(spells) != 1 else ''} at #1 across {ranks['period'].nunique()} periods")
    if len(board) > 1:
        runner = board.iloc[1]
        c3.metric("Runner-up", runner["lab_name"])
        c3.caption(f"{pct(runner['share'])} of {'open-weight ' if scope == 'open' else ''}tokens · "
                   f"{100 * (leader['share'] - runner['share']):.1f} points behind the leader")

    st.subheader(f"Rank of the top {f.top} labs")
    # The charts below draw periods x labs points: a day grain over a long range is
    # drawn by week (the headline figures above stay at the chosen grain).
    chart_params = ui.chart_params(params, series=f.top)
    chart_ranks = ranks if chart_params is params else ui.query("lab_ranks", **chart_params)
    # The N labs with the most tokens over the range, drawn wherever they rank in the
    # top N; a line breaks where its lab drops below N.
    biggest = chart_ranks.groupby("lab_name")["tokens"].sum().nlargest(f.top).index
    bump = charts.complete_grid(
        chart_ranks[chart_ranks["lab_name"].isin(biggest)], "lab_name", keep=lambda d: d["rank"] <= f.top
    )
    ui.lab_click_chart(charts.bump_chart(bump, top=f.top, pick_labs=True), key="race_bump_labs")
    st.caption(
        f"The {f.top} labs with the most tokens in the range (Top N in the sidebar). "
        "Click a lab in the legend to pick it out; click a point to filter the app to that lab."
    )
    ui.data_behind("lab_ranks", chart_params, chart_ranks)

    st.subheader("Who held #1, and for how long")
    st.altair_chart(charts.leader_timeline(spells), width="stretch")
    table = spells.assign(
        From=spells["from_period"].map(ui.fmt_date),
        To=spells["to_day"].map(ui.fmt_date),
    )[["spell", "lab_name", "From", "To", "periods", "is_current"]].rename(
        columns={"spell": "#", "lab_name": "Leader", "periods": f"{f.grain.capitalize()}s at #1", "is_current": "Current"}
    )
    ui.table(table)
    ui.data_behind("leader_spells", params, spells, label="The data behind the leader timeline")

    st.subheader("Share of the top labs")
    top_labs = chart_ranks.groupby("lab_name")["tokens"].sum().nlargest(min(f.top, 8)).index
    lines = chart_ranks[chart_ranks["lab_name"].isin(top_labs)].rename(columns={"lab_name": "series"})
    order = {lab: i for i, lab in enumerate(top_labs)}
    lines = lines.assign(series_order=lines["series"].map(order))
    st.altair_chart(
        charts.share_lines(lines, y_title="Share of open-weight tokens" if scope == "open" else "Share of named tokens"),
        width="stretch",
    )
