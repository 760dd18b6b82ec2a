"""Altair charts. Every chart gets data already aggregated in DuckDB (a few hundred to
a few thousand rows), and every lab keeps one colour on every chart."""

from __future__ import annotations

import hashlib

import altair as alt
import pandas as pd

from tokenshare.core.formatting import human_tokens

# Colours people associate with the labs where there is one; the rest come from a
# fixed palette by a hash of the name, so a lab's colour never depends on what else
# is on the chart.
LAB_COLOURS = {
    "DeepSeek": "#4D6BFE",
    "Qwen (Alibaba)": "#7B3FE4",
    "MiniMax": "#E8384F",
    "Moonshot AI (Kimi)": "#52525B",  # near-black, still visible on the dark theme
    "Tencent (Hunyuan)": "#0EA5E9",
    "Xiaomi (MiMo)": "#FF6900",
    "Z.ai (Zhipu)": "#2D9C6A",
    "OpenAI": "#10A37F",
    "Anthropic": "#D97757",
    "Google": "#FBBC04",
    "Meta": "#0866FF",
    "xAI": "#6B7280",
    "Mistral AI": "#FA520F",
    "Arcee AI": "#C026D3",
    "NVIDIA": "#76B900",
    "Microsoft": "#00A4EF",
    "Cohere": "#39594D",
    "StepFun": "#14B8A6",
    "ByteDance Seed": "#3C8CE7",
    "Amazon": "#FF9900",
}
PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
    "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363", "#a55194",
]
FIXED = {
    "Open weights": "#16A34A",
    "Closed": "#475569",
    "Unclassified": "#CBD5E1",
    "Outside the top 50": "#E2E8F0",
    "Rest": "#94A3B8",
}
COUNTRY_COLOURS = {
    "China": "#DC2626",
    "United States": "#2563EB",
    "France": "#7C3AED",
    "Canada": "#F59E0B",
    "Israel": "#0891B2",
    "Unknown country": "#A3A3A3",
    "Unattributed": "#D4D4D4",
}


def colour_for(series: str) -> str:
    if series in FIXED:
        return FIXED[series]
    if series in LAB_COLOURS:
        return LAB_COLOURS[series]
    if series in COUNTRY_COLOURS:
        return COUNTRY_COLOURS[series]
    h = int(hashlib.sha1(series.encode("utf-8")).hexdigest(), 16)
    return PALETTE[h % len(PALETTE)]


def colour_scale(series_in_order) -> alt.Scale:
    domain = list(dict.fromkeys(series_in_order))
    return alt.Scale(domain=domain, range=[colour_for(s) for s in domain])



def _constant(field: str, value: float) -> alt.Data:
    """One-row data for a reference rule (the 50% line), inline in the spec: a DataFrame
    would be hashed, converted to Arrow and sent as a dataset of its own on every rerun."""
    return alt.Data(values=[{field: value}])


def _opacity_when(selection, on: float, off: float) -> alt.OpacityValue:
    """Opacity ``on`` where ``selection`` holds, ``off`` elsewhere: what
    ``alt.condition(selection, alt.value(on), alt.value(off))`` makes, built as the typed
    channel directly. alt.condition returns a plain dict that Altair then has to match
    against the schema's alternatives one by one (about 1.7 ms each, several a page)."""
    return alt.OpacityValue(off, condition={"param": selection.name, "value": on})


