"""Launches: markers at launch days (on any time chart), the jump-against-hold scatter,
and one lab's daily tokens around a launch."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import (
    LAUNCH_PICK,
    THEMED_TEXT,
    TOKENS_LABEL,
    colour_for,
    colour_scale,
    constant,
    opacity_when,
)
from tokenshare.core.formatting import human_tokens


def launch_rules(markers: pd.DataFrame, *, x_field: str = "period"):
    """Vertical dashed rules at launch days, in the lab's colour, with the model's name
    on hover. ``markers`` has launch_day, model_name, lab_name (launch_markers.sql). The
    x field is named like the chart it goes on, so the two share one x scale."""
    d = markers.copy()
    d[x_field] = pd.to_datetime(d["launch_day"])
    d["launch_label"] = d["launch_day"].map(lambda x: pd.Timestamp(x).strftime("%Y-%m-%d"))
    if "first_4w_tokens" in d:
        d["first_4w_label"] = d["first_4w_tokens"].map(human_tokens)
    labs = d["lab_name"].drop_duplicates().tolist()
    tooltip = [alt.Tooltip("model_name:N", title="Launch"), alt.Tooltip("lab_name:N", title="Lab"),
               alt.Tooltip("launch_label:N", title="Launch day")]
    if "first_4w_label" in d:
        tooltip.append(alt.Tooltip("first_4w_label:N", title="Model's tokens, first 4 weeks"))
    return (
        alt.Chart(d)
        .mark_rule(strokeDash=[3, 3], strokeWidth=1.5, opacity=0.75)
        .encode(
            x=alt.X(f"{x_field}:T"),
            color=alt.Color("lab_name:N", scale=colour_scale(labs), legend=None),
            tooltip=tooltip,
        )
    )


def with_launch_markers(chart, markers: pd.DataFrame | None, *, x_field: str = "period"):
    """The chart with launch markers layered on top (unchanged when there are none).
    The colour scales stay independent so the markers' lab colours don't join the
    chart's own legend."""
    if markers is None or markers.empty:
        return chart
    # the chart's own attribute, not chart.to_dict(): that would serialise all its data
    height = getattr(chart, "height", alt.Undefined)
    height = None if height is alt.Undefined else height
    layered = alt.layer(chart, launch_rules(markers, x_field=x_field)).resolve_scale(color="independent")
    return layered.properties(height=height) if height else layered


def launch_scatter(df: pd.DataFrame, *, selected: str | None = None, height: int = 460):
    """Each measured launch as a point: jump (log scale) against hold, in its lab's
    colour. Clicking a point selects the launch (selection LAUNCH_PICK on
    model_permaslug)."""
    d = df.dropna(subset=["jump", "hold"]).copy()
    d = d[d["jump"] > 0]
    d["launch_label"] = pd.to_datetime(d["launch_day"]).dt.strftime("%Y-%m-%d")
    d["jump_label"] = d["jump"].map(lambda x: f"×{x:.2f}")
    d["hold_label"] = (d["hold"] * 100).round(0).astype(int).astype(str) + "%"
    d["is_selected"] = d["model_permaslug"] == selected
    order = d.groupby("lab_name")["jump"].max().sort_values(ascending=False).index.tolist()
    # the x range the launches span (and 1, the no-change line), with a little room
    lo = min(0.9, float(d["jump"].min()) if len(d) else 0.9) / 1.25
    hi = max(1.1, float(d["jump"].max()) if len(d) else 1.1) * 1.25
    pick = alt.selection_point(name=LAUNCH_PICK, fields=["model_permaslug"], on="click", clear="dblclick")
    legend = alt.selection_point(fields=["lab_name"], bind="legend")
    base = alt.Chart(d).encode(
        x=alt.X("jump:Q", title="Jump (week 1 after ÷ 14 days before, log scale)",
                scale=alt.Scale(type="log", nice=False, domain=[lo, hi]), axis=alt.Axis(format="~g")),
        y=alt.Y("hold:Q", title="Hold (plateau ÷ peak week)", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, max(1.0, float(d["hold"].max()) if len(d) else 1.0)])),
        color=alt.Color("lab_name:N", title=None, scale=colour_scale(order), sort=order,
                        legend=alt.Legend(orient="bottom", columns=5, labelLimit=200)),
        tooltip=[alt.Tooltip("model_name:N", title="Launch"), alt.Tooltip("lab_name:N", title="Lab"),
                 alt.Tooltip("launch_label:N", title="Launch day"), alt.Tooltip("jump_label:N", title="Jump"),
                 alt.Tooltip("hold_label:N", title="Hold")],
    )
    points = base.mark_circle(size=90, stroke="white", strokeWidth=0.8).encode(
        opacity=opacity_when(legend, 0.9, 0.08)).add_params(pick, legend)
    ring = base.transform_filter(alt.datum.is_selected).mark_circle(size=420, fill=None, strokeWidth=2.5, opacity=1)
    one = alt.Chart(constant("x", 1.0)).mark_rule(strokeDash=[4, 4], color="#64748B").encode(x=alt.X("x:Q"))
    return alt.layer(one, points, ring, height=height)


