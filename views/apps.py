"""Apps: the apps behind the tokens. OpenRouter's app rankings (popular by tokens, and
trending), overall or per category, with tokens per request and how the ranking moved
across the fetches the snapshot keeps (tokenshare.analysis.extras.apps)."""

import streamlit as st

from tokenshare.app import charts, page, urlparams
from tokenshare.app.page_parts.extras import apps_page as parts
from tokenshare.app.text import md

ctx = page.header(
    "Apps: who sends the tokens",
    "The apps that drive OpenRouter's tokens, as OpenRouter ranks them over 30-day windows: top apps by tokens "
    "and the fastest-growing, overall or per category, with tokens per request, and how the ranking moved across "
    "the fetches this snapshot keeps.",
)
f = ctx.filters


def body() -> None:
    options = ctx.query("app_ranking_options", **ctx.params(start=f.start, end=f.end))
    if options.empty:
        st.info(f"No kept app ranking ends between {page.fmt_date(f.start)} and {page.fmt_date(f.end)}. Widen the "
                "date range in the sidebar.", icon=":material/search_off:")
        return
    # No format_func on bound widgets: Streamlit writes the formatted label into the URL.
    cats = parts.category_options(options)
    urlparams.warn_ignored("app_category", allowed=cats)
    c1, c2 = st.columns(2)
    cat = c1.selectbox("Category", cats, index=0, key="app_category", bind="query-params",
                       help="The rankings OpenRouter publishes per app category; `all` ranks every app.") or parts.ALL
    subs = parts.subcategory_options(options, cat)
    urlparams.warn_ignored("app_subcategory", allowed=subs)
    sub = c2.selectbox("Subcategory", subs, index=0, key="app_subcategory", bind="query-params",
                       help="Subcategories the snapshot keeps a ranking for in this category.") or parts.ALL
    sub = sub if sub in subs else parts.ALL
    params = ctx.params(start=f.start, end=f.end, sort="popular", category=parts.as_api(cat),
                        subcategory=parts.as_api(sub))
    history = ctx.query("app_ranking_history", **params)
    fig = ctx.derive(parts.popular_figures, ("app_ranking_history", params))
    table = fig["table"]
    if table.empty:
        st.info("The snapshot keeps no popular ranking for this choice in the date range.",
                icon=":material/search_off:")
    else:
        ends = fig["ends"]
        st.subheader("Top apps by tokens" + (f" · {md(cat)}" if cat != parts.ALL else "")
                     + (f" / {md(sub)}" if sub != parts.ALL else ""))
        parts.headline(table, ends)
        st.markdown(fig["movement"])
        page.table_with_grid(parts.popular_table(table), key="popular_apps", noun="listed apps", rows=20)
        if len(ends) > 1:
            st.subheader(f"How the ranking moved across {len(ends)} kept fetches")
            charts.draw(parts.rank_chart(history, table), width="stretch")
            st.caption(f"Rank per fetch of the latest fetch's top {min(len(table), parts.RANK_CHART_APPS)} apps (1 at "
                       "the top); a gap is a fetch where the app was not listed.")
        page.data_behind(ctx.snapshot, "app_ranking_history", params, history, label="The data behind the ranking")
    parts.trending(ctx, options, cat, sub, params)
    st.subheader("What this page cannot tell")
    st.markdown(
        "Only the **listed apps** are known: OpenRouter ranks the apps that identify themselves (its `HTTP-Referer` "
        "and `X-Title` headers), so tokens sent without them, and apps below the list's cut, are in no row; the "
        "shares above are of the listed apps' tokens, not of all tokens. An app missing from a fetch is below the "
        "cut then, not gone. Tokens per request is a window's tokens ÷ its requests, an average over very "
        "different calls. The sidebar's lab, country, openness and tier filters do not apply; the date range picks "
        "the fetches (by their window's last day).")
    st.caption(parts.source_line(ctx))


if parts.has_rankings(ctx.snapshot):
    body()
else:
    st.info("**This snapshot has no app rankings** (`app_rankings.parquet`), so there is nothing to show. "
            "`python -m tokenshare refresh --apps` fetches OpenRouter's app rankings (ten requests); the bundled "
            "sample has a synthetic one. Every other page works without it.", icon=":material/apps:")
