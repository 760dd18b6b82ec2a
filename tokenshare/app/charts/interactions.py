"""What a click on a chart does, and exporting a chart.

A chart that lets a click pick a lab carries a point selection (``LAB_PICK`` in
``tokenshare.app.charts``); ``lab_click_chart`` turns that click into the sidebar's lab
filter, and so into the URL. ``pick_chart`` sets any bound widget the same way (a launch
on the Launches page). ``chart_export`` offers the chart as SVG (or its Vega-Lite spec)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from tokenshare.app import urlparams
from tokenshare.app.charts.finished import draw, plain_dict
from tokenshare.data.snapshot.layout import Snapshot


def picked_values(state, param: str, field: str) -> list:
    """The values of ``field`` a chart's point selection ``param`` holds, from the
    selection state Streamlit keeps under the chart's key (empty when none)."""
    try:
        points = state["selection"][param]
    except (KeyError, TypeError):
        return []
    if isinstance(points, dict):  # a point selection may come as {field: [values]}
        values = points.get(field, [])
        return list(values) if isinstance(values, (list, tuple)) else [values]
    out = []
    for p in points or []:
        if isinstance(p, dict) and field in p and p[field] not in out:
            out.append(p[field])
    return out


def authors_of(lab_names, labs: pd.DataFrame) -> list[str]:
    """Author slugs behind lab names (Meta is two authors: meta and meta-llama)."""
    wanted = set(lab_names)
    return [a for a, n in zip(labs["author"], labs["lab_name"]) if n in wanted]


def lab_click_chart(chart, *, key: str, labs: pd.DataFrame, param: str = "pick_lab", field: str = "lab_name") -> None:
    """Draw a chart whose point selection ``param`` (on ``field``, a lab name) sets the
    sidebar's lab filter, and so the URL, when a lab is clicked. ``labs``: the
    snapshot's labs (author, lab_name). Only that selection reruns the app; legend
    isolation stays in the browser."""

    def _set_lab() -> None:
        authors = authors_of(picked_values(st.session_state.get(key), param, field), labs)
        if authors:
            st.session_state["lab"] = authors
            urlparams.clear_notices()

    draw(chart, key=key, on_select=_set_lab, selection_mode=[param], width="stretch")


def pick_chart(chart, *, key: str, param: str, field: str, target: str) -> None:
    """Draw a chart whose point selection ``param`` sets ``st.session_state[target]``
    (a bound widget, so the URL follows) to the clicked ``field`` value."""

    def _pick() -> None:
        values = picked_values(st.session_state.get(key), param, field)
        if values:
            st.session_state[target] = values[0]

    draw(chart, key=key, on_select=_pick, selection_mode=[param], width="stretch")


EXPORT_WIDTH = 900


def chart_svg(chart) -> bytes | None:
    """The chart as SVG (rendered server-side by vl-convert), or None when vl-convert
    is not installed."""
    try:
        import vl_convert as vlc
    except ImportError:
        return None
    # On the page a chart takes the container's width; a file needs one of its own.
    return vlc.vegalite_to_svg(plain_dict(chart.properties(width=EXPORT_WIDTH))).encode("utf-8")


def chart_export(chart, name: str, snapshot: Snapshot) -> None:
    """A small SVG download under a chart (made only when clicked). PNG is in the
    chart's own toolbar (Streamlit's "Download as PNG"). Without vl-convert the button
    offers the Vega-Lite spec, which vega.github.io/editor exports as SVG or PNG."""
    try:
        import vl_convert  # noqa: F401
        svg = True
    except ImportError:
        svg = False
    stem = f"tokenshare-{name}-{snapshot.snapshot_id}"
    if svg:
        st.download_button(
            "SVG", data=lambda: chart_svg(chart), file_name=stem + ".svg", mime="image/svg+xml",
            key=f"svg-{name}", icon=":material/download:", type="tertiary", on_click="ignore",
            help="Download this chart as SVG. For PNG, use the chart's toolbar (top right, on hover).",
        )
    else:
        st.download_button(
            "Chart spec", data=lambda: json.dumps(plain_dict(chart), indent=2, sort_keys=True).encode("utf-8"), file_name=stem + ".vl.json",
            mime="application/json", key=f"svg-{name}", icon=":material/download:", type="tertiary",
            on_click="ignore",
            help="Vega-Lite spec of this chart (open it in vega.github.io/editor to export SVG). "
                 "For PNG, use the chart's toolbar.",
        )
