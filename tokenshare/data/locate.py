"""Which snapshot to open: ``TOKENSHARE_SNAPSHOT`` (a folder or a URL), else the newest
valid snapshot under ``data/snapshots/``, else the bundled sample.

Invalid candidates are passed over and reported, never fatal: the app opens the next
one and says why it skipped the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tokenshare.core import settings
from tokenshare.data.format import MANIFEST_FILE, Snapshot, SnapshotError
from tokenshare.data.remote import is_snapshot_url, open_remote
from tokenshare.data.validate import load_snapshot

SAMPLE_DIR = settings.SAMPLE_DIR
SNAPSHOTS_DIR = settings.SNAPSHOTS_DIR


@dataclass
class Resolution:
    """Which snapshot the app opens, and what was wrong with the ones passed over."""

    snapshot: Snapshot | None
    problems: list[tuple[str, str]]  # (snapshot path, message)
    chosen_because: str
    notes: list[str] = field(default_factory=list)  # how the chosen one is read, when it matters


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


def resolve_snapshot(
    env_value: str | None = None,
    snapshots_dir: Path = SNAPSHOTS_DIR,
    sample_dir: Path = SAMPLE_DIR,
    loader=load_snapshot,
) -> Resolution:
    """TOKENSHARE_SNAPSHOT (a folder, or the URL of a published one: see
    tokenshare.data.remote) if set, else the newest valid snapshot under data/snapshots/,
    else the sample. Invalid candidates are reported, not fatal."""
    problems: list[tuple[str, str]] = []
    candidates: list[tuple[Path | str, str]] = []
    if env_value:
        candidates.append((env_value if is_snapshot_url(env_value) else Path(env_value), "TOKENSHARE_SNAPSHOT"))
    for d in candidate_snapshots(snapshots_dir):
        candidates.append((d, "newest valid snapshot in data/snapshots/"))
    candidates.append((sample_dir, "bundled sample"))
    for path, why in candidates:
        try:
            if isinstance(path, str):  # a URL
                snapshot, notes = open_remote(path)
                return Resolution(snapshot, problems, why, notes)
            return Resolution(loader(path), problems, why)
        except SnapshotError as exc:
            problems.append((str(path), exc.describe()))
        except Exception as exc:  # noqa: BLE001 - a broken candidate never stops the app
            problems.append((str(path), unexpected_problem(exc)))
    return Resolution(None, problems, "")


def unexpected_problem(exc: BaseException) -> str:
    """An error the checks did not foresee, as a one-line reason (the next snapshot opens)."""
    text = " ".join(str(exc).split())
    return f"broken snapshot, skipped: {type(exc).__name__}" + (f": {text[:200]}" if text else "")
