"""Snapshots besides the open one, for the Data and Compare pages: the ones on this
machine, loading one by path (validated like the open one, cached until its files
change), comparing two (cached), and refreshing a new one from OpenRouter into the local
snapshots folder (``state.SNAPSHOTS_DIR``) with the key from the environment or
``st.secrets``."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from tokenshare.app import state
from tokenshare.app.secrets import secrets_for_refresh
from tokenshare.data.format import Snapshot, SnapshotError
from tokenshare.data.locate import candidate_snapshots
from tokenshare.data.openrouter_key import api_key_available
from tokenshare.data.refresh import run_refresh
from tokenshare.data.refresh_run import RefreshError, RefreshInterrupted
from tokenshare.data.remote import is_snapshot_url
from tokenshare.data.validate import load_snapshot
from tokenshare.engine import compare

REFRESH_FAILURES = (RefreshError, RefreshInterrupted)  # a failed refresh changed nothing


def folder() -> Path:
    """Where refreshed snapshots go, and are found."""
    return state.SNAPSHOTS_DIR


def local_snapshots() -> list[Path]:
    """The snapshot folders under ``folder()``, newest first."""
    return candidate_snapshots(folder())


def comparable() -> dict[str, Path]:
    """Snapshots the Compare page offers, by the names its URL carries: each folder under
    ``folder()``, the bundled sample as ``sample``, and the snapshot TOKENSHARE_SNAPSHOT
    names when it is a folder (a URL snapshot has no folder to compare)."""
    location = state.snapshot_location()
    extra = Path(location) if location and not is_snapshot_url(location) else None
    return compare.available(folder(), state.SAMPLE_DIR, extra)


@st.cache_resource(max_entries=16, show_spinner="Checking the snapshot…")
def _load_snapshot_cached(path: str, fp_key: str, _fp: tuple):
    try:
        return load_snapshot(Path(path)), None
    except SnapshotError as exc:
        return None, exc.describe()


def load_other(path: Path) -> tuple[Snapshot | None, str | None]:
    """(Snapshot, None) or (None, problem) for any snapshot folder, validated like the
    active one and cached until its files change."""
    fp = state.fingerprint([Path(path)])
    return _load_snapshot_cached(str(path), str(hash(fp)), fp)


@st.cache_data(max_entries=16, show_spinner="Comparing the snapshots…")
def _compare_cached(old_id: str, new_id: str, _old: Snapshot, _new: Snapshot):
    return compare.compare_snapshots(_old, _new)  # kept on disk beside the new snapshot, too


def compare_pair(old: Snapshot, new: Snapshot):
    """What changed from ``old`` to ``new`` (tokenshare.engine.compare), cached."""
    return _compare_cached(old.snapshot_id, new.snapshot_id, old, new)


def refresh_key_configured() -> bool:
    """Whether an OpenRouter key is set (environment, st.secrets or secrets.toml)."""
    return api_key_available(secrets_for_refresh())


def refresh(progress):
    """Pull the days this machine lacks into a new snapshot under ``folder()``; raises
    one of REFRESH_FAILURES (nothing changed) or returns the refresh's result."""
    return run_refresh(folder(), progress=progress, secrets=secrets_for_refresh())
