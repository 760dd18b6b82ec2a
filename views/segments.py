"""Segments: open-weight share within each segment of a dimension (use-case category,
modality, context length, language type), who leads each, and the segment mix of open
vs closed tokens. Also served at /categories (dimension=category by default)."""

import streamlit as st

from tokenshare.analysis import segments as seg
from tokenshare.app import charts, page, urlparams, urls
from tokenshare.app.charts import interactions
from tokenshare.app.page_parts.extras import task_segments
from tokenshare.app.text import code, md
from tokenshare.core.formatting import pct, period_label, pp_delta

ctx = page.header(
    "Segments",
    "Open-weight share within each segment of the market, who leads each, and what share of open-weight and of "
    "closed tokens each segment holds. Split by use-case category or language type (OpenRouter's weekly "
    "estimates from sampled requests), by modality or by context length (exact daily counts), or by task tag "
    "(OpenRouter's 7-day task classification).",
)
f = ctx.filters
dimensions = urls.param("dimension").choices
if getattr(f, "tier", "all") != "all":
    st.caption(f":material/info: The tier filter (now `{f.tier}`) does not apply on this page: segment figures "
               "count every tier, free and paid together.")
listing = ctx.query("segment_list")
# category (as the Categories page was), else the first split the snapshot has
present = [d for d in dimensions if d in set(listing["dimension"])]
first = urls.default("dimension") if urls.default("dimension") in present or not present else present[0]
# No format_func on bound widgets: Streamlit writes the formatted label into the URL.
dim = st.segmented_control("Split by", list(dimensions), default=first, key="dimension", bind="query-params",
                           required=True, help="; ".join(f"{k}: {v}" for k, v in dimensions.items())) or first
estimate = seg.is_estimate(dim)
est = " (estimate)" if estimate else ""
noun = seg.NOUNS[dim]
listing = listing[listing["dimension"] == dim]

if dim == "task":  # from the task table, not segment usage: its own part
    task_segments.render(ctx)
elif listing.empty:
    where, how = (("`usage_by_category.parquet`", "`python -m tokenshare refresh --categories`")
                  if dim == "category" else
                  ("`usage_by_segment.parquet`", "`python -m tokenshare refresh --segments`"))
    st.info(
        f"**This snapshot has no {noun} figures{' (no category table)' if dim == 'category' else ''}**, so there "
        f"is nothing to show for this split. They come in {where}: the bundled sample has them, and {how} fetches "
        "them with an OpenRouter key. The other splits, and every other page, work without it.",
        icon=":material/category:",
    )
