"""Spend vs tokens: an estimated dollar view beside the token view, with the range every
spend share takes over the plausible assumptions."""

import pandas as pd
import streamlit as st

from tokenshare.analysis import spend
from tokenshare.app import charts, evidence, page, urls
from tokenshare.app.charts import interactions
from tokenshare.app.page_parts.extras import session_cost
from tokenshare.core.formatting import human_tokens, pct, period_label

A = evidence.spend_assumptions()
ctx = page.header(
    "Spend vs tokens (estimate)",
    "Estimated dollars: each model's tokens × its blended price. The usage data counts prompt and completion "
    "tokens together, so the estimate assumes a prompt:completion split and a share of prompt tokens read from "
    "cache; both defaults come from published figures (below), and every spend share is shown with the range it "
    "takes over the plausible assumptions. Named models only (open-weight or closed).",
)
f = ctx.filters

c_split, c_cached = st.columns(2)
split = c_split.select_slider(
    "Prompt : completion tokens", urls.choices("split"), value=urls.default("split"), key="split",
    bind="query-params",
    help=f"How many prompt tokens come with each completion token. {A.split_default} is the default, from the "
         "cited evidence below.",
) or urls.default("split")
cached = c_cached.select_slider(
    # no format_func: Streamlit binds a select_slider to the URL by its shown label
    "Prompt tokens read from cache (%)", urls.choices("cached"), value=urls.default("cached"), key="cached",
    bind="query-params",
    help="Share of prompt tokens priced at the model's cache-read price (models without one pay the prompt "
         f"price). {A.cached_default:.0%} is the default: no market-wide figure has been published.",
) or urls.default("cached")
pricing = st.segmented_control(
    "Price open-weight tokens at", urls.choices("pricing"), default=urls.default("pricing"), key="pricing",
    bind="query-params", required=True,
    help="catalogue: OpenRouter's listed price for the model (the default). cheapest / median: the model's "
         "cheapest or median provider in the snapshot's provider data (ranked by blended price at the default "
         "split). Closed models, and open ones without provider data, keep the catalogue's price.",
) or urls.default("pricing")
if pricing != "catalogue" and not ctx.snapshot.has_endpoints:
    st.caption(":material/info: This snapshot has no provider data (`refresh --providers`), so every model keeps "
               "the catalogue's price.")
choice = spend.Point(spend.prompt_share(split), spend.cached_share(cached))
note = spend.split_note(split, cached)
at_default = split == A.split_default and spend.cached_share(cached) == A.cached_default
st.caption(
    f":material/info: **{split}**, **{cached}%** cached: blended price = {choice.s:.1%} × (prompt price, or the "
    f"cache-read price for {cached}% of it) + {1 - choice.s:.1%} × completion price. Every dollar figure below is "
    f"an **{note}**" + ("" if at_default else f" (the default is {A.split_default}, {A.cached_default:.0%} cached)")
    + ". Ranges are over splits from **" + f"{A.split_low} to {A.split_high}** and **{A.cached_low:.0%} to "
    f"{A.cached_high:.0%}** of prompt tokens cached."
)

pricing_params = {"pricing": pricing, "rank_prompt_share": spend.rank_prompt_share(A)}
tparams = ctx.params(prompt_share=choice.s, cached_share=choice.c, **pricing_params)
trend = ctx.query("spend_open_by_period", **tparams)
latest, partial_only = spend.latest_complete(trend)

if f.tier == "free":  # a free token costs nothing: there is no spend to estimate
    st.info("**Tokens: free** counts only the `:free` variants, which cost nothing, so there is no spend to "
            "estimate. Choose `all` or `paid` under Tokens in the sidebar; with `all`, free tokens are counted "
            "in the token shares and priced at zero.", icon=":material/money_off:")
    session_cost.measured_cost(ctx)
elif latest is None:
    page.empty_state("named tokens")
    session_cost.measured_cost(ctx)