def _with_labels(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if "tokens" in df:
        df["tokens_label"] = df["tokens"].map(human_tokens)
    if "share" in df:
        df["share_label"] = (df["share"] * 100).round(1).astype(str) + "%"
    return df


def _partial_band(df: pd.DataFrame):
    """Grey bands over incomplete periods, so nobody reads a partial week as a drop."""
    if "is_partial" not in df or not df["is_partial"].any():
        return None
    bands = df.loc[df["is_partial"], ["period", "period_end"]].drop_duplicates().copy()
    bands["period_end_excl"] = pd.to_datetime(bands["period_end"]) + pd.Timedelta(days=1)
    bands["note"] = "Incomplete period"
    return (
        alt.Chart(bands)
        .mark_rect(color="#94A3B8", opacity=0.18)
        .encode(
            x=alt.X("period:T"),
            x2=alt.X2("period_end_excl:T"),
            tooltip=[alt.Tooltip("note:N", title=""), alt.Tooltip("period:T", title="From"),
                     alt.Tooltip("period_end:T", title="To")],
        )
    )


def _with_half_line_and_bands(lines, df: pd.DataFrame, height: int):
    """A share-over-time chart's lines, with the dashed 50% line and grey bands over
    incomplete periods."""
    half = alt.Chart(_constant("y", 0.5)).mark_rule(strokeDash=[4, 4], color="#64748B").encode(y=alt.Y("y:Q"))
    layers = [lines, half]
    band = _partial_band(df)
    if band is not None:
        layers.append(band)
    return alt.layer(*layers, height=height)


def share_area(df: pd.DataFrame, *, title: str = "", height: int = 380, legend_isolates: bool = False,
               pick_labs: bool = False) -> alt.LayerChart | alt.Chart:
    """Normalised stacked area of share by series over time. ``legend_isolates``: a
    click on a legend entry fades the other series; ``pick_labs``: a click on a band
    picks its series as a lab (selection LAB_PICK on ``series``)."""
    df = _with_labels(df)
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
        ],
    )
    if legend_isolates:
        encoding["opacity"] = _opacity_when(legend, 1.0, 0.15)
    area = alt.Chart(df).mark_area(interpolate="monotone", line=False).encode(**encoding)
    if legend_isolates:
        area = area.add_params(legend)
    if pick_labs:
        area = area.add_params(alt.selection_point(name=LAB_PICK, fields=["series"], on="click", clear="dblclick"))
    band = _partial_band(df)
    extra = {"title": title} if title else {}
    if band is not None:  # height and title given to the layer as it is made: .properties() deep-copies it
        return alt.layer(area, band, height=height, **extra)
    return area.properties(height=height, **extra)


def share_lines(df: pd.DataFrame, *, y_title: str = "Share of tokens", height: int = 340):
    """One line per series: share over time (not stacked, so small series stay readable)."""
    df = _with_labels(df)
    order = df.sort_values("series_order")["series"].drop_duplicates().tolist() if "series_order" in df else sorted(df["series"].unique())
    highlight = alt.selection_point(fields=["series"], bind="legend")
    lines = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("share:Q", title=y_title, axis=alt.Axis(format="%")),
            color=alt.Color("series:N", title=None, scale=colour_scale(order), sort=order,
                            legend=alt.Legend(orient="bottom", columns=4, labelLimit=220)),
            opacity=_opacity_when(highlight, 1.0, 0.15),
            tooltip=[
                alt.Tooltip("period:T", title="Period from"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("share_label:N", title="Share"),
                alt.Tooltip("tokens_label:N", title="Tokens"),
            ],
        )
        .add_params(highlight)
    )
    band = _partial_band(df)
    if band is not None:
        return alt.layer(lines, band, height=height)
    return lines.properties(height=height)


