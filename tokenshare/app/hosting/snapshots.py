"""Snapshots besides the open one, for the Data and Compare pages: the ones on this
machine, loading one by path (validated like the open one, cached until its files
change), comparing two (cached; derived files only in folders the app owns), and, for
the owner only, refreshing a new one from OpenRouter into the local snapshots folder
(``state.SNAPSHOTS_DIR``) with the key from the environment or ``st.secrets``."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from tokenshare.app import state

from tokenshare.app.hosting import owner
from tokenshare.app.hosting.secrets import secrets_for_refresh
from tokenshare.core import settings
from tokenshare.data.snapshot.layout import Snapshot, SnapshotError
from tokenshare.data.published.locate import candidate_snapshots, unexpected_problem
from tokenshare.data.openrouter.key import api_key_available
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh
from tokenshare.data.refresh.errors import RefreshError, RefreshInterrupted
from tokenshare.data.published.remote import is_snapshot_url
from tokenshare.data.snapshot.validate import load_snapshot
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


def default_pair(names: list[str]) -> tuple[str | None, str | None]:
    """The pair the Compare page opens with (``compare.default_pair``): the second
    newest and the newest of ``names`` (newest first)."""
    return compare.default_pair(names)


def paths_allowed() -> bool:
    """Whether the Compare page takes free-text folder paths (TOKENSHARE_LOCAL_PATHS=1:
    the owner runs the app locally); off by default, so visitors pick known snapshots."""
    return settings.local_paths_allowed()


def owned_folders() -> list[Path]:
    """Folders the app owns and may write derived files into: the snapshots folder, the
    cache of URL snapshots, the bundled sample, and the folder TOKENSHARE_SNAPSHOT names
    (the operator's choice). Never a folder a visitor typed."""
    location = state.snapshot_location()
    extra = [Path(location)] if location and not is_snapshot_url(location) else []
    return [folder(), settings.cache_dir(), state.SAMPLE_DIR] + extra


def is_owned(path: Path) -> bool:
    try:
        target = Path(path).resolve()
        return any(target == f.resolve() or target.is_relative_to(f.resolve()) for f in owned_folders())
    except (OSError, RuntimeError):
        return False


@st.cache_resource(max_entries=16, show_spinner="Checking the snapshot…")
def _load_snapshot_cached(path: str, fp_key: str, _fp: tuple):
    try:
        return load_snapshot(Path(path)), None
    except SnapshotError as exc:
        return None, exc.describe()
    except Exception as exc:  # noqa: BLE001 - a broken snapshot is a message, never a crash
        return None, unexpected_problem(exc)


def load_other(path: Path) -> tuple[Snapshot | None, str | None]:
    """(Snapshot, None) or (None, problem) for any snapshot folder, validated like the
    active one and cached until its files change."""
    fp = state.fingerprint([Path(path)])
    return _load_snapshot_cached(str(path), str(hash(fp)), fp)


@st.cache_data(max_entries=16, show_spinner="Comparing the snapshots…")
def _compare_cached(old_id: str, new_id: str, keep: bool, _old: Snapshot, _new: Snapshot):
    return compare.compare_snapshots(_old, _new, keep=keep)  # kept beside the new snapshot when owned


def compare_pair(old: Snapshot, new: Snapshot):
    """What changed from ``old`` to ``new`` (tokenshare.engine.compare), cached; kept on
    disk only when the new snapshot is in a folder the app owns."""
    keep = is_owned(new.path)
    return _compare_cached(old.snapshot_id, new.snapshot_id, keep, old, new)


def refresh_key_configured() -> bool:
    """Whether an OpenRouter key is set (environment, st.secrets or secrets.toml)."""
    return api_key_available(secrets_for_refresh())


def refresh(progress):
    """Pull the days this machine lacks into a new snapshot under ``folder()``; raises
    one of REFRESH_FAILURES (nothing changed) or returns the refresh's result. Only for
    an owner (the button is drawn only for one; this checks again)."""
    if not owner.is_owner():
        raise RefreshError("only the app's owner, signed in, may refresh", stage="starting")
    return run_refresh(RefreshOptions(folder()), progress=progress, secrets=secrets_for_refresh())
