"""Compare snapshots: the change in each day's total where figures were restated."""

from __future__ import annotations

import altair as alt
import pandas as pd

from tokenshare.app.charts.base import TOKENS_LABEL
from tokenshare.core.formatting import human_tokens


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

