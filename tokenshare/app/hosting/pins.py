"""Pinned links (issue 24): ``snapshot=<name>`` in the URL opens a snapshot the app still
keeps instead of the latest, so a shared link's figures stay the ones it was made on.

The names are the ones this module lists (``kept``), never a path built from the URL:
the folders under data/snapshots/, the bundled sample (``sample``), and the snapshots a
published root's ``latest.json`` still keeps (its history, by snapshot id). A name not
listed (gone, pruned, or never there) opens the latest with a notice saying what was
asked for and what is shown instead."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from tokenshare.app import state, urlparams
from tokenshare.app.hosting import snapshots
from tokenshare.app.text import md
from tokenshare.app.urlcheck import url_value
from tokenshare.core.formatting import as_of_text
from tokenshare.data.published.remote import UrlPath, is_snapshot_url, open_remote
from tokenshare.data.published.root import root_url_of
from tokenshare.data.snapshot.layout import Snapshot, SnapshotError

KEY = "snapshot"
SAMPLE = "sample"


@dataclass(frozen=True)
class Kept:
    name: str
    where: str  # a folder, or a URL under a published root
    as_of: str = ""
    published_at: str = ""
    source: str = ""  # "published root", "local", "sample"


def _root_entries(resolution) -> list[Kept]:
    status = getattr(resolution, "root", None)
    if status is None or status.pointer is None:
        return []
    history = status.pointer.data.get("history") or []
    location = status.location
    out = []
    for h in history:
        if is_snapshot_url(location):
            where = str(root_url_of(location)[0] / h["id"])
        else:
            folder = Path(location) / h["id"]
            if not folder.is_dir():
                continue
            where = str(folder)
        out.append(Kept(h["id"], where, str(h.get("as_of", "")), str(h.get("published_at", "")), "published root"))
    return out


def kept(resolution=None) -> dict[str, Kept]:
    """Every snapshot a pinned link may name here, by name, newest of each source first."""
    resolution = resolution or state.active_resolution()
    found = {k.name: k for k in _root_entries(resolution)}
    for folder in snapshots.local_snapshots():
        found.setdefault(folder.name, Kept(folder.name, str(folder), source="local"))
    if Path(state.SAMPLE_DIR).is_dir():
        found.setdefault(SAMPLE, Kept(SAMPLE, str(state.SAMPLE_DIR), source="sample"))
    return found


def name_of(snapshot: Snapshot, listed: dict[str, Kept]) -> str | None:
    """The name a pinned link gives ``snapshot``, when it is one the app keeps."""
    for name, k in listed.items():
        if k.where.rstrip("/") == str(snapshot.path).rstrip("/") or name == snapshot.snapshot_id:
            return name
    return None


@st.cache_resource(max_entries=8, show_spinner="Opening the pinned snapshot…")
def _open_url(url: str) -> tuple[Snapshot | None, str | None]:
    try:
        return open_remote(url, cache_key=url)[0], None
    except SnapshotError as exc:
        return None, exc.describe()
    except Exception as exc:  # noqa: BLE001 - a broken pinned snapshot falls back, never crashes
        return None, f"cannot be opened ({type(exc).__name__})"


def _open(k: Kept) -> tuple[Snapshot | None, str | None]:
    if is_snapshot_url(k.where):
        return _open_url(str(UrlPath(k.where)))
    return snapshots.load_other(Path(k.where))


def choose(latest: Snapshot) -> tuple[Snapshot, str | None]:
    """The snapshot this view shows: the one ``snapshot=`` names when it is kept, else
    ``latest``; and the notice to show when the asked-for one could not be."""
    asked = urlparams.last(KEY)
    if not asked:
        return latest, None
    listed = kept()
    k = listed.get(asked)
    when = md(as_of_text(latest.as_of))  # a manifest's field: escaped
    if k is None:
        return latest, (f"This link asked for snapshot `{url_value(asked)}`, which is no longer kept here (or never "
                        f"was); showing the latest snapshot, `{latest.snapshot_id}` (as of {when}), instead. "
                        "The Data page lists the snapshots kept.")
    if name_of(latest, {asked: k}):
        return latest, None
    pinned, problem = _open(k)
    if pinned is None:
        return latest, (f"This link asked for snapshot `{url_value(asked)}`, which could not be opened "
                        f"({problem}); showing the latest snapshot, `{latest.snapshot_id}` (as of {when}), "
                        "instead.")
    return pinned, None
