"""Share: open-weight vs closed, and the split by lab, lab country or model."""

import streamlit as st

from tokenshare.analysis.metrics import open_share_headline
from tokenshare.app import charts, interactions, page, urls
from tokenshare.core.formatting import human_tokens, pct, period_label, pp_delta

ctx = page.header(
    "Who carries OpenRouter's tokens?",
    "Share of daily token volume on OpenRouter, open-weight vs closed models, by lab, lab "
    "country or model. Named volume = tokens of models known to be open or closed.",
)
f = ctx.filters

trend = ctx.query("open_share_by_period", **ctx.params())
head = open_share_headline(trend)

c1, c2, c3 = st.columns(3)
if head.share is None:
    c1.metric("Open-weight share", "–", help="No named volume for these filters.")
else:
    c1.metric(
        "Open-weight share",
        pct(head.share),
        delta=pp_delta(head.delta) if head.delta is not None else None,
        help=(
            f"Open-weight tokens / named tokens (open + closed) in the latest complete period, "
            f"{period_label(head.period, f.grain)} ({page.fmt_date(head.period)} to {page.fmt_date(head.period_end)}). "
            f"Change vs 4 periods earlier ({period_label(head.previous_period, f.grain)})."
        ),
    )
    c1.caption(
        f"{period_label(head.period, f.grain)}"
        + (" (incomplete: no complete period in this range)" if head.partial_used else "; change vs 4 periods earlier")
    )
latest = trend[trend["period"] == head.period] if head.period is not None else trend.iloc[0:0]
if not latest.empty:
    row = latest.iloc[0]
    c2.metric("Named tokens in that period", human_tokens(row["named_tokens"]),
              help="Open + closed tokens; the long tail (`other`) and unclassified models are outside it.")
    c2.caption(f"Open {human_tokens(row['open_tokens'])} · closed {human_tokens(row['closed_tokens'])}")
if head.first_passed is not None:
    c3.metric("Open first passed closed", period_label(head.first_passed, f.grain))
    if head.above_since is not None and head.above_since != head.first_passed:
        c3.caption(f"Above 50% without a break since {period_label(head.above_since, f.grain)}")
    elif head.above_since is not None:
        c3.caption("Above 50% ever since")
    else:
        c3.caption("Below 50% in the latest complete period")
elif head.share is not None:
    c3.metric("Open first passed closed", "Not in this range")
if head.skipped_partial is not None:
    st.caption(
        f"The latest period ({period_label(head.skipped_partial, f.grain)}) is incomplete and is left out "
        "of these figures; it is shaded grey on the charts."
    )

st.subheader("Open-weight share of named volume")
show_markers = st.toggle("Launch markers", key="markers", bind="query-params", value=urls.default("markers"),
                         help="Mark the biggest launches in view (by the model's tokens in its first 4 weeks); "
                              "hover a marker for the model. Definitions on the Launches page.")
if trend["open_share"].notna().any():
    line = charts.open_share_line(trend)
    if show_markers:
        line = charts.with_launch_markers(line, ctx.query("launch_markers", **ctx.params(limit=min(f.top, 12))))
    st.altair_chart(line, width="stretch")
    page.data_behind(ctx.snapshot, "open_share_by_period", ctx.params(), trend)
else:
    page.empty_state("open or closed tokens")

st.subheader("Share over time")
b1, b2 = st.columns([3, 2])
by = b1.segmented_control("Break down by", urls.choices("by"), default=urls.default("by"), key="by",
                          bind="query-params", required=True) or urls.default("by")
volume = b2.radio("Volume", urls.choices("volume"), index=urls.choices("volume").index(urls.default("volume")),
                  key="volume", bind="query-params", horizontal=True,
                  help="named: open and closed models only. all: adds unclassified models and the `other` row "
                       "(every model outside the day's top 50) as their own bands, never spread over the named models.") \
    or urls.default("volume")
# A day grain over a long range is drawn by week when it would pass the chart point budget.
params = page.chart_params(ctx.params(breakdown=by, volume=volume, share_of="selection"),
                           series=4 if by == "openness" else f.top + 3)
series = ctx.query("share_by_series", **params)
if series.empty:
    page.empty_state("tokens")
else:
    if by == "lab":
        interactions.lab_click_chart(charts.share_area_interactive(series, pick_labs=True), key="share_area_labs",
                                     labs=ctx.labs, field="series")
        st.caption("Click a lab's band to filter to it (the URL follows); click a legend entry to pick it out.")
    else:
        st.altair_chart(charts.share_area_interactive(series), width="stretch")
    page.data_behind(ctx.snapshot, "share_by_series", params, series)
