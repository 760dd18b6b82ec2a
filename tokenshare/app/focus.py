"""The focus and the yardstick.

The sidebar's lab and country filters choose the *focus*: the labs a page is about. The
*yardstick* (the denominator of a share, the field of rivals in a race) stays the whole
market, so Arcee AI's share is of every named token and its rank is among every lab,
unless the URL says ``field=focus``: then the page measures the focus against itself
only (a race among US labs, the open-weight share of Arcee AI's own tokens).

The sidebar draws the URL-bound ``field`` switch (a global key, so it survives page
switches like the filters it qualifies); ``current`` reads the focus and says which
yardstick is on; ``Focus.yardstick`` gives the query parameters of the yardstick."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from tokenshare.app import urls
from tokenshare.app.state import Context
from tokenshare.app.text import md

RULE = ("The lab and country filters choose the focus; the yardstick stays the whole market "
        "unless field=focus.")


@dataclass(frozen=True)
class Focus:
    countries: tuple[str, ...] = ()
    labs: tuple[str, ...] = ()  # author slugs, as in the URL
    lab_names: tuple[str, ...] = ()  # the labs (by name) the focus holds
    name: str = "the whole market"
    field: str = "all"

    @property
    def active(self) -> bool:
        return bool(self.countries or self.labs)

    @property
    def possessive(self) -> str:
        """"Arcee AI's", "United States labs'"."""
        return possessive(self.name)

    @property
    def narrowed(self) -> bool:
        """The yardstick is the focus itself (field=focus with a focus chosen)."""
        return self.active and self.field == "focus"

    def yardstick(self, ctx: Context, **extra) -> dict:
        """Query parameters for the yardstick: the whole market (no country or lab
        filter) unless narrowed."""
        if self.narrowed:
            return ctx.params(**extra)
        return ctx.params(**{"countries": [], "labs": [], **extra})


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _joined(names: list[str], most: int = 3) -> str:
    if len(names) > most:
        return ", ".join(names[:most]) + f" and {len(names) - most} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def focus_of(labs: pd.DataFrame, countries: pd.DataFrame, chosen_countries, chosen_labs, field: str = "all") -> Focus:
    """The focus the filters choose. ``labs``: the snapshot's labs (author, lab_name,
    country_code); ``countries``: country_code, country_name. Chosen labs name the focus
    ("Arcee AI"); countries alone name it by country ("United States labs")."""
    chosen_countries, chosen_labs = tuple(chosen_countries), tuple(chosen_labs)
    if not chosen_countries and not chosen_labs:
        return Focus(field=field)
    pool = labs
    if chosen_countries:
        pool = pool[pool["country_code"].isin(chosen_countries)]
    if chosen_labs:
        pool = pool[pool["author"].isin(chosen_labs)]
    lab_names = tuple(dict.fromkeys(pool["lab_name"]))
    if chosen_labs:
        name = _joined(list(lab_names) or list(chosen_labs))
    else:
        country_names = dict(zip(countries["country_code"], countries["country_name"]))
        name = _joined([country_names.get(c, c) for c in chosen_countries]) + " labs"
    return Focus(chosen_countries, chosen_labs, lab_names, name, field)


SWITCH_HELP = ("all: the focus is measured against the whole market (shares of every lab's tokens, ranks among "
               "every lab). focus: against the focus alone (shares of its own tokens, a race among its labs only).")


def current(ctx: Context, *, say: bool = True) -> Focus:
    """The page's focus, with the yardstick the sidebar's switch (``field``, drawn only
    when there is a focus) chose. With a focus and ``say``, a line says which yardstick
    is on."""
    f = ctx.filters
    field = st.session_state.get("field") if (f.countries or f.labs) else None
    focus = focus_of(ctx.labs, ctx.countries, f.countries, f.labs,
                     field if field in urls.choices("field") else urls.default("field"))
    if not focus.active or not say:
        return focus
    name = md(focus.name)
    if focus.narrowed:
        st.markdown(f":material/filter_alt: Focus **{name}**, measured against **itself only** (`field=focus`): "
                    "shares are of its own tokens and ranks are among its labs only. Switch the sidebar's "
                    "**Yardstick** to *all* to measure it against the whole market.")
    else:
        st.markdown(f":material/center_focus_strong: Focus **{name}**, measured against **the whole market**: "
                    "shares are of every lab's tokens and ranks are among every lab. Switch the sidebar's "
                    "**Yardstick** to *focus* for shares and races within the focus only.")
    return focus
