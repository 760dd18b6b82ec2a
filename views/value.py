"""Value: what the tokens buy. Each model's capability (Artificial Analysis's index, from
the snapshot's benchmarks table) against its blended price, sized by its ranked tokens;
the price-performance frontier drawn and stated in words (tokenshare.analysis.value)."""

import streamlit as st

from tokenshare.analysis import spend, value
from tokenshare.app import charts, evidence, focus, page, urls
from tokenshare.app.page_parts.extras import value_notes
from tokenshare.app.text import md
from tokenshare.core.formatting import human_tokens, pct

ctx = page.header(
    "What the tokens buy: capability against price",
    "One point per model with ranked tokens in the range: its benchmark score against its blended price, sized by "
    "its tokens, open-weight or closed. The dashed line is the price-performance frontier: the cheapest model at "
    "or above each capability level. The question: do the tokens go to the models that give the most capability "
    "per dollar?",
)
f = ctx.filters


def headline(shares, bands) -> None:
    by_side = shares.set_index("openness")
    c1, c2, c3 = st.columns(3)
    c1.metric("Open-weight tokens on or near the frontier", pct(by_side.loc["open", "near_share"]),
              help=f"Of the ranked tokens of the open-weight models drawn: those of models costing at most "
                   f"{value.NEAR_FACTOR:g}× the cheapest model scoring at least as high.")
    c1.caption(f"{pct(by_side.loc['open', 'on_share'])} on it · {int(by_side.loc['open', 'models'])} models")
    c2.metric("Closed tokens on or near the frontier", pct(by_side.loc["closed", "near_share"]),
              help="The same for the closed models drawn.")
    c2.caption(f"{pct(by_side.loc['closed', 'on_share'])} on it · {int(by_side.loc['closed', 'models'])} models")
    top = bands[bands["tokens"] > 0].head(1)
    if len(top):
        c3.metric(f"Open-weight share, models scoring {top['band'].iloc[0]}", pct(top["open_share"].iloc[0]),
                  help="Open-weight models' ranked tokens ÷ all ranked tokens of the models drawn in the highest "
                       "capability band that has any.")
        c3.caption(f"{int(top['open_models'].iloc[0])} of {int(top['models'].iloc[0])} models · "
                   f"{human_tokens(top['tokens'].iloc[0])} tokens")


def body() -> None:
    c_index, c_split = st.columns([3, 2])
    index = c_index.segmented_control(
        "Capability", urls.choices("index"), default=urls.default("index"), key="index", bind="query-params",
        required=True, help="; ".join(f"{k}: Artificial Analysis's {v.lower()}" for k, v in value.INDICES.items()),
    ) or urls.default("index")
    split = c_split.select_slider(  # the Spend page's control and URL key: a link keeps the split across both
        "Prompt : completion tokens", urls.choices("split"), value=urls.default("split"), key="split",
        bind="query-params",
        help=f"How many prompt tokens come with each completion token, as on the Spend page. "
             f"{evidence.default_split()} is the default, from the cited evidence there.",
    ) or urls.default("split")
    index_title = value.INDICES[index]
    share = spend.prompt_share(split)
    the_focus = focus.current(ctx)
    params = ctx.params(index=index, prompt_share=share)
    models = ctx.query("value_models", **params)
    if models.empty:
        page.empty_state("named models with ranked tokens")
        return
    fig = ctx.derive(value_notes.figures, ("value_models", params), index_title=index_title)
    marked, shares, bands, placed = fig["marked"], fig["shares"], fig["bands"], fig["placed"]
    headline(shares, bands)
    if placed.empty:
        st.info(f"No model with ranked tokens in this range has both an {index_title.lower()} score and a price.",
                icon=":material/search_off:")
    else:
        chart = charts.value_scatter(placed, fig["line"], index_title, focus=the_focus.active)
        charts.draw(chart, width="stretch")
    st.markdown(fig["frontier_words"])
    st.markdown(fig["band_words"])
    if the_focus.active:
        st.markdown(value_notes.focus_words(marked, the_focus.name))
    at_default = "the default" if split == evidence.default_split() else f"default {evidence.default_split()}"
    st.caption(f":material/info: Blended price = {share:.1%} × prompt price + {1 - share:.1%} × completion price "
               f"(**{split}** prompt:completion tokens, {at_default}, as on the Spend page; no cache), "
               "from the catalogue, else the benchmark's own price. The usage data counts prompt and completion "
               "tokens together, so the split is assumed: a model's place near the frontier can change with it. "
               "The frontier is drawn among the models shown"
               + (f" (the sidebar shows {md(f.openness)} models only)" if f.openness != "all" else "") + ".")
    st.subheader("What this page cannot tell")
    st.markdown(fig["unplaced_words"])
    st.markdown(value_notes.cut_words(ctx, marked, index))
    st.caption(value_notes.source_line(ctx.snapshot))
    shown = bands[["band", "models", "open_models", "tokens", "open_tokens", "open_share"]].astype(
        {"tokens": "int64", "open_tokens": "int64"})
    page.small_table(shown.rename(columns={  # "share" in a name: shown as a percentage
        "band": f"{index_title} band", "models": "Models drawn", "open_models": "Open-weight models",
        "tokens": "Ranked tokens", "open_tokens": "Open-weight tokens", "open_share": "Open-weight share"}))
    page.data_behind(ctx.snapshot, "value_models", params, models, label="The data behind this page")


if value_notes.has_benchmarks(ctx.snapshot):
    body()
else:
    st.info("**This snapshot has no benchmarks table** (`benchmarks.parquet`), so there is nothing to plot. "
            "`python -m tokenshare refresh --benchmarks` fetches Artificial Analysis's indices through OpenRouter's "
            "Data API (one request); the bundled sample has a synthetic one. Every other page works without it.",
            icon=":material/speed:")
