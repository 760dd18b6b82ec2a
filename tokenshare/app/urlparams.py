"""The URL as the app reads it, and the "Ignored … in the URL" notices.

Widgets read their own keys (``bind="query-params"``); this module reads the raw URL
for what a widget cannot say: which values it dropped. The sidebar's check of the keys
known before a page runs (``tokenshare.app.urlcheck.check_url_params``) is kept for the
session until a filter changes and shown under each page's header (``show_notices``);
a page checks its own key against the values it offers with ``warn_ignored``. Every key
read here must be declared in ``tokenshare.app.urls``."""

from __future__ import annotations

import streamlit as st

from tokenshare.app import urlcheck, urls

NOTICES_KEY = "_tokenshare_url_notices"


def raw() -> dict[str, list[str]]:
    """Every key in the URL with all its values (repeated keys kept)."""
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp.keys()}


def values(key: str) -> list[str]:
    """All the URL's values of a declared key."""
    urls.param(key)
    return st.query_params.get_all(key)


def last(key: str) -> str | None:
    """The value a single-valued key has in the URL (the last one), or None."""
    got = values(key)
    return got[-1] if got else None


def remember_notices(notices: list[str]) -> None:
    """Keep the sidebar check's notices for this session (each once)."""
    kept = st.session_state.setdefault(NOTICES_KEY, [])
    for n in notices:
        if n not in kept:
            kept.append(n)


def clear_notices() -> None:
    """A filter changed: what the URL asked for is no longer the view (widget callback)."""
    st.session_state[NOTICES_KEY] = []


def show_notices() -> None:
    for n in st.session_state.get(NOTICES_KEY, []):
        st.warning(n, icon=":material/warning:")


def warn_ignored(key: str, *, allowed=None, accept=None, **words) -> None:
    """Check a page's own key against the values the page offers now and draw a
    warning for each problem (see ``urlcheck.check_key``)."""
    for n in urlcheck.check_key(key, values(key), allowed=allowed, accept=accept, **words):
        st.warning(n, icon=":material/warning:")
