"""Launches: what each model launch did to its lab's demand (jump, plateau, hold)."""

import numpy as np
import pandas as pd
import streamlit as st

from tokenshare.analysis import launches
from tokenshare.app import charts, page, tail as tailing, urlparams, urls
from tokenshare.app.charts import interactions
from tokenshare.app.page_parts.tail import launch_tail
from tokenshare.app.text import code, md
from tokenshare.core.formatting import human_tokens, pct

# The launch table's first rows show these columns as text; its grid, made when opened,
# has them all (launch week, week-4 share of lab, the notes).
PREVIEW_COLUMNS = ["Launch day", "Model", "Lab", "Country", "Weights", "Before", "Week 1", "Jump", "Plateau", "Hold"]

ctx = page.header(
    "Launches: the jump, and how much of it held",
    "Each launch's effect on its lab's daily tokens: the level in the 14 days before, the jump in "
    "the first week after, and where demand settled weeks 3 to 6 after. Filter by lab, country and "
    "weights in the sidebar; the date range picks which launches are listed.",
)
f = ctx.filters
params = ctx.params()
# whether each launch's lab had a model live before it (the catalogue): a 0 before is then the cut (issue 21)
impact = launch_tail.with_lab_live_before(ctx, ctx.query("launch_impact", **params))
before_data = int(ctx.query("launches_before_data", openness=params["openness"], countries=params["countries"],
                             labs=params["labs"])["before_data"].iloc[0])

if impact.empty:
    page.empty_state("launches")
