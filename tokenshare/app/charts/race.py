"""The race: the bump chart of ranks, the timeline of spells at #1, and one frame of the
animated bar-chart race."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import (
    LAB_PICK,
    OTHER_GREY,
    THEMED_TEXT,
    colour_for,
    colour_scale,
    lab_pick,
    opacity_when,
    with_labels,
)
from tokenshare.core.formatting import human_tokens


def bump_chart(df: pd.DataFrame, *, top: int, height: int = 380, pick_labs: bool = False, focus=None):
    """Rank of each lab per period (1 at the top), for labs that reached the top N.
    With ``focus`` (lab names; ``df`` from race.focus_bump_rows), the focused labs keep
    their colours and are drawn on top at whatever rank they hold; every other lab is
    greyed, not removed, so the focus is seen among all its rivals."""
    d = with_labels(df)
    order = (
        d.groupby("lab_name")["tokens"].sum().sort_values(ascending=False).index.tolist()
    )
    focus = [lab for lab in order if lab in set(focus or ())]
    if focus:  # focused labs first in the legend, in colour; the others grey
        order = focus + [lab for lab in order if lab not in focus]
        scale = alt.Scale(domain=order, range=[colour_for(lab) if lab in focus else OTHER_GREY for lab in order])
    else:
        scale = colour_scale(order)
    lowest = int(d["rank"].max()) if focus and d["rank"].notna().any() else top
    lowest = max(top, lowest)
    highlight = alt.selection_point(fields=["lab_name"], bind="legend")
    axis = (alt.Axis(tickMinStep=1, values=list(range(1, top + 1))) if lowest == top
            else alt.Axis(tickMinStep=1))
    base = alt.Chart(d).encode(
        x=alt.X("period:T", title=None),
        y=alt.Y("rank:Q", title="Rank", scale=alt.Scale(reverse=True, domain=[1, lowest], nice=False), axis=axis),
        color=alt.Color("lab_name:N", title=None, scale=scale, sort=order,
                        legend=alt.Legend(orient="right", labelLimit=200)),
        opacity=opacity_when(highlight, 1.0, 0.12),
    )
    # The tooltip is the points' (one per lab and period, where a line passes): on the
    # lines too, the browser built it again for every row and showed the same figures.
    tooltip = [alt.Tooltip("period:T", title="Period from"), alt.Tooltip("lab_name:N", title="Lab"),
               alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("share_label:N", title="Share"),
               alt.Tooltip("tokens_label:N", title="Tokens")]

    def points(chart):
        dots = chart.mark_circle(size=40).encode(tooltip=tooltip)
        if not pick_labs:
            return dots
        # a click on a point picks its lab (interactions.lab_click_chart sets the lab filter).
        # Not `nearest`: that adds a Voronoi layer, a cell per point (990 at the defaults),
        # whose paths Vega computes and rewrites on every redraw: ~70 ms of browser CPU
        # and ~0.09 s of a Race rerun's wait, measured (issue 25)
        return dots.add_params(alt.selection_point(
            name=LAB_PICK, fields=["lab_name"], on="click", clear="dblclick"))

    if not focus:
        chart = base.mark_line(strokeWidth=2.5) + points(base)
        return chart.add_params(highlight).properties(height=height)
    height = max(height, 21 * len(order))  # room for every lab in the legend
    in_focus = alt.FieldOneOfPredicate(field="lab_name", oneOf=focus)
    rivals = base.transform_filter(alt.LogicalNotPredicate(**{"not": in_focus}))
    mine = base.transform_filter(in_focus)
    chart = alt.layer(rivals.mark_line(strokeWidth=1.5), points(rivals),
                      mine.mark_line(strokeWidth=3.5), mine.mark_circle(size=60).encode(tooltip=tooltip))
    return chart.add_params(highlight).properties(height=height)


def leader_timeline(spells: pd.DataFrame, *, height: int = 160):
    """Each spell at #1 as a bar from its first to its last day of data (from_day, to_day:
    never the days of a cut period that the data does not have)."""
    d = spells.copy()
    if "from_day" not in d:  # rows from before from_day existed
        d["from_day"] = d["from_period"]
    d["to_excl"] = pd.to_datetime(d["to_day"]) + pd.Timedelta(days=1)
    order = d["lab_name"].drop_duplicates().tolist()
    return (
        alt.Chart(d)
        .mark_bar(height=22, cornerRadius=3)
        .encode(
            x=alt.X("from_day:T", title=None),
            x2=alt.X2("to_excl:T"),
            y=alt.Y("lab_name:N", title=None, sort=order),
            color=alt.Color("lab_name:N", scale=colour_scale(order), legend=None),
            tooltip=[alt.Tooltip("lab_name:N", title="Leader"), alt.Tooltip("from_day:T", title="From"),
                     alt.Tooltip("to_day:T", title="To"), alt.Tooltip("periods:Q", title="Periods at #1")],
        )
        .properties(height=max(height, 34 * len(order)))
    )


def race_bars(frame: pd.DataFrame, *, name_field: str = "series", top: int = 10, height: int | None = None,
              pick_labs: bool = True):
    """One frame of the bar-chart race: the top bars of a period by share, largest at
    the top, in lab colours, with share and tokens printed at the end of each bar.
    ``frame``: rank, series (lab or model), lab_name, share, tokens, and optionally
    in_focus: then the focus's bars are in colour (with their rank) and the others grey."""
    focused = "in_focus" in frame and bool(frame["in_focus"].any())
    # with a focus, its bars below the top N come too (race_frames.focus_frame_bars)
    d = frame.sort_values("rank").head(top if not focused else len(frame)).copy()
    d["share_label"] = (d["share"] * 100).round(1).astype(str) + "%"
    d["label"] = d["share_label"] + " · " + d["tokens"].map(human_tokens)
    if focused:  # a focused bar says its rank: below the top N there is a gap in the ranks
        d["label"] = d["label"].where(~d["in_focus"], "#" + d["rank"].astype(str) + " · " + d["label"])
    censored = "censored" in d and bool(d["censored"].fillna(False).any())
    if censored:  # below the daily top 50: drawn at its upper bound, said as one (issue 21)
        cut = d["censored"].fillna(False).astype(bool)
        bound = (d["rank_label"].astype(str) + " · under " + d["share_label"] + " · under "
                 + d["tokens"].map(human_tokens) + " (below the daily top 50)")
        d["label"] = d["label"].where(~cut, bound)
        d["censored"] = cut
    if "free_tokens" in d:  # racing models: a model's `:free` variant is part of its bar
        d["free_label"] = [human_tokens(f) + (f" ({f / t:.0%})" if t else "") for f, t in zip(d["free_tokens"], d["tokens"])]
    labs = d["lab_name"].drop_duplicates().tolist()
    mine = set(d.loc[d["in_focus"], "lab_name"]) if focused else set()
    colours = (alt.Scale(domain=labs, range=[colour_for(lab) if lab in mine else OTHER_GREY for lab in labs])
               if focused else colour_scale(labs))
    order = d[name_field].tolist()
    xmax = float(d["share"].max()) * 1.28 if len(d) else 1.0
    base = alt.Chart(d).encode(
        y=alt.Y(f"{name_field}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260, labelFontSize=13)),
        x=alt.X("share:Q", title="Share of the period's tokens", axis=alt.Axis(format="%", tickCount=6),
                scale=alt.Scale(domain=[0, min(1.0, xmax)], nice=False)),
    )
    tooltip = [alt.Tooltip(f"{name_field}:N", title="Name"), alt.Tooltip("lab_name:N", title="Lab"),
               alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("label:N", title="Share · tokens")]
    if "free_label" in d:
        tooltip.append(alt.Tooltip("free_label:N", title="Of which free"))
    # a thin outline keeps near-black bars (Moonshot) visible on a dark background
    bars = base.mark_bar(cornerRadiusEnd=4, height=alt.RelativeBandSize(0.8), stroke="#94A3B8",
                         strokeWidth=0.6).encode(
        color=alt.Color("lab_name:N", scale=colours, legend=None), tooltip=tooltip)
    if censored:  # a bound, not a measure: faint, with a dashed outline
        bars = bars.encode(fillOpacity=alt.condition("datum.censored", alt.value(0.22), alt.value(1.0)),
                           strokeDash=alt.condition("datum.censored", alt.value([4, 3]), alt.value([1, 0])),
                           strokeWidth=alt.condition("datum.censored", alt.value(1.6), alt.value(0.6)),
                           strokeOpacity=alt.value(1.0))
    if pick_labs:
        bars = bars.add_params(lab_pick())
    text = base.mark_text(align="left", dx=5, fontSize=13, color=THEMED_TEXT).encode(text=alt.Text("label:N"))
    return alt.layer(bars, text, height=height or max(36 * len(d) + 50, 180))