def launch_lab_chart(daily: pd.DataFrame, lvls: pd.DataFrame, *, lab: str,
                     markers: pd.DataFrame | None = None, height: int = 420, bounds: pd.DataFrame | None = None):
    """A lab's daily tokens around one launch: the lab's total (line in the lab's
    colour), the model's own tokens (shaded), the launch day, and the before / week 1 /
    plateau levels as thick horizontal segments."""
    d = daily.copy()
    d["date"] = pd.to_datetime(d["date"])
    d["lab_label"] = d["lab_tokens"].map(human_tokens)
    d["model_label"] = d["model_tokens"].map(human_tokens)
    colour = colour_for(lab)
    x = alt.X("date:T", title=None)
    # Fixed titles: Vega-Lite writes a tooltip's title into a Vega expression unescaped,
    # so a name with a quote or backslash from the data broke the chart (the caption under
    # it names the lab and the model).
    tooltip = [alt.Tooltip("date:T", title="Day"), alt.Tooltip("day:Q", title="Days from launch"),
               alt.Tooltip("lab_label:N", title="Lab, all models"), alt.Tooltip("model_label:N", title="This model")]
    own = alt.Chart(d).mark_area(color=colour, opacity=0.22, interpolate="step-after").encode(
        x=x, y=alt.Y("model_tokens:Q", title="Tokens per day", axis=alt.Axis(labelExpr=TOKENS_LABEL)), tooltip=tooltip)
    line = alt.Chart(d).mark_line(color=colour, strokeWidth=2).encode(x=x, y=alt.Y("lab_tokens:Q"), tooltip=tooltip)
    launch_day = d.loc[d["day"] == 0, "date"]
    layers = [own, line]
    if bounds is not None and not bounds.empty:  # days below the daily top 50: a band up to the bound, not 0
        b = bounds.assign(date=pd.to_datetime(bounds["date"]), hi_label=bounds["lab_hi"].map(human_tokens))
        tip = [alt.Tooltip("date:T", title="Day"), alt.Tooltip("hi_label:N", title="Lab, at most (below the daily top 50)")]
        # grey, so it does not read as the model's own (shaded) tokens; its top edge dashed
        layers.insert(0, alt.Chart(b).mark_area(color="#94A3B8", opacity=0.28).encode(
            x=x, y=alt.Y("lab_known:Q"), y2=alt.Y2("lab_hi:Q"), tooltip=tip))
        layers.insert(1, alt.Chart(b[b["lab_hi"] > b["lab_known"]]).mark_point(shape="stroke", color=colour, size=40, strokeWidth=1.5,
                                                 opacity=0.9).encode(x=x, y=alt.Y("lab_hi:Q"), tooltip=tip))
    if not launch_day.empty:
        layers.append(alt.Chart(pd.DataFrame({"date": launch_day, "what": ["Launch day"]}))
                      .mark_rule(color=THEMED_TEXT, strokeWidth=1.5).encode(x=alt.X("date:T"), tooltip=alt.Tooltip("what:N", title="")))
    if not lvls.empty:
        lv = lvls.copy()
        level_colours = alt.Scale(
            domain=["Before (14-day mean)", "Week 1 after (jump)", "Plateau (median of weeks 3-6)"],
            range=["#64748B", "#DC2626", "#2563EB"])
        layers.append(
            alt.Chart(lv).mark_rule(strokeWidth=4).encode(
                x=alt.X("from_date:T"), x2=alt.X2("to_date:T"), y=alt.Y("tokens:Q"),
                color=alt.Color("level:N", title=None, scale=level_colours,
                                legend=alt.Legend(orient="bottom", labelLimit=260)),
                tooltip=[alt.Tooltip("level:N", title="Level"), alt.Tooltip("tokens_label:N", title="Tokens per day")],
            )
        )
    chart = alt.layer(*layers, height=height)
    if markers is not None and not markers.empty:
        chart = alt.layer(chart, launch_rules(markers, x_field="date")).resolve_scale(color="independent")
    return chart