else:
    w_start, w_end = spend.period_window(latest, f.start, f.end)
    wparams = ctx.params(start=w_start, end=w_end, prompt_share=choice.s, cached_share=choice.c,
                         breakdown="openness", **pricing_params)
    by_open = ctx.query("spend_by_series", **wparams)
    when = period_label(latest["period"], f.grain)
    totals = spend.period_totals(by_open)
    headline = spend.open_share_range(latest, choice, A)

    c1, c2, c3 = st.columns(3)
    c1.metric("Open-weight share of estimated spend", pct(latest["spend_share"]),
              help=f"Open-weight models' estimated spend ÷ all named models' estimated spend, {when}. {note}.")
    c1.caption(f"{when} · **{headline.text()}**")
    page.headline(f"Open-weight share of estimated spend: {pct(latest['spend_share'])} in {when} "
                  f"({pct(latest['token_share'])} of tokens)")
    c2.metric("Open-weight share of tokens", pct(latest["token_share"]),
              help="Open-weight tokens ÷ named tokens in the same period (the Share page's figure).")
    c2.caption(f"{when} · tokens are counted, not estimated")
    c3.metric("Estimated spend, named models", spend.usd(totals.spend_usd),
              help=f"Sum of tokens × blended price over the period; {note}; unpriced models left out.")
    c3.caption(f"{human_tokens(totals.tokens)} tokens · {note}")
    if partial_only:
        st.caption(f"No complete period in this range: {when} is incomplete.")
    if pricing != "catalogue" and ctx.snapshot.has_endpoints:
        open_row = by_open[by_open["series"] == "Open weights"]
        at_prov = int(open_row["provider_priced_tokens"].sum())
        open_tokens = int(open_row["tokens"].sum())
        st.caption(
            f":material/storefront: Open-weight tokens priced at each model's **{pricing} provider**: "
            f"{human_tokens(at_prov)} of {human_tokens(open_tokens)} open-weight tokens in {when} "
            f"({pct(at_prov / open_tokens) if open_tokens else '–'}); the rest, and every closed model, at the "
            "catalogue's price. Providers as listed on the day they were fetched (see the Providers page); "
            "OpenRouter does not say which provider served which token, so this is what the tokens would cost "
            "there, not what was paid."
        )

    st.subheader(f"How much the estimate depends on the assumptions · {when}")
    s1, s2 = st.columns([3, 2])
    sens = spend.sensitivity_frame(latest, choice, A)
    marks = pd.DataFrame([
        {"ratio": spend.ratio(A.split_default), "share": headline.at_default,
         "label": "Default"},
        {"ratio": spend.ratio(split), "share": headline.at_choice, "label": "Your choice"},
    ])
    sens_chart = charts.sensitivity_lines(sens, marks)
    charts.draw(sens_chart, width="stretch", where=s1)
    known_split, cache_priced = spend.known_volume(by_open)
    s2.markdown(
        f"The open-weight share of estimated spend in {when} is **{headline.text()}** "
        f"({A.split_low} to {A.split_high} prompt tokens per completion token, {A.cached_low:.0%} to "
        f"{A.cached_high:.0%} of prompt tokens read from cache); at your choice it is **{pct(headline.at_choice)}**. "
        "The more prompt-heavy the traffic, the less the completion price (where closed models charge most) "
        "weighs."
    )
    s2.caption(
        f"Per-model split known for **{pct(known_split)}** of priced tokens (the rest use the assumed split). "
        f"Models with a cache-read price carry **{pct(cache_priced)}** of priced tokens; the others pay the "
        "prompt price for cached tokens."
    )
    # One Markdown element for the derivations and every source: a closed expander's
    # contents are drawn in the browser on every rerun all the same (measured in Chromium).
    with st.expander("Where the defaults come from", icon=":material/menu_book:"):
        st.markdown("\n\n".join([
            f"**Split, {A.split_default}.** {A.split_derivation}",
            f"**Cached share, {A.cached_default:.0%}.** {A.cached_derivation}",
            "\n".join(
                f"- [{src.title}]({src.url}) ({src.published}). *Measures:* {src.measures} *Where:* {src.location}. "
                f"*Quote:* “{src.quote}” *Figure:* {src.figure}. *Used for:* {src.used_for}."
                + (f" *Note:* {src.note}" if src.note else "")
                for src in A.sources),
        ]))
        st.caption("The file: tokenshare/data/reference/spend_assumptions.toml. Change an assumption there, with its "
                   "source, and the page follows.")
    interactions.chart_export(sens_chart, "spend-sensitivity", ctx.snapshot)

    if totals.unpriced_models == 0:
        st.caption(f":material/check_circle: Every named model with tokens in {when} has a price.")
    else:
        n = totals.unpriced_models
        st.warning(
            f"**{n} model{'s' if n != 1 else ''} without a price** carried "
            f"{human_tokens(totals.unpriced_tokens)} tokens ({pct(totals.unpriced_share)} of named "
            f"tokens) in {when}. They are counted in the token shares and left out of the spend estimate, "
            "not priced at zero.",
            icon=":material/money_off:",
        )
        # listed when opened (the rerun that opens it runs unpriced_models.sql)
        unpriced_list = page.opened("Models without a price", key="unpriced_list")
        if unpriced_list is not None:
            unpriced = ctx.query("unpriced_models", **wparams)
            with unpriced_list:
                st.dataframe(unpriced.assign(tokens=unpriced["tokens"].map(human_tokens)), hide_index=True,
                             width="stretch")

    # The detail in tabs bound to the URL, only the open one drawn (on_change="rerun" gives
    # each tab its .open): the browser re-renders every element on every rerun, hidden in a
    # tab or not (React, styles, a chart's redraw), and redrew all four sections on every
    # change of the sidebar before.
    weights_tab, lab_tab, time_tab, measured_tab = st.tabs(
        urls.choices("section"), key="section", default=urls.default("section"), on_change="rerun",
        bind="query-params")
    if weights_tab.open:
        with weights_tab:
            st.subheader(f"Tokens vs estimated spend, by weights · {when}")
            chart = charts.split_bars(spend.split_frame(by_open), measure_order=list(spend.MEASURES),
                                      series_order=list(charts.SIDES))
            charts.draw(chart, width="stretch")
            open_ranges = spend.series_ranges(by_open, choice, A).set_index("series")
            range_lines = "; ".join(f"{s}: {open_ranges.loc[s, 'range_text']}" for s in ["Open weights", "Closed"]
                                    if s in open_ranges.index)
            st.caption(f"Top bar: share of named tokens. Bottom bar: share of estimated spend ({note}). "
                       f"Spend share over the plausible assumptions: {range_lines}.")
            interactions.chart_export(chart, "spend-by-weights", ctx.snapshot)
            page.data_behind(ctx.snapshot, "spend_by_series", wparams, by_open,
                             label="The data behind the weights bars")
    if lab_tab.open:
        with lab_tab:
            st.subheader(f"Tokens vs estimated spend, by lab · {when}")
            lparams = {**wparams, "breakdown": "lab"}
            by_lab = ctx.query("spend_by_series", **lparams)
            lab_chart = charts.split_bars(spend.split_frame(by_lab), measure_order=list(spend.MEASURES),
                                          series_order=spend.series_order(by_lab), pick_labs=True)
            interactions.lab_click_chart(lab_chart, key="spend_lab_bars", labs=ctx.labs)
            st.caption(f"Top {f.top} labs by tokens, the others as Rest; {note}. Click a lab to filter the app to it "
                       "(the URL follows); clear the Lab filter in the sidebar to go back.")
            interactions.chart_export(lab_chart, "spend-by-lab", ctx.snapshot)
            table = spend.lab_table(by_lab, spend.series_ranges(by_lab, choice, A))
            # Markdown, not a grid (the grid rewrote its hidden screen-reader copy 0.2-0.3 s after
            # each change) nor st.table (a component per cell: more browser CPU than the grid)
            page.small_table(table, height=38 + 35 * len(table))
            page.data_behind(ctx.snapshot, "spend_by_series", lparams, by_lab, label="The data behind the lab bars")
    if time_tab.open:
        with time_tab:
            st.subheader("Open-weight share over time: tokens vs estimated spend")
            lines = charts.open_vs_spend_lines(spend.trend_frame(trend), band=spend.trend_ranges(trend, choice, A))
            charts.draw(lines, width="stretch")
            st.caption(f"Solid: share of named tokens. Dashed: share of estimated spend ({note}); the shaded band "
                       f"is its range over splits {A.split_low} to {A.split_high} and {A.cached_low:.0%} to "
                       f"{A.cached_high:.0%} cached. Prices are today's catalogue prices applied to every day, so "
                       "older spend is an estimate twice over. Click the legend to isolate a line; grey bands are "
                       "incomplete periods.")
            interactions.chart_export(lines, "spend-open-share", ctx.snapshot)
            page.data_behind(ctx.snapshot, "spend_open_by_period", tparams, trend, label="The data behind the lines")
    if measured_tab.open:
        with measured_tab:
            session_cost.measured_cost(ctx)  # measured, beside the estimate (issue 23)
st.caption(":material/center_focus_strong: Focus rule here: the lab and country filters narrow what is counted, so "
           "with a focus every share on this page is of the chosen labs' own tokens and estimated spend, not of the "
           "market (the Share and Race pages measure a focus against the whole market).")
