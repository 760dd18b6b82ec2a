"""Spend vs tokens: an estimated dollar view beside the token view."""

import streamlit as st

from tokenshare.app import charts, ui
from tokenshare.analysis import spend
from tokenshare.core.formatting import human_tokens, pct, period_label

ctx = ui.page_header(
    "Spend vs tokens (estimate)",
    "Estimated dollars: each model's tokens × its blended price at the prompt:completion split you "
    "choose. The usage data counts prompt and completion tokens together, so every dollar figure here "
    "is an estimate. Named models only (open-weight or closed).",
)
f = ctx.filters

split = st.select_slider(
    "Prompt : completion tokens", list(spend.SPLITS), value=spend.DEFAULT_SPLIT, key="split", bind="query-params",
    help="How many prompt tokens come with each completion token. Blended price = prompt share × prompt price + "
         "completion share × completion price. 3:1 is the default.",
) or spend.DEFAULT_SPLIT
share_p = spend.prompt_share(split)
note = spend.split_note(split)
st.caption(f":material/info: **{split}** = {spend.SPLITS[split]}: blended price = {share_p:.0%} × prompt price + "
           f"{1 - share_p:.0%} × completion price. Every dollar figure below is an **{note}**.")

tparams = ctx.params(prompt_share=share_p)
trend = ui.query("spend_open_by_period", **tparams)
latest, partial_only = spend.latest_complete(trend)

if latest is None:
    ui.empty_state("named tokens")
else:
    period = latest["period"]
    w_start, w_end = spend.period_window(latest, f.start, f.end)
    wparams = ctx.params(start=w_start, end=w_end, prompt_share=share_p, breakdown="openness")
    by_open = ui.query("spend_by_series", **wparams)
    when = period_label(period, f.grain)
    total_tokens = int(by_open["tokens"].sum())
    total_spend = float(by_open["spend_usd"].sum())
    unpriced_tokens = int(by_open["unpriced_tokens"].sum())
    # a model is in one series only, so the series' counts add up to the models without a price
    unpriced_count = int(by_open["unpriced_models"].sum())

    c1, c2, c3 = st.columns(3)
    c1.metric("Open-weight share of estimated spend", pct(latest["spend_share"]),
              help=f"Open-weight models' estimated spend ÷ all named models' estimated spend, {when}. {note}.")
    c1.caption(f"{when} · {note}")
    c2.metric("Open-weight share of tokens", pct(latest["token_share"]),
              help="Open-weight tokens ÷ named tokens in the same period (the Share page's figure).")
    c2.caption(f"{when} · tokens are counted, not estimated")
    c3.metric("Estimated spend, named models", spend.usd(total_spend),
              help=f"Sum of tokens × blended price over the period; {note}; unpriced models left out.")
    c3.caption(f"{human_tokens(total_tokens)} tokens · {note}")
    if partial_only:
        st.caption(f"No complete period in this range: {when} is incomplete.")

    if unpriced_count == 0:
        st.caption(f":material/check_circle: Every named model with tokens in {when} has a price.")
    else:
        st.warning(
            f"**{unpriced_count} model{'s' if unpriced_count != 1 else ''} without a price** carried "
            f"{human_tokens(unpriced_tokens)} tokens ({pct(unpriced_tokens / total_tokens if total_tokens else 0)} of named "
            f"tokens) in {when}. They are counted in the token shares and left out of the spend estimate, "
            "not priced at zero.",
            icon=":material/money_off:",
        )
        # listed when opened (the rerun that opens it runs unpriced_models.sql)
        unpriced_list = st.expander("Models without a price", key="unpriced_list", on_change="rerun")
        if unpriced_list.open:
            unpriced = ui.query("unpriced_models", **wparams)
            with unpriced_list:
                st.dataframe(unpriced.assign(tokens=unpriced["tokens"].map(human_tokens)), hide_index=True,
                             width="stretch")

    st.subheader(f"Tokens vs estimated spend, by weights · {when}")
    frame = spend.split_frame(by_open)
    chart = charts.split_bars(frame, measure_order=list(spend.MEASURES), series_order=["Open weights", "Closed"])
    st.altair_chart(chart, width="stretch")
    st.caption(f"Top bar: share of named tokens. Bottom bar: share of estimated spend ({note}).")
    ui.chart_export(chart, "spend-by-weights")
    ui.data_behind("spend_by_series", wparams, by_open, label="The data behind the weights bars")

    st.subheader(f"Tokens vs estimated spend, by lab · {when}")
    lparams = {**wparams, "breakdown": "lab"}
    by_lab = ui.query("spend_by_series", **lparams)
    order = by_lab.sort_values("series_order")["series"].tolist()
    lab_chart = charts.split_bars(spend.split_frame(by_lab), measure_order=list(spend.MEASURES),
                                  series_order=order, pick_labs=True)
    ui.lab_click_chart(lab_chart, key="spend_lab_bars")
    st.caption(f"Top {f.top} labs by tokens, the others as Rest; {note}. Click a lab to filter the app to it "
               "(the URL follows); clear the Lab filter in the sidebar to go back.")
    ui.chart_export(lab_chart, "spend-by-lab")
    table = by_lab.assign(
        **{"Token share": by_lab["token_share"].map(pct), "Spend share (est.)": by_lab["spend_share"].map(pct),
           "Tokens": by_lab["tokens"].map(human_tokens), "Estimated spend": by_lab["spend_usd"].map(spend.usd),
           "Spend per M tokens (est.)": (by_lab["spend_usd"] / (by_lab["priced_tokens"] / 1e6)).map(spend.usd),
           "Models without a price": by_lab["unpriced_models"].astype(str) + " of " + by_lab["models"].astype(str)},
    )[["series", "Tokens", "Token share", "Estimated spend", "Spend share (est.)", "Spend per M tokens (est.)",
       "Models without a price"]].rename(columns={"series": "Lab"})
    st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table))
    ui.data_behind("spend_by_series", lparams, by_lab, label="The data behind the lab bars")

    st.subheader("Open-weight share over time: tokens vs estimated spend")
    lines = charts.open_vs_spend_lines(spend.trend_frame(trend))
    st.altair_chart(lines, width="stretch")
    st.caption(f"Solid: share of named tokens. Dashed: share of estimated spend ({note}). Prices are today's "
               "catalogue prices applied to every day, so older spend is an estimate twice over. Click the legend to "
               "isolate a line; grey bands are incomplete periods.")
    ui.chart_export(lines, "spend-open-share")
    ui.data_behind("spend_open_by_period", tparams, trend, label="The data behind the lines")
