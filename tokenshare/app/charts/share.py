"""Share over time: the stacked share area (with legend isolation and a click that picks
a lab), one line per series, and the open-weight share line with its 50% rule."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import (
    FIXED,
    LAB_PICK,
    OTHER_GREY,
    colour_for,
    colour_scale,
    free_tooltip,
    opacity_when,
    partial_band,
    with_half_line_and_bands,
    with_labels,
)
from tokenshare.core.formatting import human_tokens


def share_area(df: pd.DataFrame, *, title: str = "", height: int = 380, legend_isolates: bool = False,
               pick_labs: bool = False) -> alt.LayerChart | alt.Chart:
    """Normalised stacked area of share by series over time. ``legend_isolates``: a
    click on a legend entry fades the other series; ``pick_labs``: a click on a band
    picks its series as a lab (selection LAB_PICK on ``series``)."""
    df = with_labels(df)
    order = df.sort_values("series_order")["series"].drop_duplicates().tolist()
    legend = alt.selection_point(fields=["series"], bind="legend")
    encoding = dict(
        x=alt.X("period:T", title=None),
        y=alt.Y("tokens:Q", stack="normalize", title="Share of tokens", axis=alt.Axis(format="%")),
        color=alt.Color("series:N", title=None, scale=colour_scale(order),
                        sort=order, legend=alt.Legend(orient="bottom", columns=4, labelLimit=220)),
        order=alt.Order("series_order:Q", sort="ascending"),
        tooltip=[
            alt.Tooltip("period:T", title="Period from"),
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("share_label:N", title="Share"),
            alt.Tooltip("tokens_label:N", title="Tokens"),
            *free_tooltip(df),
        ],
    )
    if legend_isolates:
        encoding["opacity"] = opacity_when(legend, 1.0, 0.15)
    area = alt.Chart(df).mark_area(interpolate="monotone", line=False).encode(**encoding)
    if legend_isolates:
        area = area.add_params(legend)
    if pick_labs:
        area = area.add_params(alt.selection_point(name=LAB_PICK, fields=["series"], on="click", clear="dblclick"))
    band = partial_band(df)
    extra = {"title": title} if title else {}
    if band is not None:  # height and title given to the layer as it is made: .properties() deep-copies it
        return alt.layer(area, band, height=height, **extra)
    return area.properties(height=height, **extra)


def share_area_interactive(df: pd.DataFrame, *, pick_labs: bool = False, height: int = 380):
    """share_area with interactions: a click on a legend entry isolates that series (the
    others fade), and with ``pick_labs`` a click on a band picks its series as a lab
    (selection LAB_PICK on ``series``, for interactions.lab_click_chart)."""
    return share_area(df, height=height, legend_isolates=True, pick_labs=pick_labs)


def share_lines(df: pd.DataFrame, *, y_title: str = "Share of tokens", height: int = 340, focus=None):
    """One line per series: share over time (not stacked, so small series stay readable).
    With ``focus`` (series names), those keep their colours and come first in the legend;
    the other series are greyed, not removed."""
    df = with_labels(df)
    order = df.sort_values("series_order")["series"].drop_duplicates().tolist() if "series_order" in df else sorted(df["series"].unique())
    mine = [s for s in order if s in set(focus or ())]
    if mine:
        order = mine + [s for s in order if s not in mine]
        scale = alt.Scale(domain=order, range=[colour_for(s) if s in mine else OTHER_GREY for s in order])
    else:
        scale = colour_scale(order)
    highlight = alt.selection_point(fields=["series"], bind="legend")
    lines = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("share:Q", title=y_title, axis=alt.Axis(format="%")),
            color=alt.Color("series:N", title=None, scale=scale, sort=order,
                            legend=alt.Legend(orient="bottom", columns=4, labelLimit=220)),
            opacity=opacity_when(highlight, 1.0, 0.15),
            tooltip=[
                alt.Tooltip("period:T", title="Period from"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("share_label:N", title="Share"),
                alt.Tooltip("tokens_label:N", title="Tokens"),
                *free_tooltip(df),
            ],
        )
        .add_params(highlight)
    )
    band = partial_band(df)
    if band is not None:
        return alt.layer(lines, band, height=height)
    return lines.properties(height=height)


def open_share_line(df: pd.DataFrame, *, height: int = 260):
    """Open-weight share of named volume per period, with the 50% line."""
    # Periods without named tokens stay in as blanks: the line breaks there instead of
    # running straight across them.
    d = df.copy()
    d["share_label"] = ((d["open_share"] * 100).round(1).astype(str) + "%").where(d["open_share"].notna(), "–")
    d["named_label"] = d["named_tokens"].map(human_tokens)
    # with blanks, points show the periods a line cannot join (one week between two gaps)
    mark = {"point": alt.OverlayMarkDef(size=16)} if d["open_share"].isna().any() else {}
    line = (
        alt.Chart(d)
        .mark_line(color=FIXED["Open weights"], strokeWidth=2.5, **mark)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("open_share:Q", title="Open-weight share", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            tooltip=[alt.Tooltip("period:T", title="Period from"),
                     alt.Tooltip("share_label:N", title="Open-weight share"),
                     alt.Tooltip("named_label:N", title="Named tokens"),
                     alt.Tooltip("is_partial:N", title="Incomplete period")],
        )
    )
    return with_half_line_and_bands(line, df, height)

