"""Spend vs tokens: an estimated dollar view beside the token view."""

import streamlit as st

from tokenshare.analysis import spend
from tokenshare.app import charts, interactions, page, urls
from tokenshare.core.formatting import human_tokens, pct, period_label

ctx = page.header(
    "Spend vs tokens (estimate)",
    "Estimated dollars: each model's tokens × its blended price at the prompt:completion split you "
    "choose. The usage data counts prompt and completion tokens together, so every dollar figure here "
    "is an estimate. Named models only (open-weight or closed).",
)
f = ctx.filters

split = st.select_slider(
    "Prompt : completion tokens", urls.choices("split"), value=urls.default("split"), key="split", bind="query-params",
    help="How many prompt tokens come with each completion token. Blended price = prompt share × prompt price + "
         "completion share × completion price. 3:1 is the default.",
) or urls.default("split")
share_p = spend.prompt_share(split)
note = spend.split_note(split)
st.caption(f":material/info: **{split}** = {spend.SPLITS[split]}: blended price = {share_p:.0%} × prompt price + "
           f"{1 - share_p:.0%} × completion price. Every dollar figure below is an **{note}**.")

tparams = ctx.params(prompt_share=share_p)
trend = ctx.query("spend_open_by_period", **tparams)
latest, partial_only = spend.latest_complete(trend)

if latest is None:
    page.empty_state("named tokens")
else:
    w_start, w_end = spend.period_window(latest, f.start, f.end)
    wparams = ctx.params(start=w_start, end=w_end, prompt_share=share_p, breakdown="openness")
    by_open = ctx.query("spend_by_series", **wparams)
    when = period_label(latest["period"], f.grain)
    totals = spend.period_totals(by_open)

    c1, c2, c3 = st.columns(3)
    c1.metric("Open-weight share of estimated spend", pct(latest["spend_share"]),
              help=f"Open-weight models' estimated spend ÷ all named models' estimated spend, {when}. {note}.")
    c1.caption(f"{when} · {note}")
    c2.metric("Open-weight share of tokens", pct(latest["token_share"]),
              help="Open-weight tokens ÷ named tokens in the same period (the Share page's figure).")
    c2.caption(f"{when} · tokens are counted, not estimated")
    c3.metric("Estimated spend, named models", spend.usd(totals.spend_usd),
              help=f"Sum of tokens × blended price over the period; {note}; unpriced models left out.")
    c3.caption(f"{human_tokens(totals.tokens)} tokens · {note}")
    if partial_only:
        st.caption(f"No complete period in this range: {when} is incomplete.")

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
        unpriced_list = st.expander("Models without a price", key="unpriced_list", on_change="rerun")
        if unpriced_list.open:
            unpriced = ctx.query("unpriced_models", **wparams)
            with unpriced_list:
                st.dataframe(unpriced.assign(tokens=unpriced["tokens"].map(human_tokens)), hide_index=True,
                             width="stretch")

    st.subheader(f"Tokens vs estimated spend, by weights · {when}")
    chart = charts.split_bars(spend.split_frame(by_open), measure_order=list(spend.MEASURES),
                              series_order=["Open weights", "Closed"])
    st.altair_chart(chart, width="stretch")
    st.caption(f"Top bar: share of named tokens. Bottom bar: share of estimated spend ({note}).")
    interactions.chart_export(chart, "spend-by-weights", ctx.snapshot)
    page.data_behind(ctx.snapshot, "spend_by_series", wparams, by_open, label="The data behind the weights bars")

    st.subheader(f"Tokens vs estimated spend, by lab · {when}")
    lparams = {**wparams, "breakdown": "lab"}
    by_lab = ctx.query("spend_by_series", **lparams)
    lab_chart = charts.split_bars(spend.split_frame(by_lab), measure_order=list(spend.MEASURES),
                                  series_order=spend.series_order(by_lab), pick_labs=True)
    interactions.lab_click_chart(lab_chart, key="spend_lab_bars", labs=ctx.labs)
    st.caption(f"Top {f.top} labs by tokens, the others as Rest; {note}. Click a lab to filter the app to it "
               "(the URL follows); clear the Lab filter in the sidebar to go back.")
    interactions.chart_export(lab_chart, "spend-by-lab", ctx.snapshot)
    table = spend.lab_table(by_lab)
    st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table))
    page.data_behind(ctx.snapshot, "spend_by_series", lparams, by_lab, label="The data behind the lab bars")

    st.subheader("Open-weight share over time: tokens vs estimated spend")
    lines = charts.open_vs_spend_lines(spend.trend_frame(trend))
    st.altair_chart(lines, width="stretch")
    st.caption(f"Solid: share of named tokens. Dashed: share of estimated spend ({note}). Prices are today's "
               "catalogue prices applied to every day, so older spend is an estimate twice over. Click the legend to "
               "isolate a line; grey bands are incomplete periods.")
    interactions.chart_export(lines, "spend-open-share", ctx.snapshot)
    page.data_behind(ctx.snapshot, "spend_open_by_period", tparams, trend, label="The data behind the lines")
