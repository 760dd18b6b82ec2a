"""Share over time: the stacked share area (with legend isolation and a click that picks
a lab), one line per series, and the open-weight share line with its 50% rule."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import (
    FIXED,
    LAB_PICK,
    in_side_order,
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
    order = in_side_order(df.sort_values("series_order")["series"])
    df["series_order"] = df["series"].map({s: i for i, s in enumerate(order)})  # the stack follows the legend
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
            *([alt.Tooltip("range_label:N", title="Counting the tail")] if "range_label" in df else []),
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
    order = in_side_order(df.sort_values("series_order")["series"] if "series_order" in df
                          else sorted(df["series"].unique()))
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



def coverage_lines(df: pd.DataFrame, *, height: int = 240):
    """The share of each period's tokens in the daily top 50 and in `other`
    (coverage_by_period rows), as two lines in fixed colours."""
    d = df[df["total_tokens"] > 0]
    names = ["Ranked (daily top 50)", "Outside the top 50 (other)"]
    rows = pd.concat([
        d.assign(series=names[0], share=d["ranked_share"], tokens=d["ranked_tokens"]),
        d.assign(series=names[1], share=d["other_share"], tokens=d["other_tokens"]),
    ], ignore_index=True)
    rows = with_labels(rows[["period", "period_end", "is_partial", "series", "share", "tokens"]])
    bands = partial_band(rows)
    # the lines' own data: what they draw and their tooltips show (the bands have theirs)
    lines = alt.Chart(rows[["period", "series", "share", "share_label", "tokens_label"]]).mark_line(point=alt.OverlayMarkDef(size=16), strokeWidth=2).encode(
        x=alt.X("period:T", title=None),
        y=alt.Y("share:Q", title="Share of tokens", axis=alt.Axis(format="%")),
        color=alt.Color("series:N", title=None, sort=names,
                        scale=alt.Scale(domain=names, range=["#475569", "#D97706"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("period:T", title="Period from"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("share_label:N", title="Share"), alt.Tooltip("tokens_label:N", title="Tokens")],
    )
    return alt.layer(lines, bands, height=height) if bands is not None else lines.properties(height=height)


def cut_band(df: pd.DataFrame, *, height: int = 240):
    """The cut over time (coverage_by_period rows): each period's median daily cut, with
    a band from its smallest to its largest day."""
    # only what it draws and its tooltips show: the browser gets no other column
    d = df.loc[df["median_cut"].notna(), ["period", "period_end", "is_partial", "median_cut", "min_cut", "max_cut"]]
    for col in ("median_cut", "min_cut", "max_cut"):
        d[col + "_label"] = d[col].map(human_tokens)
    tooltip = [alt.Tooltip("period:T", title="Period from"), alt.Tooltip("median_cut_label:N", title="Median cut"),
               alt.Tooltip("min_cut_label:N", title="Smallest"), alt.Tooltip("max_cut_label:N", title="Largest")]
    drawn = d[["period", "median_cut", "min_cut", "max_cut", "median_cut_label", "min_cut_label", "max_cut_label"]]
    base = alt.Chart(drawn).encode(x=alt.X("period:T", title=None), tooltip=tooltip)
    band = base.mark_area(opacity=0.2, color=OTHER_GREY).encode(
        y=alt.Y("min_cut:Q", title="The cut (tokens a day)", axis=alt.Axis(labelExpr="replace(format(datum.value, '~s'), 'G', 'B')")), y2="max_cut:Q")
    line = base.mark_line(point=alt.OverlayMarkDef(size=16), color="#475569").encode(y="median_cut:Q")
    layers = [band, line]
    bands = partial_band(d)
    if bands is not None:
        layers.append(bands)
    return alt.layer(*layers, height=height)


def bounded_share_lines(df: pd.DataFrame, *, y_title: str = "Share of tokens", height: int = 340):
    """share_lines for figures the tail below the top 50 makes ranges: per series a band
    from share_lo to share_hi, the known share as a solid line where it is exact
    (``share`` blank elsewhere) and a dashed line at the upper bound where the series was
    below the cut (``share_cap``), so a censored stretch is never drawn as 0.
    Rows: period, period_end, is_partial, series, series_order, share, share_lo,
    share_hi, share_cap, tokens, range_label."""
    order = df.sort_values("series_order")["series"].drop_duplicates().tolist()
    df = df.drop(columns=[c for c in ("series_order", "tokens") if c in df])  # not drawn: not sent
    scale = colour_scale(order)
    colour = alt.Color("series:N", title=None, scale=scale, sort=order,
                       legend=alt.Legend(orient="bottom", columns=4, labelLimit=220))
    tooltip = [alt.Tooltip("period:T", title="Period from"), alt.Tooltip("series:N", title="Series"),
               alt.Tooltip("range_label:N", title="Share")]
    base = alt.Chart(df).encode(x=alt.X("period:T", title=None), color=colour, tooltip=tooltip)
    y = alt.Y("share_lo:Q", title=y_title, axis=alt.Axis(format="%"))
    band = base.mark_area(opacity=0.18).encode(y=y, y2="share_hi:Q")
    known = base.mark_line(point=alt.OverlayMarkDef(size=30), strokeWidth=2).encode(y="share:Q")
    cap = base.mark_line(strokeDash=[5, 4], strokeWidth=1.5, point=alt.OverlayMarkDef(size=60, shape="triangle-down")
                         ).encode(y="share_cap:Q")
    layers = [band, known, cap]
    bands = partial_band(df)
    if bands is not None:
        layers.append(bands)
    return alt.layer(*layers, height=height)
