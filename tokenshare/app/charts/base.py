"""What every chart shares: one colour per lab, country and fixed series on every chart
(``colour_for``), the names of the click selections (``LAB_PICK``, ``LAUNCH_PICK``), and
the layers several charts add (the dashed 50% line, grey bands over incomplete periods)."""

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
# Open vs closed, in this order on every chart's legend (and stack), in these colours:
# the one place both are declared (a chart of the two sides reads its order from SIDES
# and its colours from FIXED, whatever order its rows come in).
SIDES = ("Open weights", "Closed")
FIXED = {
    "Open weights": "#16A34A",
    "Closed": "#475569",
    "Unclassified": "#CBD5E1",
    "Outside the top 50": "#E2E8F0",
    "Rest": "#94A3B8",
}
# Rivals of a focus: drawn, but in grey, so the focus stands out among them.
OTHER_GREY = "#B8C0CC"
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


def in_side_order(series_in_order) -> list[str]:
    """``series_in_order`` (duplicates dropped) with open vs closed in SIDES' order: the
    places the two sides hold are filled in that order, every other series stays where
    it was (a chart ranked by tokens would put Closed first whenever it is larger)."""
    order = list(dict.fromkeys(series_in_order))
    sides = iter([s for s in SIDES if s in order])
    return [next(sides) if s in SIDES else s for s in order]


def colour_scale(series_in_order) -> alt.Scale:
    domain = in_side_order(series_in_order)
    return alt.Scale(domain=domain, range=[colour_for(s) for s in domain])


# Each chart that lets a click pick a lab carries a point selection named LAB_PICK on
# the field ``lab_name`` (tokenshare.app.charts.interactions.lab_click_chart turns that click
# into the lab filter).
LAB_PICK = "pick_lab"
LAUNCH_PICK = "pick_launch"
# Text beside bars in the page's own text colour: Streamlit sets the chart background to
# the theme's, and Vega exposes it as the `background` signal, so light or dark follows.
THEMED_TEXT = alt.expr("luminance(background) > 0.5 ? '#1E293B' : '#E2E8F0'")
# Token counts on an axis the way the app writes them (B for billions, not SI's G).
TOKENS_LABEL = "replace(format(datum.value, '~s'), 'G', 'B')"


def lab_pick():
    return alt.selection_point(name=LAB_PICK, fields=["lab_name"], on="click", clear="dblclick")


def constant(field: str, value: float) -> alt.Data:
    """One-row data for a reference rule (the 50% line), inline in the spec: a DataFrame
    would be hashed, converted to Arrow and sent as a dataset of its own on every rerun."""
    return alt.Data(values=[{field: value}])


def opacity_when(selection, on: float, off: float) -> alt.OpacityValue:
    """Opacity ``on`` where ``selection`` holds, ``off`` elsewhere: what
    ``alt.condition(selection, alt.value(on), alt.value(off))`` makes, built as the typed
    channel directly. alt.condition returns a plain dict that Altair then has to match
    against the schema's alternatives one by one (about 1.7 ms each, several a page)."""
    return alt.OpacityValue(off, condition={"param": selection.name, "value": on})


def with_labels(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if "tokens" in df:
        df["tokens_label"] = df["tokens"].map(human_tokens)
    if "share" in df:
        df["share_label"] = (df["share"] * 100).round(1).astype(str) + "%"
    if "free_tokens" in df and "tokens" in df:  # a model's `:free` variant is part of it
        free = df["free_tokens"].fillna(0)
        df["free_label"] = [human_tokens(f) + (f" ({f / t:.0%})" if t else "") for f, t in zip(free, df["tokens"])]
    return df


def free_tooltip(df: pd.DataFrame) -> list:
    """The "of which free" tooltip line, for rows that carry free_tokens (see with_labels)."""
    return [alt.Tooltip("free_label:N", title="Of which free")] if "free_label" in df else []


def partial_band(df: pd.DataFrame):
    """Grey bands over incomplete periods, so nobody reads a partial week as a drop. With
    no incomplete period the layer is there with no rows: the chart's spec is then the
    same whether or not the range ends mid-period (a day grain rarely does, a week often),
    so a Period change redraws the chart in place instead of building a new one."""
    if "is_partial" not in df or "period_end" not in df:
        return None
    bands = df.loc[df["is_partial"].fillna(False).astype(bool), ["period", "period_end"]].drop_duplicates().copy()
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


def with_half_line_and_bands(lines, df: pd.DataFrame, height: int):
    """A share-over-time chart's lines, with the dashed 50% line and grey bands over
    incomplete periods."""
    half = alt.Chart(constant("y", 0.5)).mark_rule(strokeDash=[4, 4], color="#64748B").encode(y=alt.Y("y:Q"))
    layers = [lines, half]
    band = partial_band(df)
    if band is not None:
        layers.append(band)
    return alt.layer(*layers, height=height)