def open_share_line(df: pd.DataFrame, *, height: int = 260):
    """Open-weight share of named volume per period, with the 50% line."""
    d = df.dropna(subset=["open_share"]).copy()
    d["share_label"] = (d["open_share"] * 100).round(1).astype(str) + "%"
    d["named_label"] = d["named_tokens"].map(human_tokens)
    line = (
        alt.Chart(d)
        .mark_line(color=FIXED["Open weights"], strokeWidth=2.5)
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
    return _with_half_line_and_bands(line, df, height)


def bump_chart(df: pd.DataFrame, *, top: int, height: int = 380, pick_labs: bool = False):
    """Rank of each lab per period (1 at the top), for labs that reached the top N."""
    d = _with_labels(df)
    order = (
        d.groupby("lab_name")["tokens"].sum().sort_values(ascending=False).index.tolist()
    )
    highlight = alt.selection_point(fields=["lab_name"], bind="legend")
    base = alt.Chart(d).encode(
        x=alt.X("period:T", title=None),
        y=alt.Y("rank:Q", title="Rank", scale=alt.Scale(reverse=True, domain=[1, top], nice=False),
                axis=alt.Axis(tickMinStep=1, values=list(range(1, top + 1)))),
        color=alt.Color("lab_name:N", title=None, scale=colour_scale(order), sort=order,
                        legend=alt.Legend(orient="right", labelLimit=200)),
        opacity=_opacity_when(highlight, 1.0, 0.12),
        tooltip=[alt.Tooltip("period:T", title="Period from"), alt.Tooltip("lab_name:N", title="Lab"),
                 alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("share_label:N", title="Share"),
                 alt.Tooltip("tokens_label:N", title="Tokens")],
    )
    points = base.mark_circle(size=40)
    if pick_labs:
        # a click on a point picks its lab (ui.lab_click_chart sets the lab filter)
        # nearest: the points are small, so a click picks the closest one
        points = points.add_params(alt.selection_point(
            name=LAB_PICK, fields=["lab_name"], on="click", clear="dblclick", nearest=True))
    chart = base.mark_line(strokeWidth=2.5) + points
    return chart.add_params(highlight).properties(height=height)


def leader_timeline(spells: pd.DataFrame, *, height: int = 160):
    """Each spell at #1 as a bar from its first to its last day."""
    d = spells.copy()
    d["to_excl"] = pd.to_datetime(d["to_day"]) + pd.Timedelta(days=1)
    order = d["lab_name"].drop_duplicates().tolist()
    return (
        alt.Chart(d)
        .mark_bar(height=22, cornerRadius=3)
        .encode(
            x=alt.X("from_period:T", title=None),
            x2=alt.X2("to_excl:T"),
            y=alt.Y("lab_name:N", title=None, sort=order),
            color=alt.Color("lab_name:N", scale=colour_scale(order), legend=None),
            tooltip=[alt.Tooltip("lab_name:N", title="Leader"), alt.Tooltip("from_period:T", title="From"),
                     alt.Tooltip("to_day:T", title="To"), alt.Tooltip("periods:Q", title="Periods at #1")],
        )
        .properties(height=max(height, 34 * len(order)))
    )


# --------------------------------------------------------------------------- deeper analyses
# Launch markers, launch impact, spend vs tokens, categories, the animated race. Each
# chart that lets a click pick a lab carries a point selection named LAB_PICK on the
# field ``lab_name``; ui.lab_click_chart turns that click into the lab filter.

LAB_PICK = "pick_lab"
LAUNCH_PICK = "pick_launch"
# Text beside bars in the page's own text colour: Streamlit sets the chart background to
# the theme's, and Vega exposes it as the `background` signal, so light or dark follows.
THEMED_TEXT = alt.expr("luminance(background) > 0.5 ? '#1E293B' : '#E2E8F0'")
# Token counts on an axis the way the app writes them (B for billions, not SI's G).
TOKENS_LABEL = "replace(format(datum.value, '~s'), 'G', 'B')"


def _lab_pick():
    return alt.selection_point(name=LAB_PICK, fields=["lab_name"], on="click", clear="dblclick")


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
        opacity=_opacity_when(legend, 0.9, 0.08)).add_params(pick, legend)
    ring = base.transform_filter(alt.datum.is_selected).mark_circle(size=420, fill=None, strokeWidth=2.5, opacity=1)
    one = alt.Chart(_constant("x", 1.0)).mark_rule(strokeDash=[4, 4], color="#64748B").encode(x=alt.X("x:Q"))
    return alt.layer(one, points, ring, height=height)


def launch_lab_chart(daily: pd.DataFrame, lvls: pd.DataFrame, *, lab: str, model: str,
                     markers: pd.DataFrame | None = None, height: int = 420):
    """A lab's daily tokens around one launch: the lab's total (line in the lab's
    colour), the model's own tokens (shaded), the launch day, and the before / week 1 /
    plateau levels as thick horizontal segments."""
    d = daily.copy()
    d["date"] = pd.to_datetime(d["date"])
    d["lab_label"] = d["lab_tokens"].map(human_tokens)
    d["model_label"] = d["model_tokens"].map(human_tokens)
    colour = colour_for(lab)
    x = alt.X("date:T", title=None)
    tooltip = [alt.Tooltip("date:T", title="Day"), alt.Tooltip("day:Q", title="Days from launch"),
               alt.Tooltip("lab_label:N", title=f"{lab}, all models"), alt.Tooltip("model_label:N", title=model)]
    own = alt.Chart(d).mark_area(color=colour, opacity=0.22, interpolate="step-after").encode(
        x=x, y=alt.Y("model_tokens:Q", title="Tokens per day", axis=alt.Axis(labelExpr=TOKENS_LABEL)), tooltip=tooltip)
    line = alt.Chart(d).mark_line(color=colour, strokeWidth=2).encode(x=x, y=alt.Y("lab_tokens:Q"), tooltip=tooltip)
    launch_day = d.loc[d["day"] == 0, "date"]
    layers = [own, line]
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
        bars = bars.add_params(_lab_pick())
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
            opacity=_opacity_when(sel, 1.0, 0.15),
            tooltip=[alt.Tooltip("period:T", title="Period from"), alt.Tooltip("measure:N", title=""),
                     alt.Tooltip("share_label:N", title="Open-weight share")],
        )
        .add_params(sel)
    )
    return _with_half_line_and_bands(lines, d, height)


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
            opacity=_opacity_when(sel, 1.0, 0.12),
            tooltip=[alt.Tooltip("period:T", title="Week of"), alt.Tooltip("category:N", title="Category"),
                     alt.Tooltip("share_label:N", title="Open-weight share (estimate)")],
        )
        .add_params(sel)
    )
    return _with_half_line_and_bands(lines, d, height)


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
    half = alt.Chart(_constant("x", 0.5)).mark_rule(strokeDash=[4, 4], color="#64748B").encode(x=alt.X("x:Q"))
    return alt.layer(bars, text, half, height=height or 28 * len(order) + 50)


