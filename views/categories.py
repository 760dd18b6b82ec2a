"""Categories: open-weight share within each use-case category, and who leads each."""

import streamlit as st

from tokenshare.analysis import categories
from tokenshare.app import charts, interactions, page, urlparams
from tokenshare.app.text import md
from tokenshare.core.formatting import pct, period_label, pp_delta

ctx = page.header(
    "Use-case categories (estimates)",
    "Open-weight share within each use-case category (programming, roleplay, ...) week by week, and "
    "which labs lead each. OpenRouter estimates category figures from a sample of requests, so every "
    "figure on this page is an estimate.",
)
f = ctx.filters

if not ctx.snapshot.has_categories:
    st.info(
        "**This snapshot has no category table**, so there is nothing to show here. Category estimates come "
        "in `usage_by_category.parquet`: the bundled sample includes one, and `python -m tokenshare refresh` "
        "fetches them (weekly) with an OpenRouter key. Every other page works without it.",
        icon=":material/category:",
    )
else:
    options = ctx.query("category_list")["category"].tolist()
    urlparams.warn_ignored("category", allowed=options)
    default = categories.default_choice(options)
    chosen = st.multiselect(
        "Categories to compare", options, default=default, key="category", bind="query-params",
        help="Shown as lines and headline figures; the bars below show every category.",
    ) or default

    params = ctx.params()
    shares = ctx.query("category_open_share", **params)
    latest_week, partial_only = categories.latest_week(shares)
    if latest_week is None:
        page.empty_state("category estimates")
    else:
        when = period_label(latest_week, "week")
        st.subheader(f"Open-weight share of each category · {when}")
        heads = categories.headlines(shares, chosen, latest_week)
        cols = st.columns(min(max(len(heads), 1), 4))
        for i, h in enumerate(heads):
            c = cols[i % len(cols)]
            c.metric(
                f"{md(h['category'].capitalize())} (estimate)", pct(h["share"]),
                delta=pp_delta(h["delta"]) if h["delta"] is not None else None,
                help=f"Open-weight tokens ÷ named tokens in the {md(h['category'])} estimates, {when}; "
                     "change vs 4 weeks earlier. Estimated by OpenRouter from sampled requests.",
            )
            c.caption(f"{when} · estimate · change vs 4 weeks earlier")
        if partial_only:
            st.caption("No complete week in this range; the latest (incomplete) week is shown.")
        if f.grain != "week":
            st.caption(f"Category estimates are weekly, so this page shows weeks whatever the Period filter says "
                       f"(now `{f.grain}`).")

        week_rows = shares[shares["period"] == latest_week]
        bars = charts.category_bars(week_rows, highlight=chosen)
        st.altair_chart(bars, width="stretch")
        st.caption("Dark bars: the categories you chose. Dashed line: 50%. Estimates.")
        interactions.chart_export(bars, "category-bars", ctx.snapshot)

        st.subheader("Week by week")
        lines_df = shares[shares["category"].isin(chosen)]
        lines = charts.category_lines(lines_df)
        st.altair_chart(lines, width="stretch")
        st.caption("Open-weight share of each chosen category's named volume, per ISO week (estimates). Click a "
                   "category in the legend to see it alone; grey bands are weeks the usage data covers only in part.")
        interactions.chart_export(lines, "category-lines", ctx.snapshot)
        page.data_behind(ctx.snapshot, "category_open_share", params, shares, label="The data behind these charts")

        st.subheader("Who leads each category")
        lparams = ctx.params(limit=3)
        leaders = ctx.query("category_leaders", **lparams)
        if leaders.empty:
            page.empty_state("category leaders")
        else:
            weeks = int(leaders["weeks"].max())
            board = categories.leader_table(leaders, chosen)
            st.dataframe(board, hide_index=True, width="stretch", height=38 + 35 * len(board))
            st.caption(
                f"The three labs with the most tokens in each category's estimates over the {weeks} weeks from "
                f"{page.fmt_date(f.start)} to {page.fmt_date(f.end)} (narrow the dates in the sidebar for a recent "
                "view), with their share of the category and, in brackets, how much of their own volume there "
                "is open-weight. Estimates."
            )
            page.data_behind(ctx.snapshot, "category_leaders", lparams, leaders, label="The data behind the leaders")
st.caption(":material/center_focus_strong: Focus rule here: the lab and country filters narrow what is counted, so "
           "with a focus each category's open-weight share is of the chosen labs' own tokens in it; the leaders are "
           "the chosen labs ranked by tokens, with their share of the whole category (every lab).")
