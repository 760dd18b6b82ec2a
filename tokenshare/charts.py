"""Altair charts. Every chart gets data already aggregated in DuckDB (a few hundred to
a few thousand rows), and every lab keeps one colour on every chart."""

from __future__ import annotations

import hashlib

import altair as alt
import pandas as pd

from tokenshare.formatting import human_tokens

# Colours people associate with the labs where there is one; the rest come from a
# fixed palette by a hash of the name, so a lab's colour never depends on what else
# is on the chart.
LAB_COLOURS = {
    "DeepSeek": "#4D6BFE",
    "Qwen (Alibaba)": "#7B3FE4",
    "MiniMax": "#E8384F",
    "Moonshot AI (Kimi)": "#1F1F1F",
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
            x="period:T",
            x2="period_end_excl:T",
            tooltip=[alt.Tooltip("note:N", title=""), alt.Tooltip("period:T", title="From"),
                     alt.Tooltip("period_end:T", title="To")],
        )
    )


def share_area(df: pd.DataFrame, *, title: str = "", height: int = 380) -> alt.LayerChart | alt.Chart:
    """Normalised stacked area of share by series over time."""
    df = _with_labels(df)
    order = df.sort_values("series_order")["series"].drop_duplicates().tolist()
    area = (
        alt.Chart(df)
        .mark_area(interpolate="monotone", line=False)
        .encode(
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
    )
    chart = area
    band = _partial_band(df)
    if band is not None:
        chart = alt.layer(area, band)
    chart = chart.properties(height=height)
    return chart.properties(title=title) if title else chart


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
            opacity=alt.condition(highlight, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("period:T", title="Period from"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("share_label:N", title="Share"),
                alt.Tooltip("tokens_label:N", title="Tokens"),
            ],
        )
        .add_params(highlight)
    )
    chart = lines
    band = _partial_band(df)
    if band is not None:
        chart = alt.layer(lines, band)
    return chart.properties(height=height)


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
    half = alt.Chart(pd.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[4, 4], color="#64748B").encode(y="y:Q")
    layers = [line, half]
    band = _partial_band(df)
    if band is not None:
        layers.append(band)
    return alt.layer(*layers).properties(height=height)


def bump_chart(df: pd.DataFrame, *, top: int, height: int = 380):
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
                        legend=alt.Legend(orient="bottom", columns=4, labelLimit=220)),
        opacity=alt.condition(highlight, alt.value(1.0), alt.value(0.12)),
        tooltip=[alt.Tooltip("period:T", title="Period from"), alt.Tooltip("lab_name:N", title="Lab"),
                 alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("share_label:N", title="Share"),
                 alt.Tooltip("tokens_label:N", title="Tokens")],
    )
    chart = base.mark_line(strokeWidth=2.5, interpolate="monotone") + base.mark_circle(size=40)
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
            x2="to_excl:T",
            y=alt.Y("lab_name:N", title=None, sort=order),
            color=alt.Color("lab_name:N", scale=colour_scale(order), legend=None),
            tooltip=[alt.Tooltip("lab_name:N", title="Leader"), alt.Tooltip("from_period:T", title="From"),
                     alt.Tooltip("to_day:T", title="To"), alt.Tooltip("periods:Q", title="Periods at #1")],
        )
        .properties(height=max(height, 34 * len(order)))
    )


def chart_points(chart) -> int:
    """How many data rows a chart sends to the browser (all datasets of its spec)."""
    spec = chart.to_dict()
    return sum(len(v) for v in spec.get("datasets", {}).values())
