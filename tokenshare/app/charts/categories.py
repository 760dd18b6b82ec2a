"""Use-case categories: open-weight share per category in one week (bars), and week by
week (lines)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import FIXED, THEMED_TEXT, colour_scale, constant, opacity_when, with_half_line_and_bands
from tokenshare.core.formatting import human_tokens


def category_lines(df: pd.DataFrame, *, height: int = 340):
    """Open-weight share of each category's named estimate per week, one line per
    category; the legend isolates a category. ``df``: period, category, open_share,
    is_partial, period_end."""
    d = df.dropna(subset=["open_share"]).copy()
    d["share_label"] = (d["open_share"] * 100).round(1).astype(str) + "%"
    order = d.groupby("category")["open_share"].last().sort_values(ascending=False).index.tolist()
    sel = alt.selection_point(fields=["category"], bind="legend")
    lines = (
        alt.Chart(d)
        .mark_line(strokeWidth=2.2, interpolate="monotone")
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("open_share:Q", title="Open-weight share (estimate)", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("category:N", title=None, sort=order, scale=colour_scale(order),
                            legend=alt.Legend(orient="bottom", columns=6)),
            opacity=opacity_when(sel, 1.0, 0.12),
            tooltip=[alt.Tooltip("period:T", title="Week of"), alt.Tooltip("category:N", title="Category"),
                     alt.Tooltip("share_label:N", title="Open-weight share (estimate)")],
        )
        .add_params(sel)
    )
    return with_half_line_and_bands(lines, d, height)


def category_bars(df: pd.DataFrame, *, highlight=(), height: int | None = None):
    """Open-weight share per category in one week, largest first, with the 50% line.
    ``df``: category, open_share, named_tokens."""
    d = df.dropna(subset=["open_share"]).copy()
    d["share_label"] = (d["open_share"] * 100).round(1).astype(str) + "%"
    d["named_label"] = d["named_tokens"].map(human_tokens)
    d["picked"] = d["category"].isin(list(highlight))
    order = d.sort_values("open_share", ascending=False)["category"].tolist()
    base = alt.Chart(d).encode(
        y=alt.Y("category:N", title=None, sort=order, axis=alt.Axis(labelFontSize=13)),
        x=alt.X("open_share:Q", title="Open-weight share (estimate)", axis=alt.Axis(format="%", tickCount=5),
                scale=alt.Scale(domain=[0, 1])),
    )
    bars = base.mark_bar(height=alt.RelativeBandSize(0.75), cornerRadiusEnd=3).encode(
        color=alt.ColorValue("#86EFAC", condition={"test": "datum.picked", "value": FIXED["Open weights"]}),
        tooltip=[alt.Tooltip("category:N", title="Category"), alt.Tooltip("share_label:N", title="Open-weight share"),
                 alt.Tooltip("named_label:N", title="Named tokens (estimate)")],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, color=THEMED_TEXT).encode(text=alt.Text("share_label:N"))
    half = alt.Chart(constant("x", 0.5)).mark_rule(strokeDash=[4, 4], color="#64748B").encode(x=alt.X("x:Q"))
    return alt.layer(bars, text, half, height=height or 28 * len(order) + 50)

