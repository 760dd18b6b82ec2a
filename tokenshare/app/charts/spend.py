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


def open_vs_spend_lines(df: pd.DataFrame, *, band: pd.DataFrame | None = None, height: int = 300):
    """Open-weight share of named tokens and of estimated spend per period: two lines.
    ``df``: period, measure, share, is_partial, period_end. ``band`` (period, low, high):
    the spend share's range over the plausible assumptions, drawn as a shaded band."""
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
    if band is not None and not band.dropna(subset=["low", "high"]).empty:
        b = band.dropna(subset=["low", "high"]).copy()
        b["range_label"] = ((b["low"] * 100).round(1).astype(str) + "% to "
                            + (b["high"] * 100).round(1).astype(str) + "%")
        area = alt.Chart(b).mark_area(opacity=0.18, color="#B45309").encode(
            x=alt.X("period:T", title=None), y=alt.Y("low:Q"), y2=alt.Y2("high:Q"),
            tooltip=[alt.Tooltip("period:T", title="Period from"),
                     alt.Tooltip("range_label:N", title="Spend share, plausible range")],
        )
        lines = alt.layer(area, lines)
    return with_half_line_and_bands(lines, d, height)


def sensitivity_lines(df: pd.DataFrame, marks: pd.DataFrame, *, height: int = 340):
    """The open-weight share of estimated spend against the prompt:completion split (log
    scale), one line per cached share; ``marks`` (ratio, share, label) are the default and
    the current choice, drawn as points. ``df``: ratio, split, line, share. ``height``
    is the whole chart's, the two legend rows under the plot included."""
    d = df.dropna(subset=["share"]).copy()
    d["share_label"] = (d["share"] * 100).round(1).astype(str) + "%"
    lines = alt.Chart(d).mark_line(point=True, strokeWidth=2).encode(
        x=alt.X("ratio:Q", title="Prompt tokens per completion token (log scale)",
                scale=alt.Scale(type="log", domain=[d["ratio"].min(), d["ratio"].max()], nice=False),
                axis=alt.Axis(values=sorted(d["ratio"].unique().tolist()), format="~g")),
        y=alt.Y("share:Q", title="Open share of spend", axis=alt.Axis(format="%", tickCount=5),
                # from 0 (a small change looks small) to a round figure above the largest
                # share, found by Vega: a ceiling computed here put the data in the spec,
                # and a new spec is a new Vega view on every sidebar change
                scale=alt.Scale(zero=True, nice=True)),
        color=alt.Color("line:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=240),
                        scale=alt.Scale(range=["#B45309", "#0F766E", "#6D28D9"])),
        tooltip=[alt.Tooltip("split:N", title="Split"), alt.Tooltip("line:N", title=""),
                 alt.Tooltip("share_label:N", title="Open-weight share of spend")],
    )
    # a choice outside the plotted splits is stated in words by the page, not drawn
    m = marks.dropna(subset=["share"])
    m = m[(m["ratio"] >= d["ratio"].min()) & (m["ratio"] <= d["ratio"].max())].copy()
    m["share_label"] = (m["share"] * 100).round(1).astype(str) + "%"
    points = alt.Chart(m).mark_point(size=140, filled=False, strokeWidth=2.5, color="#111827").encode(
        x="ratio:Q", y="share:Q",
        shape=alt.Shape("label:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=240)),
        tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("share_label:N", title="Open-weight share of spend")],
    )
    return alt.layer(lines, points).resolve_scale(color="independent", shape="independent").properties(height=height)