else:
    best = launches.largest_jump(impact)
    c1, c2, c3 = st.columns(3)
    if best is not None:
        c1.metric("Largest jump", launches.fmt_ratio(best["jump"]),
                  help=launches.DEFINITIONS["Jump"])
        page.headline(f"Largest launch jump: {best['model_name']} ({best['lab_name']}), "
                      f"{launches.fmt_ratio(best['jump'])} its lab's level before")
        c1.caption(f"**{md(best['model_name'])}** ({md(best['lab_name'])}), launched {launches.as_date(best['launch_day'])}")
        if pd.notna(best["hold"]):
            c2.metric("Of which held", pct(best["hold"], 0), help=launches.DEFINITIONS["Hold"])
            c2.caption(f"Plateau {human_tokens(best['plateau'])}/day vs peak week {human_tokens(best['peak'])}/day; "
                       f"before {human_tokens(best['before'])}/day")
        else:
            c2.metric("Of which held", "–", help=launches.DEFINITIONS["Hold"])
            c2.caption(launches.why_missing(best, "hold").capitalize())
    else:
        c1.metric("Largest jump", "–")
        c1.caption("No launch in view has enough history before and after it.")
    c3.metric("Launches measured", f"{launches.measured(impact)} of {len(impact)}",
              help="Launches with a jump figure; the others have too little history, or no measured level before (the "
                   f"lab's first model, or its models {tailing.BELOW}: the launch's own view bounds the jump).")
    c3.caption(f"{before_data} models were already out when the data starts (not measured)")

    # Tens of thousands of launches (a scaled snapshot) would overflow the chart budget and
    # the picker: draw and offer the ones that added the most tokens a day.
    shown = launches.largest_launches(impact, keep=st.session_state.get("launch") or urlparams.last("launch"))
    st.subheader("Jump against hold")
    if len(shown) < len(impact):
        st.caption(f"Showing the {launches.LAUNCH_CAP:,} launches that added the most tokens a day to their lab, "
                   f"of {len(impact):,} in view; narrow the filters to see others. The table below lists the same "
                   f"{len(shown):,}; the CSV under \"The data behind the launch table\" has every launch.")
    scatter = charts.launch_scatter(shown, selected=st.session_state.get("launch"))
    if launches.any_on_scatter(impact):
        interactions.pick_chart(scatter, key="launch_scatter", param=charts.LAUNCH_PICK, field="model_permaslug", target="launch")
        st.caption("One point per launch with both figures; right of the dashed line the lab grew. Click a point "
                   "to open that launch below (double-click clears); click a lab in the legend to see it alone.")
        interactions.chart_export(scatter, "launch-scatter", ctx.snapshot)
    else:
        st.info("No launch in view has both a jump and a hold figure yet.", icon=":material/hourglass_empty:")

    # ------------------------------------------------------------------ one launch
    st.subheader("One launch, day by day")
    options = launches.newest_first(shown)
    default = best["model_permaslug"] if best is not None and best["model_permaslug"] in options else options[0]
    urlparams.warn_ignored("launch", allowed=options)
    pick = st.selectbox(
        "Launch (model permaslug)", options, index=options.index(default), key="launch", bind="query-params",
        help="Newest first. Type to search. The URL carries the permaslug, e.g. " + code("launch=" + default),
    )
    row = launches.launch_of(impact, pick)
    st.markdown(f"**{md(row['model_name'])}** · {md(row['lab_name'])} ({md(row['country_code'])}) · {md(row['openness'])} weights · "
                f"launched **{launches.as_date(row['launch_day'])}**"
                + (f" (released {launches.as_date(row['released_at'])}, first in the data {launches.as_date(row['first_seen'])})"
                   if pd.notna(row["released_at"]) and launches.as_date(row["released_at"]) != launches.as_date(row["first_seen"]) else ""))
    m1, m2, m3, m4 = st.columns(4)
    # the lab's level before may be below the daily top 50: a jump "at least ×k", not none
    lt = tailing.launch_tail(ctx, row["lab_name"], row["launch_day"]) if pd.notna(row["before"]) else None
    hidden_before = lt is not None and row["before"] == 0 and lt.before_hi > 0
    m1.metric("Before (tokens/day)", f"under {human_tokens(lt.before_hi)}" if hidden_before
              else launches.metric_text(row, "before") if pd.notna(row["before"]) else "–",
              help=launches.DEFINITIONS["Before"])
    m2.metric("Jump", f"at least ×{lt.jump_lo:.2f}" if hidden_before and lt.jump_lo > 0
              else launches.fmt_ratio(row["jump"]), help=launches.DEFINITIONS["Jump"])
    m3.metric("Hold", pct(row["hold"], 0) if pd.notna(row["hold"]) else "–", help=launches.DEFINITIONS["Hold"])
    # week 4 counting what the cut hid of the model and of the rest of its lab
    w4 = launch_tail.share_w4(ctx, row)
    w4_words = launch_tail.share_w4_words(row, w4)
    m4.metric("Share of lab, week 4", w4_words or (pct(row["share_w4"], 0) if pd.notna(row["share_w4"]) else "–"),
              help=launches.DEFINITIONS["Share of lab, week 4"] + f" Where the model or its lab was {tailing.BELOW} "
                   "on some days of week 4, a range that holds the true share.")
    if w4_words:
        m4.caption(f"Counting the tail {tailing.BELOW}"
                   + (f"; {pct(row['share_w4'], 0)} in the ranked lists" if pd.notna(row["share_w4"]) else ""))
    for metric, col in (("jump", m2), ("hold", m3), ("share_w4", m4)):
        if pd.isna(row[metric]) and not (metric == "jump" and hidden_before) and not (metric == "share_w4" and w4_words):
            col.caption(launches.why_missing(row, metric).capitalize())
    if pd.isna(row["before"]):
        m1.caption(launches.why_missing(row, "jump").capitalize())
    if hidden_before:
        m1.caption(f"Not none: its lab was {tailing.BELOW} before")
        m2.caption("Counting what its lab can have had below the cut before" if lt.jump_lo > 0 else
                   f"Its lab was {tailing.BELOW} before: no jump can be bounded from below")
    elif lt is not None and lt.before_hi > lt.before_lo and pd.notna(row["jump"]):
        m2.caption(f"Counting its lab's models {tailing.BELOW}: at least ×{lt.jump_lo:.2f}"
                   + (f", at most ×{lt.jump_hi:.2f}" if np.isfinite(lt.jump_hi) else ""))

    show_markers = st.toggle("Launch markers", key="markers", bind="query-params", value=urls.default("markers"),
                             help="Mark this lab's other launches on the chart (hover a marker for the model).")
    dparams = dict(lab_name=row["lab_name"], model_permaslug=pick, launch_day=launches.as_date(row["launch_day"]),
                   days_before=28, days_after=56)
    daily = ctx.query("launch_lab_daily", **dparams)
    markers = None
    if show_markers and not daily.empty:
        markers = ctx.query(
            "launch_markers", start=daily["date"].min(), end=daily["date"].max(), openness="all", countries=[],
            labs=interactions.authors_of([row["lab_name"]], ctx.labs), limit=20,
        )
        markers = markers[markers["model_permaslug"] != pick]
    if daily.empty:
        page.empty_state("daily tokens around this launch")
    else:
        lab_bounds = launch_tail.lab_daily_bounds(ctx, row["lab_name"], daily)
        chart = charts.launch_lab_chart(daily, launches.levels(row), lab=row["lab_name"],
                                        markers=markers, bounds=lab_bounds)
        charts.draw(chart, width="stretch")
        st.caption(
            f"Line: {md(row['lab_name'])}'s tokens per day, all its models. Shaded: {md(row['model_name'])} alone. "
            "Thick segments: the 14-day level before, week 1 after (the jump) and the plateau (median of "
            "weeks 3-6). Four weeks before to eight weeks after the launch."
            + (f" Grey band, capped by short dashes: days the lab's models were {tailing.BELOW}, from its ranked "
               "tokens up to the most it can have had, not 0." if lab_bounds is not None and len(lab_bounds) else "")
        )
        interactions.chart_export(chart, "launch-lab-daily", ctx.snapshot)
        page.data_behind(ctx.snapshot, "launch_lab_daily", dparams, daily, label="The data behind this launch chart")

    # ------------------------------------------------------------------ the table
    st.subheader("Every launch in view" if len(shown) == len(impact) else f"The {len(shown):,} largest launches in view")
    table = launches.impact_table(shown)
    page.table_with_grid(
        table, key="launches", noun="launches", columns=PREVIEW_COLUMNS, height=420,
        column_order=[c for c in table.columns if c != "model_permaslug"],
        column_config={
            "Launch day": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
            "Model": st.column_config.TextColumn(width="medium"),
            "Country": st.column_config.TextColumn(width="small"),
            "Weights": st.column_config.TextColumn(width="small"),
            "Before": st.column_config.TextColumn("Before /day", help=launches.DEFINITIONS["Before"], width="small"),
            "Launch week": st.column_config.TextColumn(width="small"),
            "Week 1": st.column_config.TextColumn(width="small"),
            "Jump": st.column_config.TextColumn(help=launches.DEFINITIONS["Jump"]),
            "Plateau": st.column_config.TextColumn(help=launches.DEFINITIONS["Plateau"]),
            "Hold": st.column_config.TextColumn(help=launches.DEFINITIONS["Hold"]),
            "Share of lab, week 4": st.column_config.TextColumn(help=launches.DEFINITIONS["Share of lab, week 4"]),
            "Note": st.column_config.TextColumn(width="large"),
        },
    )
    st.caption("Largest jump first, launches without a jump figure last; the grid has every launch and column, "
               "sorts by any column, and says more in each heading's help. A figure that can't be measured says why "
               "in its cell and Note gives the detail (how many days of data there are). Token levels are the lab's "
               "mean tokens per day. The CSV under \"The data behind\" has every figure as a number. The table's "
               f"figures are the ranked lists'; open a launch above to see them counting the tail {tailing.BELOW}.")
    page.data_behind(ctx.snapshot, "launch_impact", params, impact, label="The data behind the launch table")

with st.container(border=True):
    st.markdown("**Definitions**")
    st.markdown("\n".join(f"- **{k}**: {v}" for k, v in launches.DEFINITIONS.items())
                + "\n- A window that is not wholly inside the data gives **too little history** instead of a number; "
                  f"days inside the data on which no model of the lab is in the daily top 50 count as 0 in these "
                  "ranked-list figures. Where its models were live but below the cut, the one-launch view states "
                  "bounds instead (\"under …\", \"at least ×…\", a range for the week-4 share): no tokens is said "
                  "only where the catalogue shows the lab had no model out.")
st.caption(":material/center_focus_strong: Focus rule: the lab and country filters choose which launches are listed; "
           "each launch is still measured against its own lab's whole demand, never against the filtered selection.")
