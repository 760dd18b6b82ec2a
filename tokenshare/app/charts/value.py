"""Capability against price: one point per model (sized by its ranked tokens, coloured
open or closed), the price-performance frontier as a step line through the models on it,
the focus drawn opaque with an outline and its rivals faded."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from tokenshare.app.charts.base import FIXED, THEMED_TEXT

SIDE = {"open": "Open weights", "closed": "Closed"}
LABELS = 8  # frontier models named on the chart: the most used
SIDE_SCALE = alt.Scale(domain=list(SIDE.values()), range=[FIXED[v] for v in SIDE.values()])


def value_scatter(points: pd.DataFrame, line: pd.DataFrame, index_title: str, *, focus: bool, height: int = 460):
    """``points``: the placed models (model_name, lab_name, openness, tokens, score, price,
    in_focus, on_frontier, near_frontier); ``line``: ``analysis.value.frontier_line``."""
    where = np.select([points["on_frontier"].astype(bool), points["near_frontier"].astype(bool)],
                      ["on the frontier", "near the frontier"], "off the frontier")
    p = points.assign(weights=points["openness"].map(SIDE), where=where,
                      shown=points["in_focus"].astype(bool) if focus else True)
    x = alt.X("price:Q", scale=alt.Scale(type="log"), title="Blended price, USD per million tokens (log scale)")
    y = alt.Y("score:Q", title=index_title, scale=alt.Scale(zero=False))
    dots = alt.Chart(p).mark_circle().encode(
        x=x, y=y,
        size=alt.Size("tokens:Q", title="Ranked tokens", scale=alt.Scale(range=[30, 1600]), legend=None),
        color=alt.Color("weights:N", title=None, scale=SIDE_SCALE, legend=alt.Legend(orient="top")),
        opacity=alt.condition("datum.shown", alt.value(0.85), alt.value(0.18)),
        stroke=alt.condition("datum.shown && " + ("true" if focus else "false"), alt.value("#111827"),
                             alt.value(None)),
        tooltip=[alt.Tooltip("model_name:N", title="Model"), alt.Tooltip("lab_name:N", title="Lab"),
                 alt.Tooltip("weights:N", title="Weights"), alt.Tooltip("score:Q", title=index_title, format=".1f"),
                 alt.Tooltip("price:Q", title="Blended $ per M tokens", format=".3f"),
                 alt.Tooltip("tokens:Q", title="Ranked tokens", format=",.0f"), alt.Tooltip("where:N", title="Frontier")],
    )
    step = alt.Chart(line).mark_line(interpolate="step-after", strokeDash=[5, 3], strokeWidth=1.6,
                                     color=THEMED_TEXT).encode(x=x, y=y, order="price:Q")
    labelled = line.nlargest(LABELS, "tokens", keep="first")  # the rest crowd the line; tooltips name them
    names = alt.Chart(labelled).mark_text(align="left", dx=7, dy=-7, fontSize=11, color=THEMED_TEXT).encode(
        x=x, y=y, text="model_name:N")
    return alt.layer(dots, step, names).properties(height=height)
