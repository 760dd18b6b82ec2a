"""Provider competition: each model's provider prices on one line (the price ladder),
and how many models have each number of providers, open-weight against closed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import FIXED, SIDES, THEMED_TEXT

SIDE = dict(zip(("open", "closed"), SIDES))  # URL value -> the side's name, in SIDES' order
SIDE_SCALE = alt.Scale(domain=list(SIDE.values()), range=[FIXED[v] for v in SIDE.values()])


def price_ladder(endpoints: pd.DataFrame, models: pd.DataFrame, price_col: str, price_title: str):
    """One row per model (``models``: model_competition rows, in the order shown), a
    rule from its cheapest to its dearest priced provider, a dot per provider endpoint
    (``endpoints``: provider_endpoints rows) and a hollow diamond at the catalogue price.
    Log scale: prices run from cents to tens of dollars per million tokens."""
    order = models["model_name"].tolist()
    m = models[models["cheapest"].notna()].assign(weights=lambda d: d["openness"].map(SIDE))
    e = endpoints[endpoints["provider"].notna() & (endpoints[price_col] > 0)
                  & endpoints["model_permaslug"].isin(models["model_permaslug"])]
    e = pd.DataFrame({
        "model_name": e["model_name"], "weights": e["openness"].map(SIDE), "provider": e["provider"],
        "price": e[price_col], "quantization": e["quantization"].fillna("not given"),
        "uptime": e["uptime_last_30m"],
    })
    cat = models[models["catalogue"] > 0][["model_name", "catalogue"]]
    y = alt.Y("model_name:N", title=None, sort=order, axis=alt.Axis(labelLimit=260, labelFontSize=12))
    x_scale = alt.Scale(type="log")
    rules = alt.Chart(m).mark_rule(strokeWidth=3, opacity=0.45).encode(
        y=y, x=alt.X("cheapest:Q", scale=x_scale, title=f"{price_title}, USD per million tokens (log scale)"),
        x2="dearest:Q", color=alt.Color("weights:N", title=None, scale=SIDE_SCALE, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("model_name:N", title="Model"), alt.Tooltip("providers:Q", title="Providers"),
                 alt.Tooltip("cheapest:Q", title="Cheapest $/M", format=".3f"),
                 alt.Tooltip("dearest:Q", title="Dearest $/M", format=".3f"),
                 alt.Tooltip("spread:Q", title="Spread (x)", format=".1f")],
    )
    dots = alt.Chart(e).mark_circle(size=60, opacity=0.9).encode(
        y=y, x=alt.X("price:Q", scale=x_scale), color=alt.Color("weights:N", scale=SIDE_SCALE, legend=None),
        tooltip=[alt.Tooltip("model_name:N", title="Model"), alt.Tooltip("provider:N", title="Provider"),
                 alt.Tooltip("price:Q", title="$ per M tokens", format=".3f"),
                 alt.Tooltip("quantization:N", title="Quantisation"),
                 alt.Tooltip("uptime:Q", title="Uptime, last 30 min (%)", format=".1f")],
    )
    diamonds = alt.Chart(cat).mark_point(shape="diamond", size=90, filled=False, strokeWidth=1.6,
                                         color=THEMED_TEXT).encode(
        y=y, x=alt.X("catalogue:Q", scale=x_scale),
        tooltip=[alt.Tooltip("model_name:N", title="Model"),
                 alt.Tooltip("catalogue:Q", title="Catalogue $ per M tokens", format=".3f")],
    )
    # a fixed step per model row: a pixel height was squeezed by the container
    return alt.layer(rules, dots, diamonds).properties(height=alt.Step(26))


def provider_count_bars(counts: pd.DataFrame, *, height: int = 260):
    """Models by number of providers, open-weight and closed side by side. ``counts``:
    providers, openness, models."""
    d = counts.assign(weights=counts["openness"].map(SIDE))
    return alt.Chart(d).mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
        x=alt.X("providers:O", title="Providers serving the model", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("weights:N", sort=list(SIDE.values())),
        y=alt.Y("models:Q", title="Models", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("weights:N", title=None, scale=SIDE_SCALE, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("weights:N", title="Weights"), alt.Tooltip("providers:O", title="Providers"),
                 alt.Tooltip("models:Q", title="Models")],
    ).properties(height=height)