def race_bars(frame: pd.DataFrame, *, name_field: str = "series", top: int = 10, height: int | None = None,
              pick_labs: bool = True):
    """One frame of the bar-chart race: the top bars of a period by share, largest at
    the top, in lab colours, with share and tokens printed at the end of each bar.
    ``frame``: rank, series (lab or model), lab_name, share, tokens."""
    d = frame.sort_values("rank").head(top).copy()
    d["share_label"] = (d["share"] * 100).round(1).astype(str) + "%"
    d["label"] = d["share_label"] + " · " + d["tokens"].map(human_tokens)
    labs = d["lab_name"].drop_duplicates().tolist()
    order = d[name_field].tolist()
    xmax = float(d["share"].max()) * 1.28 if len(d) else 1.0
    base = alt.Chart(d).encode(
        y=alt.Y(f"{name_field}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260, labelFontSize=13)),
        x=alt.X("share:Q", title="Share of the period's tokens", axis=alt.Axis(format="%", tickCount=6),
                scale=alt.Scale(domain=[0, min(1.0, xmax)], nice=False)),
    )
    tooltip = [alt.Tooltip(f"{name_field}:N", title="Name"), alt.Tooltip("lab_name:N", title="Lab"),
               alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("label:N", title="Share · tokens")]
    # a thin outline keeps near-black bars (Moonshot) visible on a dark background
    bars = base.mark_bar(cornerRadiusEnd=4, height=alt.RelativeBandSize(0.8), stroke="#94A3B8",
                         strokeWidth=0.6).encode(
        color=alt.Color("lab_name:N", scale=colour_scale(labs), legend=None), tooltip=tooltip)
    if pick_labs:
        bars = bars.add_params(_lab_pick())
    text = base.mark_text(align="left", dx=5, fontSize=13, color=THEMED_TEXT).encode(text=alt.Text("label:N"))
    return alt.layer(bars, text, height=height or max(36 * len(d) + 50, 180))


def complete_grid(df: pd.DataFrame, series_col: str, keep) -> pd.DataFrame:
    """Every (period, series) pair, with the numbers blanked where ``keep`` is false or
    the series has no row: Vega-Lite breaks a line at a blank instead of drawing a
    long straight (or curved) bridge across the gap."""
    periods = df[["period", "period_end", "is_partial"]].drop_duplicates()
    grid = periods.merge(pd.DataFrame({series_col: df[series_col].unique()}), how="cross")
    out = grid.merge(df, on=["period", "period_end", "is_partial", series_col], how="left")
    hidden = ~keep(out).fillna(False).astype(bool)
    for col in ("rank", "tokens", "share"):
        if col in out:
            out[col] = out[col].astype("float64").mask(hidden)
    return out


def share_area_interactive(df: pd.DataFrame, *, pick_labs: bool = False, height: int = 380):
    """share_area with interactions: a click on a legend entry isolates that series (the
    others fade), and with ``pick_labs`` a click on a band picks its series as a lab
    (selection LAB_PICK on ``series``, for ui.lab_click_chart)."""
    return share_area(df, height=height, legend_isolates=True, pick_labs=pick_labs)


def restated_bars(by_day: pd.DataFrame, *, height: int = 200):
    """Compare snapshots: the change in each day's total tokens where figures were
    restated, one bar per day. ``by_day``: date, restated, change."""
    d = by_day.copy()
    d["day"] = pd.to_datetime(d["date"]).dt.strftime("%Y-%m-%d")
    d["change_label"] = d["change"].map(human_tokens)
    return (
        alt.Chart(d).mark_bar(color="#B45309")
        .encode(
            x=alt.X("day:O", title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("change:Q", title="Day total change", axis=alt.Axis(labelExpr=TOKENS_LABEL)),
            tooltip=[alt.Tooltip("day:N", title="Day"), alt.Tooltip("restated:Q", title="Rows restated"),
                     alt.Tooltip("change_label:N", title="Change in total")],
        )
        .properties(height=height)
    )

