"""Which snapshot to open: ``TOKENSHARE_SNAPSHOT`` (a snapshot folder, a published root
or a URL of either), else the newest valid snapshot under ``data/snapshots/``, else the
bundled sample.

Invalid candidates are passed over and reported, never fatal: the app opens the next
one and says why it skipped the others. A published root that breaks while a snapshot
from it is open (``previous_root``) keeps that snapshot, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tokenshare.core import settings
from tokenshare.data.snapshot.layout import MANIFEST_FILE, Snapshot, SnapshotError
from tokenshare.data.published.pointer import POINTER_FILE
from tokenshare.data.published.root import RootError, RootOpen, RootStatus, kept, open_root
from tokenshare.data.published.remote import is_snapshot_url, open_remote
from tokenshare.data.snapshot.validate import load_snapshot

SAMPLE_DIR = settings.SAMPLE_DIR
SNAPSHOTS_DIR = settings.SNAPSHOTS_DIR


@dataclass
class Resolution:
    """Which snapshot the app opens, and what was wrong with the ones passed over."""

    snapshot: Snapshot | None
    problems: list[tuple[str, str]]  # (snapshot path, message)
    chosen_because: str
    notes: list[str] = field(default_factory=list)  # how the chosen one is read, when it matters
    root: RootStatus | None = None  # TOKENSHARE_SNAPSHOT is a published root: what is known of it
    opened_root: RootOpen | None = None  # the snapshot open from that root (kept while it breaks)

KEPT_BECAUSE = "snapshot last opened from this published root, kept"


def candidate_snapshots(snapshots_dir: Path = SNAPSHOTS_DIR) -> list[Path]:
    """Snapshot folders under snapshots_dir, newest first (by folder name, which the
    refresh command makes sortable, then by modification time)."""
    try:
        if not snapshots_dir.is_dir():
            return []
        dirs = [
            d for d in snapshots_dir.iterdir()
            if not d.name.startswith(".") and _has_manifest(d)
        ]
    except OSError:  # an unreadable snapshots folder holds no candidates
        return []
    return sorted(dirs, key=lambda d: (d.name, _mtime(d)), reverse=True)


def _has_manifest(d: Path) -> bool:
    try:
        return d.is_dir() and (d / MANIFEST_FILE).exists()
    except OSError:
        return False


def _mtime(d: Path) -> float:
    try:
        return d.stat().st_mtime
    except OSError:
        return 0.0


def _not_a_snapshot_folder(path: Path) -> None:
    """A folder with neither manifest.json nor latest.json: say both were looked for."""
    try:
        empty = path.is_dir() and not (path / MANIFEST_FILE).exists() and not (path / POINTER_FILE).exists()
    except OSError:
        return
    if empty:
        raise SnapshotError(
            f"has no {MANIFEST_FILE} (so it is not a snapshot folder) and no {POINTER_FILE} (so it is not a "
            "published root)", path=path, file=str(path),
        )


def _open_env(env_value: str, loader, previous_root: RootOpen | None) -> Resolution:
    """TOKENSHARE_SNAPSHOT opened, or SnapshotError (RootError for a published root)."""
    url = is_snapshot_url(env_value)
    if url or not (Path(env_value) / MANIFEST_FILE).exists():
        was_root = previous_root is not None and previous_root.status.location == env_value
        if url or was_root or (Path(env_value) / POINTER_FILE).exists():
            opened = open_root(env_value, previous_root)
            if opened is not None:
                return Resolution(opened.snapshot, [], "TOKENSHARE_SNAPSHOT (published root)", list(opened.notes),
                                  opened.status, opened)
    if url:
        try:
            snapshot, notes = open_remote(env_value)
        except SnapshotError as exc:
            if exc.file == MANIFEST_FILE and exc.message[-8:] in ("HTTP 403", "HTTP 404", "HTTP 410"):
                raise SnapshotError(exc.message + f" (and there is no {POINTER_FILE} either: not a published root)",
                                    path=exc.path, file=exc.file)
            raise
        return Resolution(snapshot, [], "TOKENSHARE_SNAPSHOT", notes)
    _not_a_snapshot_folder(Path(env_value))
    return Resolution(loader(Path(env_value)), [], "TOKENSHARE_SNAPSHOT")


def resolve_snapshot(
    env_value: str | None = None,
    snapshots_dir: Path = SNAPSHOTS_DIR,
    sample_dir: Path = SAMPLE_DIR,
    loader=load_snapshot,
    previous_root: RootOpen | None = None,
) -> Resolution:
    """TOKENSHARE_SNAPSHOT (a folder, a published root, or the URL of either: see
    tokenshare.data.published.remote and tokenshare.data.published.root) if set, else the newest
    valid snapshot under data/snapshots/, else the sample. Invalid candidates are
    reported, not fatal. ``previous_root``: the snapshot open now from the root
    TOKENSHARE_SNAPSHOT names; kept (with the reason) when the root cannot be read."""
    problems: list[tuple[str, str]] = []
    candidates: list[tuple[Path | str, str]] = []
    root_status: RootStatus | None = None
    if env_value:
        try:
            return _open_env(env_value, loader, previous_root)
        except RootError as exc:
            if previous_root is not None and previous_root.status.location == env_value:
                still = kept(previous_root, exc)
                return Resolution(still.snapshot, [(env_value, exc.describe())], KEPT_BECAUSE, list(still.notes),
                                  still.status, still)
            problems.append((env_value, exc.describe()))
            root_status = exc.status
        except SnapshotError as exc:
            problems.append((env_value, exc.describe()))
        except Exception as exc:  # noqa: BLE001 - a broken candidate never stops the app
            problems.append((env_value, unexpected_problem(exc)))
    for d in candidate_snapshots(snapshots_dir):
        candidates.append((d, "newest valid snapshot in data/snapshots/"))
    candidates.append((sample_dir, "bundled sample"))
    for path, why in candidates:
        try:
            return Resolution(loader(path), problems, why, root=root_status)
        except SnapshotError as exc:
            problems.append((str(path), exc.describe()))
        except Exception as exc:  # noqa: BLE001 - a broken candidate never stops the app
            problems.append((str(path), unexpected_problem(exc)))
    return Resolution(None, problems, "", root=root_status)


def unexpected_problem(exc: BaseException) -> str:
    """An error the checks did not foresee, as a one-line reason (the next snapshot opens)."""
    text = " ".join(str(exc).split())
    return f"broken snapshot, skipped: {type(exc).__name__}" + (f": {text[:200]}" if text else "")
