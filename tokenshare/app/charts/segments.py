"""Segments (category, modality, context bucket, language type): open-weight share per
segment in one period (bars), period by period (lines), and the segment mix of open vs
closed tokens (grouped bars). Every frame carries ``label`` (the segment as a reader
names it) and ``order`` (the segments' order on the chart); ``estimate`` adds
"(estimate)" to the titles."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import FIXED, SIDES, THEMED_TEXT, constant, opacity_when, with_half_line_and_bands

# Distinct colours for a handful of segments (a hash-picked palette gave two greens).
SEGMENT_COLOURS = ["#2563EB", "#F97316", "#16A34A", "#DC2626", "#9333EA", "#0891B2", "#CA8A04", "#DB2777",
                   "#4B5563", "#65A30D", "#7C3AED", "#0D9488"]
from tokenshare.core.formatting import human_tokens


def _est(estimate: bool) -> str:
    return " (estimate)" if estimate else ""


def segment_lines(df: pd.DataFrame, *, estimate: bool, height: int = 340):
    """Open-weight share of each segment's named tokens per period, one line per
    segment; the legend isolates one. The spec says nothing of the grain (the tooltip
    reads "Period from"), so a Period change sends new data to the same Vega view. ``df``: period, label, open_share, is_partial,
    period_end."""
    d = df.dropna(subset=["open_share"]).copy()
    d["share_label"] = (d["open_share"] * 100).round(1).astype(str) + "%"
    order = d.groupby("label")["open_share"].last().sort_values(ascending=False).index.tolist()
    sel = alt.selection_point(fields=["label"], bind="legend")
    lines = (
        alt.Chart(d)
        .mark_line(strokeWidth=2.2, interpolate="monotone")
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("open_share:Q", title="Open-weight share" + _est(estimate), axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("label:N", title=None, sort=order,
                            scale=alt.Scale(domain=order, range=[SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)]
                                                                 for i in range(len(order))]),
                            legend=alt.Legend(orient="bottom", columns=6)),
            opacity=opacity_when(sel, 1.0, 0.12),
            tooltip=[alt.Tooltip("period:T", title="Period from"), alt.Tooltip("label:N", title="Segment"),
                     alt.Tooltip("share_label:N", title="Open-weight share" + _est(estimate))],
        )
        .add_params(sel)
    )
    return with_half_line_and_bands(lines, d, height)


def segment_bars(df: pd.DataFrame, *, estimate: bool, highlight=(), height: int | None = None):
    """Open-weight share per segment in one period, largest first, with the 50% line.
    ``df``: segment, label, open_share, named_tokens."""
    d = df.dropna(subset=["open_share"]).copy()
    d["share_label"] = (d["open_share"] * 100).round(1).astype(str) + "%"
    d["named_label"] = d["named_tokens"].map(human_tokens)
    d["picked"] = d["segment"].isin(list(highlight))
    order = d.sort_values("open_share", ascending=False)["label"].tolist()
    base = alt.Chart(d).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelFontSize=13, labelLimit=220)),
        x=alt.X("open_share:Q", title="Open-weight share" + _est(estimate), axis=alt.Axis(format="%", tickCount=5),
                scale=alt.Scale(domain=[0, 1])),
    )
    bars = base.mark_bar(height=alt.RelativeBandSize(0.75), cornerRadiusEnd=3).encode(
        color=alt.ColorValue("#86EFAC", condition={"test": "datum.picked", "value": FIXED["Open weights"]}),
        tooltip=[alt.Tooltip("label:N", title="Segment"), alt.Tooltip("share_label:N", title="Open-weight share"),
                 alt.Tooltip("named_label:N", title="Named tokens" + _est(estimate))],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, color=THEMED_TEXT).encode(text=alt.Text("share_label:N"))
    half = alt.Chart(constant("x", 0.5)).mark_rule(strokeDash=[4, 4], color="#64748B").encode(x=alt.X("x:Q"))
    # Streamlit fits the whole chart (axis and title too) in this height: room for both
    return alt.layer(bars, text, half, height=height or 30 * len(order) + 90)


def mix_bars(df: pd.DataFrame, *, estimate: bool, order: list[str], of_what: str):
    """The segment mix: for each segment, its share of open-weight tokens and of closed
    tokens, side by side. ``df``: label, side, share, tokens."""
    d = df.copy()
    d["share_label"] = (d["share"] * 100).round(1).astype(str) + "%"
    d["tokens_label"] = d["tokens"].map(human_tokens)
    sides = list(SIDES)
    top = max(0.05, float(d["share"].max()) if not d.empty else 1.0)
    base = alt.Chart(d).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelFontSize=13, labelLimit=220)),
        yOffset=alt.YOffset("side:N", sort=sides),
        x=alt.X("share:Q", title=f"Share of {of_what}" + _est(estimate), axis=alt.Axis(format="%", tickCount=5),
                scale=alt.Scale(domain=[0, min(1.0, top * 1.15)])),
    )
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        color=alt.Color("side:N", title=None, sort=sides,
                        scale=alt.Scale(domain=sides, range=[FIXED[s] for s in sides]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("label:N", title="Segment"), alt.Tooltip("side:N", title="Models"),
                 alt.Tooltip("share_label:N", title="Share of their tokens"),
                 alt.Tooltip("tokens_label:N", title="Tokens in the segment" + _est(estimate))],
    )
    text = base.mark_text(align="left", dx=4, fontSize=11, color=THEMED_TEXT).encode(text=alt.Text("share_label:N"))
    return alt.layer(bars, text, height=46 * len(order) + 110)
