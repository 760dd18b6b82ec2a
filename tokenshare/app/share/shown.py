"""What the page on screen shows, recorded as it runs for the share control: its title,
its headline figure (``headline``, called by the page), its main chart (the first chart
drawn in the run, recorded by ``charts.draw``) and the place under the header the
control is drawn in once the page has run. Kept in the session for the current run; the
header starts a new record on every full run."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

RUN_KEY = "_tokenshare_share_run"


@dataclass
class Shown:
    title: str
    ctx: object  # the page's state.Context
    slot: object  # the container under the header
    headline: str | None = None
    chart: object | None = None
    extra: dict = field(default_factory=dict)


def start(title: str, ctx) -> None:
    """A full run of a page begins: a new record, and the control's place reserved here."""
    st.session_state[RUN_KEY] = Shown(title=title, ctx=ctx, slot=st.container())


def current() -> Shown | None:
    return st.session_state.get(RUN_KEY)


def headline(text: str, *, focus: bool = False) -> None:
    """The page's headline figure in words: the first one a run gives is kept, unless a
    later one is the focus's own figure (``focus``), which says more about the view."""
    run = current()
    if run is not None and text and (run.headline is None or (focus and not run.extra.get("focus"))):
        run.headline = text
        run.extra["focus"] = focus


def chart_drawn(chart) -> None:
    """A chart went on the page: the first one of the run is its main chart."""
    run = current()
    if run is not None and run.chart is None:
        run.chart = chart


def done() -> Shown | None:
    """The record of the run that just ended (and no record left for the next one)."""
    return st.session_state.pop(RUN_KEY, None)
