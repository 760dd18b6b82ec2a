"""The Segments page's task split (``dimension=task``): the open-weight share per task tag
and macro-category from each tag's listed top models, with the coverage stated, and how it
moved across the kept 7-day windows (``tokenshare.analysis.extras.tasks``)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from tokenshare.analysis.extras import tasks
from tokenshare.app import cache, charts, page
from tokenshare.app.state import Context
from tokenshare.app.text import md
from tokenshare.app.page_parts.extras.sources import dataset_source
from tokenshare.core.formatting import pct
from tokenshare.data.snapshot.extra_tables import TASKS_FILE, has_table


def source_line(ctx: Context) -> str:
    return dataset_source(ctx.snapshot, "tasks", "Task tags", "task classifications (7-day windows)")


def _lines(macros: pd.DataFrame) -> alt.Chart:
    drawn = macros.dropna(subset=["open_share"]).assign(window_end=lambda d: pd.to_datetime(d["window_end"]))
    return alt.Chart(drawn).mark_line(point=True).encode(
        x=alt.X("window_end:T", title="7 days to", axis=alt.Axis(format="%Y-%m-%d")),
        y=alt.Y("open_share:Q", title="Open-weight share of listed models' tokens", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("macro_category:N", title="Macro-category"),
        tooltip=[alt.Tooltip("macro_category:N", title="Macro-category"),
                 alt.Tooltip("window_end:T", title="7 days to"),
                 alt.Tooltip("open_share:Q", title="Open-weight share", format=".1%"),
                 alt.Tooltip("coverage:Q", title="Coverage", format=".1%")],
    ).properties(height=300)


def _tag_table(tags: pd.DataFrame, latest) -> pd.DataFrame:
    now = tags[tags["window_end"] == latest].set_index("tag")
    moved = tasks.moves(tags, "tag").set_index("tag")
    board = now.join(moved[["change_previous", "change_first"]]).sort_values(
        ["open_share", "display_name"], ascending=[False, True], na_position="last")
    return pd.DataFrame({  # names are data: st.dataframe shows them as plain text
        "Task": board["display_name"], "Macro-category": board["macro_category"],
        "Tag share of tokens": board["token_share"], "Listed models": board["models"],
        "Coverage share": board["coverage"], "Open-weight share": board["open_share"],
        "Change vs previous window (points)": board["change_previous"] * 100,
        "Change vs first window (points)": board["change_first"] * 100,
        "Unplaced share": board["unplaced"]})


def task_figures(rows: pd.DataFrame) -> dict:
    """Every figure of the split from the query's rows, worked out once per snapshot and
    date range and shared (``ctx.derive``): the sidebar's other filters do not apply, so a
    rerun after a grain, focus or top change reuses them (the pandas here was about half
    of the split's CPU a rerun, 2026-12-06). Frames read-only; the words made safe."""
    tags = tasks.tag_shares(rows)
    macros = tasks.macro_shares(tags)
    windows = sorted(tags["window_end"].unique())
    latest, first = pd.Timestamp(windows[-1]), pd.Timestamp(windows[0])
    return {"tags": cache.read_only(tags), "macros": cache.read_only(macros), "windows": windows,
            "board": cache.read_only(_tag_table(tags, windows[-1])),
            "headline": tasks.headline_words(tags, macros, latest, first, name=md),
            "opened_later": tasks.opened_later_words(rows, name=md),
            "unplaced": int((rows["model_rank"] > 0).sum() - rows["openness"].notna().sum())}


def render(ctx: Context) -> None:
    """The task split, or how to get it when the snapshot has no task table."""
    if not has_table(ctx.snapshot, TASKS_FILE):
        st.info("**This snapshot has no task table** (`task_shares.parquet`), so there is nothing to show for this "
                "split. `python -m tokenshare refresh --tasks` fetches OpenRouter's 7-day task classification (one "
                "request); the bundled sample has a synthetic one. The other splits work without it.",
                icon=":material/category:")
        return
    f = ctx.filters
    params = ctx.params(start=f.start, end=f.end)
    rows = ctx.query("task_model_shares", **params)
    if rows.empty:
        st.info(f"No kept 7-day task window ends between {page.fmt_date(f.start)} and {page.fmt_date(f.end)}. "
                "Widen the date range in the sidebar.", icon=":material/search_off:")
        return
    fig = ctx.derive(task_figures, ("task_model_shares", params))
    macros, windows = fig["macros"], fig["windows"]
    latest = pd.Timestamp(windows[-1])
    st.subheader(f"Open-weight share of each task · 7 days to {page.fmt_date(latest)}")
    now = macros[macros["window_end"] == windows[-1]]
    cols = st.columns(max(1, min(len(now), 5)))
    for i, (_, m) in enumerate(now.iterrows()):
        cols[i % len(cols)].metric(
            f"{md(m['macro_category'])} (listed models)", pct(m["open_share"]),
            help="Open-weight tokens ÷ the placeable listed top models' tokens in the category's tags, the tags "
                 "weighed by their share of classified tokens.")
        cols[i % len(cols)].caption(f"coverage {pct(m['coverage'])} · {int(m['tags'])} tags")
    st.markdown(fig["headline"])
    st.subheader(f"How it moved across the {len(windows)} kept 7-day window(s)")
    charts.draw(_lines(macros), width="stretch")
    points = st.column_config.NumberColumn(format="%+.1f")
    page.table(fig["board"], column_config={"Change vs previous window (points)": points,
                                            "Change vs first window (points)": points})
    st.subheader("What this split cannot tell")
    st.markdown(
        "OpenRouter lists only each tag's **top models**; the coverage is their share of the tag's tokens, and the "
        "rest went to models it does not name, so each share is of the listed models' tokens, not of the whole "
        f"tag. {fig['unplaced']} listed model row(s) match no model the catalogue places as open-weight or closed "
        "and are in neither side (the *Unplaced share* column). Tags come from OpenRouter's classifier on sampled "
        "requests. The sidebar's lab, country, openness and tier filters do not apply to this split; the date "
        "range picks the windows (by their last day).")
    st.markdown(fig["opened_later"])
    st.caption(source_line(ctx))
    page.data_behind(ctx.snapshot, "task_model_shares", params, rows, label="The data behind the task split")
