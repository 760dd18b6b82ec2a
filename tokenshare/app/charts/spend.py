"""Spend vs tokens: 100% bars of tokens and estimated spend by series, and the open-weight
share of each over time."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import FIXED, colour_scale, lab_pick, opacity_when, with_half_line_and_bands
from tokenshare.core.formatting import human_tokens


def split_bars(df: pd.DataFrame, *, measure_order: list[str], series_order: list[str],
               pick_labs: bool = False, height: int | None = None):
    """100% stacked horizontal bars, one per measure (e.g. "Tokens", "Estimated spend"),
    split by series in series colours (labs keep their colours), with the share printed
    on segments wide enough to hold it. ``df``: measure, series, value, share.
    With ``pick_labs``, a click on a segment picks its lab (selection LAB_PICK)."""
    d = df.copy()
    d["share_label"] = (d["share"] * 100).round(1).astype(str) + "%"
    d["value_label"] = d.get("value_label", d["value"].map(human_tokens))
    d["order"] = d["series"].map({s: i for i, s in enumerate(series_order)})
    d["lab_name"] = d["series"]
    # centre of each segment, for the labels
    d = d.sort_values(["measure", "order"])
    d["mid"] = d.groupby("measure")["share"].cumsum() - d["share"] / 2
    base = alt.Chart(d).encode(
        y=alt.Y("measure:N", title=None, sort=measure_order, axis=alt.Axis(labelLimit=260, labelFontSize=13)),
    )
    bars = base.mark_bar(height=alt.RelativeBandSize(0.72)).encode(
        x=alt.X("share:Q", stack="zero", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        order=alt.Order("order:Q", sort="ascending"),
        color=alt.Color("series:N", title=None, scale=colour_scale(series_order), sort=series_order,
                        legend=alt.Legend(orient="bottom", columns=5, labelLimit=200)),
        tooltip=[alt.Tooltip("measure:N", title=""), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("share_label:N", title="Share"), alt.Tooltip("value_label:N", title="Amount")],
    )
    text = base.transform_filter(alt.datum.share >= 0.06).mark_text(
        color="white", fontWeight="bold", fontSize=12, align="center").encode(
        x=alt.X("mid:Q"), text=alt.Text("share_label:N"))
    if pick_labs:
        bars = bars.add_params(lab_pick())
    n = len(measure_order)
    legend_rows = -(-len(series_order) // 5)
    return alt.layer(bars, text, height=height or (60 * n + 60 + 24 * legend_rows))


def open_vs_spend_lines(df: pd.DataFrame, *, height: int = 300):
    """Open-weight share of named tokens and of estimated spend per period: two lines.
    ``df``: period, measure, share, is_partial, period_end."""
    d = df.dropna(subset=["share"]).copy()
    d["share_label"] = (d["share"] * 100).round(1).astype(str) + "%"
    order = ["Share of tokens", "Share of estimated spend"]
    sel = alt.selection_point(fields=["measure"], bind="legend")
    lines = (
        alt.Chart(d)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("share:Q", title="Open-weight share", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("measure:N", title=None, sort=order,
                            scale=alt.Scale(domain=order, range=[FIXED["Open weights"], "#B45309"]),
                            legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash("measure:N", sort=order, scale=alt.Scale(domain=order, range=[[1, 0], [6, 3]]),
                                      legend=None),
            opacity=opacity_when(sel, 1.0, 0.15),
            tooltip=[alt.Tooltip("period:T", title="Period from"), alt.Tooltip("measure:N", title=""),
                     alt.Tooltip("share_label:N", title="Open-weight share")],
        )
        .add_params(sel)
    )
    return with_half_line_and_bands(lines, d, height)