else:
    options = seg.ordered(dim, listing["segment"].tolist())
    default = seg.default_choice(dim, options)
    helped = "Shown as lines and headline figures; the bars show every segment."
    if dim == "category":
        urlparams.warn_ignored("category", allowed=options)
        chosen = st.multiselect("Categories to compare", options, default=default, key="category",
                                bind="query-params", help=helped) or default
    else:
        urlparams.warn_ignored("segment", allowed=options)
        chosen = st.multiselect(f"{noun.capitalize()} segments to compare", options, default=default, key="segment",
                                bind="query-params", help=helped) or default

    grain = "week" if estimate else f.grain
    base = ctx.params(dimension=dim)
    params = base if estimate else page.chart_params({**base, "grain": grain}, len(chosen), note=False)
    grain = "week" if estimate else params["grain"]  # estimates are weekly whatever the Period (base carries it)
    shares = ctx.query("segment_open_share", **params)
    shares = shares.assign(label=[seg.label(dim, s) for s in shares["segment"]])
    latest, partial_only = seg.latest_period(shares)
    if latest is None:
        page.empty_state(f"{noun} figures")
    else:
        when = period_label(latest, grain)
        earlier = seg.earlier_period(latest, grain, estimate)
        _, since_words = seg.lookback(grain, estimate)
        st.subheader(f"Open-weight share of each {noun} · {when}")
        heads = seg.headlines(shares, chosen, latest, earlier)
        cols = st.columns(min(max(len(heads), 1), 5))
        for i, h in enumerate(heads):
            c = cols[i % len(cols)]
            c.metric(
                f"{md(seg.label(dim, h['segment']))}{est}", pct(h["share"]),
                delta=pp_delta(h["delta"]) if h["delta"] is not None else None,
                help=f"Open-weight tokens ÷ named tokens in the {md(seg.label(dim, h['segment']))} segment, {when}; "
                     f"change vs {since_words}."
                     + (" Estimated by OpenRouter from sampled requests." if estimate else " Exact daily counts."),
            )
            c.caption(f"{when}{' · estimate' if estimate else ''} · change vs {since_words}")
            page.headline(f"Open-weight share of {seg.label(dim, h['segment'])} tokens{est}: {pct(h['share'])} in {when}")
        notes = []  # one slot, filled or not, so the charts below keep their places on every Period
        if partial_only:
            notes.append(f"No complete {grain} in this range; the latest (incomplete) one is shown.")
        if estimate and f.grain != "week":
            notes.append(f"{noun.capitalize()} estimates are weekly, so this split shows weeks whatever the Period "
                         f"filter says (now `{f.grain}`).")
        elif not estimate and grain != f.grain:
            notes.append(f"Drawn by {grain} (not `{f.grain}`): that many {f.grain}s would pass the chart's point "
                         "budget. Narrow the dates for a finer grain.")
        note = page.slot()
        if notes:
            note.caption(" ".join(notes))

        period_rows = shares[shares["period"] == latest]
        bars = charts.segment_bars(period_rows, estimate=estimate, highlight=chosen)
        charts.draw(bars, width="stretch")
        st.caption(f"Dark bars: the segments you chose. Dashed line: 50%.{' Estimates.' if estimate else ''}"
                   + (" Context buckets are named by their upper bound (`100K` = 10K to 100K tokens of context)."
                      if dim == "context" else ""))
        interactions.chart_export(bars, f"segment-bars-{dim}", ctx.snapshot)

        st.subheader(f"{grain.capitalize()} by {grain}")
        lines_df = shares[shares["segment"].isin(chosen)]
        lines = charts.segment_lines(lines_df, estimate=estimate)
        charts.draw(lines, width="stretch")
        st.caption(f"Open-weight share of each chosen segment's named tokens, per {grain}{est}. Click a segment in "
                   "the legend to see it alone; grey bands are periods the data covers only in part.")
        interactions.chart_export(lines, f"segment-lines-{dim}", ctx.snapshot)
        page.data_behind(ctx.snapshot, "segment_open_share", params, shares, label="The data behind these charts")

        st.subheader("The segment mix: open-weight vs closed tokens")
        mparams = ctx.params(dimension=dim)
        mix = ctx.query("segment_mix", **mparams)
        long = seg.mix_long(dim, mix)
        if long.empty:
            page.empty_state("open or closed tokens in these segments")
        else:
            order = [seg.label(dim, s) for s in seg.ordered(dim, mix["segment"].tolist())]
            of_what = "all their tokens" if dim == "modality" else f"their tokens across {seg.PLURALS[dim]}"
            mixed = charts.mix_bars(long, estimate=estimate, order=order, of_what=of_what)
            charts.draw(mixed, width="stretch")
            yardstick = (
                "Modality segments overlap (a tool call can carry an image), so each is a share of all the open-weight "
                "(closed) tokens in the usage over the same days; they need not add up to 100%."
                if dim == "modality" else
                f"Each is a share of the open-weight (closed) tokens summed over every {noun}, so they add up to "
                "100%" + (" of the estimated tokens." if estimate else "."))
            st.markdown("  \n".join(md(line) for line in seg.mix_sentences(dim, mix, chosen)))
            st.caption(
                f"From {page.fmt_date(f.start)} to {page.fmt_date(f.end)}{est}; the figures above are for the segments you "
                f"chose. {yardstick} Tokens of models outside "
                "a segment's top 50 are in its `other` row, which is neither open nor closed.")
            interactions.chart_export(mixed, f"segment-mix-{dim}", ctx.snapshot)
            page.data_behind(ctx.snapshot, "segment_mix", mparams, mix, label="The data behind the mix")

        st.subheader(f"Who leads each {noun}")
        lparams = ctx.params(dimension=dim, limit=3)
        leaders = ctx.query("segment_leaders", **lparams)
        if leaders.empty:
            page.empty_state(f"{noun} leaders")
        else:
            board = seg.leader_table(dim, leaders, chosen)
            # Markdown (page.small_table), not a grid (its hidden screen-reader copy, rewritten
            # ~0.3 s after the rest, was a first load's last change) nor st.table (more CPU)
            page.small_table(board, height=38 + 35 * len(board))
            first, last = leaders["first_date"].min(), leaders["last_date"].max()
            span = (f"the weeks starting {page.fmt_date(first)} to {page.fmt_date(last)}" if estimate
                    else f"the days from {page.fmt_date(first)} to {page.fmt_date(last)}")
            st.caption(
                f"The three labs with the most tokens in each {noun} over {span} (narrow the dates in the sidebar "
                "for a recent view), with their share of the segment (every model, `other` included) and, in "
                f"brackets, how much of their own volume there is open-weight.{' Estimates.' if estimate else ''}")
            page.data_behind(ctx.snapshot, "segment_leaders", lparams, leaders, label="The data behind the leaders")
if dim != "task":
    st.caption(":material/center_focus_strong: Focus rule here: the lab and country filters narrow what is counted, "
               "so with a focus each segment's open-weight share (and the mix) is of the chosen labs' own tokens in "
               "it; the leaders are the chosen labs ranked by tokens, with their share of the whole segment (every "
               f"lab). Split: {code(dim)}.")
