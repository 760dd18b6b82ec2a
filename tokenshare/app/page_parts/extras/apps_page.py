"""The Apps page's parts: the category filters (validated against the rankings the
snapshot keeps), the popular ranking's table, rank chart and movement, the trending list,
and the source line (``tokenshare.analysis.extras.apps``). App names are data: shown in
st.dataframe cells and chart marks (plain text), and through ``md`` in Markdown."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from tokenshare.analysis.extras import apps
from tokenshare.app import cache, page
from tokenshare.app.state import Context
from tokenshare.app.text import md
from tokenshare.app.page_parts.extras.sources import dataset_source
from tokenshare.core.formatting import human_tokens, pct
from tokenshare.data.snapshot.extra_tables import APPS_FILE, has_table

ALL = "all"  # the URL's word for the API's '' (no category filter)
RANK_CHART_APPS = 10


def has_rankings(snapshot) -> bool:
    return has_table(snapshot, APPS_FILE)


def as_url(value: str) -> str:
    return value if value else ALL


def as_api(value: str) -> str:
    return "" if value == ALL else value


def category_options(options: pd.DataFrame) -> list[str]:
    """``all`` and the categories the snapshot keeps a popular ranking for (URL values)."""
    popular = options[options["sort"] == "popular"]
    return list(dict.fromkeys([ALL] + sorted(as_url(c) for c in popular["category"].unique())))


def subcategory_options(options: pd.DataFrame, cat: str) -> list[str]:
    """``all`` and the subcategories of ``cat`` the snapshot keeps a popular ranking for."""
    popular = options[(options["sort"] == "popular") & (options["category"] == as_api(cat))]
    return list(dict.fromkeys([ALL] + sorted(as_url(s) for s in popular["subcategory"].unique())))


def rank_chart(history: pd.DataFrame, table: pd.DataFrame) -> alt.Chart:
    """Rank per kept fetch of the latest fetch's top apps (rank 1 at the top)."""
    shown = table.head(RANK_CHART_APPS)["app_id"]
    drawn = history[history["app_id"].isin(shown)].assign(end_date=lambda d: pd.to_datetime(d["end_date"]))
    return alt.Chart(drawn).mark_line(point=True).encode(
        x=alt.X("end_date:T", title="30 days to", axis=alt.Axis(format="%Y-%m-%d")),
        y=alt.Y("rank:Q", title="Rank", scale=alt.Scale(reverse=True, zero=False), axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("app_name:N", title="App", sort=list(table.head(RANK_CHART_APPS)["app_name"])),
        detail="app_id:N",  # two apps of one name stay two lines
        tooltip=[alt.Tooltip("app_name:N", title="App"), alt.Tooltip("end_date:T", title="30 days to"),
                 alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("total_tokens:Q", title="Tokens", format=",")],
    ).properties(height=320)


def popular_table(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Rank": table["rank"], "App": table["app_name"], "Tokens": table["total_tokens"],
        "Requests": table["total_requests"], "Tokens per request": table["tokens_per_request"].round(0).astype("Int64"),
        "Listed apps' token share": table["token_share"],
        "Rank in the fetch before": table["previous_rank"].astype("Int64"),
        "Rank in the first kept fetch": table["first_rank"].astype("Int64")})


def popular_figures(history: pd.DataFrame) -> dict:
    """The popular ranking's table, fetches and movement words from its history, worked out
    once per snapshot and choice and shared (``ctx.derive``): the sidebar's other filters
    do not apply, so a rerun after a grain or top change reuses them."""
    return {"table": cache.read_only(apps.latest_table(history)), "ends": apps.fetches(history),
            "movement": apps.movement_words(history, name=md)}


def trending_figures(trending_history: pd.DataFrame, popular_history: pd.DataFrame, scope: str) -> dict:
    """The trending list's table and words (``apps.trending_table``, ``apps.trending_words``),
    shared like ``popular_figures``."""
    table = apps.trending_table(trending_history, popular_history)
    return {"table": cache.read_only(table), "words": apps.trending_words(trending_history, table, scope, name=md)}


def trending(ctx: Context, options: pd.DataFrame, cat: str, sub: str, params: dict) -> None:
    """The trending list of the latest fetch, where the snapshot keeps one for this choice,
    beside the popular ranking of the same choice (``params``: its query parameters)."""
    st.subheader("Trending: the fastest-growing apps" + (f" · {md(cat)}" if cat != ALL else "")
                 + (f" / {md(sub)}" if sub != ALL else ""))
    kept = options[(options["sort"] == "trending") & (options["category"] == as_api(cat))
                   & (options["subcategory"] == as_api(sub))]
    if kept.empty:
        have = options[options["sort"] == "trending"]
        where = ", ".join(sorted({md(as_url(c)) for c in have["category"]})) or "none"
        st.caption(f":material/info: The snapshot keeps no trending ranking for this choice (trending is kept "
                   f"for: {where}).")
        return
    tparams = {**params, "sort": "trending"}
    hist = ctx.query("app_ranking_history", **tparams)
    scope = "all apps" if cat == ALL else (cat if sub == ALL else f"{cat} / {sub}")
    fig = ctx.derive(trending_figures, ("app_ranking_history", tparams), ("app_ranking_history", params), scope=scope)
    latest = fig["table"]
    st.markdown(fig["words"])
    board = pd.DataFrame({"Trending rank": latest["rank"], "App": latest["app_name"],
                          "Tokens": latest["total_tokens"], "Requests": latest["total_requests"],
                          "Tokens per request": latest["tokens_per_request"].round(0).astype("Int64"),
                          "Popular rank, same window": latest["popular_rank"].astype("Int64"),
                          "Trending rank in the fetch before": latest["previous_rank"].astype("Int64")})
    page.table_with_grid(board, key="trending_apps", noun="trending apps", rows=10)
    st.caption(f"OpenRouter's trending order (growth over the window; it publishes the order, not the growth rate) "
               f"for the 30 days to {page.fmt_date(hist['end_date'].max())}; {len(latest)} apps listed. A blank "
               "popular rank: the app is below the popular list's cut in the same window.")
    page.data_behind(ctx.snapshot, "app_ranking_history", tparams, hist, label="The data behind the trending list")


def headline(table: pd.DataFrame, ends: list) -> None:
    top = table.iloc[0]
    c1, c2, c3 = st.columns(3)
    c1.metric("Top app's share of listed tokens", pct(top["token_share"]),
              help="The first app's tokens ÷ the tokens of every app listed in the latest fetch.")
    c1.caption(f"{md(top['app_name'])} · {human_tokens(top['total_tokens'])} tokens")
    c2.metric("Median tokens per request", f"{apps.median_tokens_per_request(table):,.0f}",
              help="The median over the listed apps of tokens ÷ requests in the latest fetch's window.")
    c2.caption(f"{len(table)} listed apps")
    c3.metric("Kept fetches", len(ends))
    c3.caption(f"{page.fmt_date(ends[0])} to {page.fmt_date(ends[-1])}")


def source_line(ctx: Context) -> str:
    return dataset_source(ctx.snapshot, "apps", "App rankings", "app-rankings dataset", "made-up apps")
