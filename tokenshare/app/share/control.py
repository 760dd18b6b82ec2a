"""Share this view: one control under every page's header (reserved by ``page.header``,
drawn by ``draw`` once the page has run, so it has the page's headline and main chart).

Closed, it is one expander and costs nothing else; opened (a rerun, like the "data behind
this chart" expanders), it gives the canonical link with a copy button, the one-line
description, the embed snippet and a PNG card made only when its button is clicked."""

from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from tokenshare.app import urlparams, urls
from tokenshare.app.charts.finished import altair_of, plain_dict
from tokenshare.app.hosting import pins
from tokenshare.app.share import card, link, shown, tabs, words
from tokenshare.core import settings
from tokenshare.core.formatting import as_date

EXPANDER_KEY = "share-this-view"


def _url_text(value) -> list[str]:
    """A widget's value as the URL spells it."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _url_text(v)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (dt.date, dt.datetime)):
        return [as_date(value).isoformat()]
    return [str(value)]


def view_values(ctx, url_path: str, pin: str | None = None) -> tuple[dict, dict]:
    """(the values the view uses, the ones it would use without any key), as URL text;
    ``pin``: the kept snapshot the link names (None: always the latest)."""
    f = ctx.filters
    current = {"snapshot": [pin] if pin else [], "start": [f.start.isoformat()], "end": [f.end.isoformat()], "grain": [f.grain],
               "openness": [f.openness], "tier": [f.tier], "country": list(f.countries), "lab": list(f.labs),
               "top": [str(f.top)], "field": _url_text(st.session_state.get("field"))}
    defaults = {k: _url_text(p.default) for k, p in urls.PARAMS.items()}
    defaults.update(start=[ctx.data_start.isoformat()], end=[ctx.data_end.isoformat()])
    for key, p in urls.PARAMS.items():
        if p.is_global or not link.reads(key, url_path):
            continue
        if p.default is not None and key in st.session_state:  # the widget's value: what the view uses
            current[key] = _url_text(st.session_state[key])
        else:  # a value the page picks from the data: kept only when the URL asked for it
            current[key] = urlparams.values(key)
    return current, defaults


def names_of(ctx) -> dict:
    return {"lab": dict(zip(ctx.labs["author"], ctx.labs["lab_name"])),
            "country": dict(zip(ctx.countries["country_code"], ctx.countries["country_name"]))}


def source_line(snapshot) -> str:
    """Where the figures come from and as of when (the snapshot's own citation)."""
    if snapshot.synthetic:
        return (f"Synthetic sample data made by tokenshare (not OpenRouter's figures), as of "
                f"{str(snapshot.as_of)[:10]}; snapshot {snapshot.snapshot_id}.")
    return f"{snapshot.citation} Snapshot {snapshot.snapshot_id}."


def render_card(chart, text: card.CardText) -> bytes:
    spec = plain_dict(altair_of(chart)) if chart is not None else None
    return card.card_png(spec, text)


def pin_choice(snapshot) -> str | None:
    """"This snapshot" or "always the latest": the kept snapshot's name, or None."""
    name = pins.name_of(snapshot, pins.kept())
    if name is None:
        st.caption("This snapshot is not one the app keeps, so the link opens the latest data.")
        return None
    options = ["latest", "this"]
    words = {"latest": "Always the latest data", "this": f"This snapshot ({name}): the figures stay as they are now"}
    pinned_now = bool(urlparams.last(pins.KEY))
    chosen = st.radio("The link opens", options, index=1 if pinned_now else 0, format_func=words.get,
                      key="share-pin", horizontal=True)
    return name if chosen == "this" else None


def focus_names(ctx) -> list[str]:
    """The names of the sidebar's focus: its labs, else its countries."""
    f = ctx.filters
    if not f.labs and not f.countries:  # every rerun without a focus: no lookup tables made
        return []
    names = names_of(ctx)
    return [names["lab"].get(a, a) for a in f.labs] or [names["country"].get(c, c) for c in f.countries]


def draw(url_path: str, icon: str | None = None) -> None:
    """The control, in the place the header reserved, for the run that just ended; and
    the tab's title and icon, saying what the view shows."""
    run = shown.done()
    if run is None:
        return
    st.set_page_config(page_title=tabs.tab_title(url_path, focus_names(run.ctx)), page_icon=icon)
    expander = run.slot.expander("Share this view", icon=":material/share:", key=EXPANDER_KEY, on_change="rerun")
    if not expander.open:
        return
    ctx = run.ctx
    with expander:
        pin = pin_choice(ctx.snapshot)
    current, defaults = view_values(ctx, url_path, pin)
    pairs = link.canonical_pairs(current, defaults, url_path)
    base = settings.public_url()
    url = link.canonical_url(base, url_path, pairs)
    in_words = words.filters_in_words(ctx.filters.start, ctx.filters.end, ctx.filters.grain, pairs, names_of(ctx))
    headline = run.headline or run.title
    with expander:
        st.caption("Link to this view (the filters that differ from the defaults, in the URL's own order)"
                   + ("" if base else "; relative to the app's address, as `TOKENSHARE_PUBLIC_URL` is not set"))
        st.code(url, language=None, wrap_lines=True)
        st.caption("Description to paste beside it")
        st.code(words.description(headline, in_words, source_line(ctx.snapshot)), language=None,
                wrap_lines=True)
        st.caption("Embed (an iframe of this view without Streamlit's header and menu)")
        st.code(link.embed_snippet(link.canonical_url(base, url_path, pairs, embed=True), run.title),
                language="html", wrap_lines=True)
        text = card.CardText(run.title, headline, in_words, source_line(ctx.snapshot),
                             ctx.snapshot.synthetic)
        st.download_button(
            f"PNG card ({card.WIDTH} × {card.HEIGHT})", functools.partial(render_card, run.chart, text),
            file_name=f"tokenshare-{url_path or 'home'}-{ctx.snapshot.snapshot_id}.png", mime="image/png",
            key="share-png", icon=":material/image:", on_click="ignore",
            help="The page's main chart with its title, headline, filters and source, made when you click.",
        )
