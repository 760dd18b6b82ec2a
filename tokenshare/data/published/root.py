"""Opening a *published root* (see tokenshare.data.published.pointer for its layout):
``TOKENSHARE_SNAPSHOT`` names a local folder holding ``latest.json``, or an ``http(s)://``
URL of one (``https://host/root/`` or ``https://host/root/latest.json``).

1. ``latest.json`` is read and checked (``parse_pointer``).
2. When the pointer names the snapshot already open from this root (same id, same
   manifest sha256), that snapshot is kept as it is: a re-check costs one small request.
3. Otherwise ``ROOT/<id>/manifest.json`` is read and its sha256 compared with the
   pointer's, then the snapshot is opened like any snapshot at a URL
   (tokenshare.data.published.remote: every file's sha256, validation, in place with httpfs or
   from a checked local copy kept under one cache folder per root) or like any folder.

Anything wrong (no latest.json, a pointer to a missing or corrupt snapshot, a checksum
mismatch, a newer pointer_version, the server gone) raises ``RootError``: a
SnapshotError that also carries what is known of the root (``status``). The caller
(tokenshare.data.published.locate) keeps the snapshot it has from this root, if any, and says why."""

from __future__ import annotations

import os
import stat

from dataclasses import dataclass, replace
from pathlib import Path

from tokenshare.core.statefile import NOT_REGULAR
from tokenshare.data.snapshot.layout import MANIFEST_FILE, MAX_MANIFEST_BYTES, Snapshot, SnapshotError
from tokenshare.data.published.pointer import (
    POINTER_FILE,
    Pointer,
    is_local_root,
    parse_pointer,
    read_local_pointer,
    sha256_bytes,
    utc_now,
)
from tokenshare.data.published import reader
from tokenshare.data.published.remote import UrlPath, http_session, is_snapshot_url, open_remote
from tokenshare.data.snapshot.validate import load_snapshot


@dataclass(frozen=True)
class RootStatus:
    """What the app knows of its published root, for the Data page."""

    location: str  # as TOKENSHARE_SNAPSHOT gives it
    checked_at: str  # when latest.json was last read (UTC)
    pointer: Pointer | None = None  # the pointer as last read; None when unreadable
    serving_id: str | None = None  # the snapshot open from this root
    error: str | None = None  # why the pointer's snapshot is not the one open; None when it is


class RootError(SnapshotError):
    def __init__(self, exc: SnapshotError, status: RootStatus):
        super().__init__(exc.message, path=exc.path, file=exc.file, column=exc.column, row=exc.row)
        self.status = status


@dataclass(frozen=True)
class RootOpen:
    """The snapshot open from a root, the sha256 of its manifest (as the pointer that
    opened it said, and checked), notes for the pages, and the root's status."""

    snapshot: Snapshot
    manifest_sha256: str
    notes: list
    status: RootStatus


def root_url_of(location: str) -> tuple[UrlPath, bool]:
    """The root's URL, and whether ``location`` names latest.json itself (then it must be a root)."""
    if location.rstrip("/").lower().endswith("/" + POINTER_FILE):
        return UrlPath(location.rstrip("/")[: -len(POINTER_FILE) - 1]), True
    return UrlPath(location), False


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__


# Answers that mean "no latest.json here" (object stores answer 403 for a missing key).
ABSENT = (403, 404, 410)


def fetch_pointer(root: UrlPath, *, session=None) -> Pointer | int:
    """``latest.json`` of the root at ``root``, checked; the HTTP status when the server
    says there is none (one of ABSENT)."""
    answer = reader.get(session or http_session(), root / POINTER_FILE, POINTER_FILE, root,
                        headers={"Cache-Control": "no-cache"}, accept=(200,))
    if answer.status in ABSENT:
        return answer.status
    if answer.status != 200:
        raise SnapshotError(f"cannot be fetched: HTTP {answer.status}", path=root, file=POINTER_FILE)
    return parse_pointer(answer.body, root)


def _mismatch(pointer: Pointer, actual: str, where) -> SnapshotError:
    return SnapshotError(
        f"checksum mismatch: latest.json says sha256 {pointer.manifest_sha256[:12]}..., the published "
        f"{pointer.path}{MANIFEST_FILE} has {actual[:12]}... (changed after it was published, or an upload "
        "still under way)", path=where, file=f"{pointer.path}{MANIFEST_FILE}",
    )


def _same_id(pointer: Pointer, snapshot: Snapshot, where) -> Snapshot:
    if snapshot.snapshot_id != pointer.id:
        raise SnapshotError(
            f"names snapshot {pointer.id}, but the manifest at {pointer.path} is snapshot {snapshot.snapshot_id}",
            path=where, file=POINTER_FILE,
        )
    return snapshot


def _open_dir_snapshot(root: Path, pointer: Pointer) -> tuple[Snapshot, list]:
    folder = root / pointer.id
    if not folder.is_dir():
        raise SnapshotError(f"names snapshot {pointer.id}, but {folder} does not exist", path=root, file=POINTER_FILE)
    try:
        if not stat.S_ISREG(os.stat(folder / MANIFEST_FILE).st_mode):  # a FIFO would block: never opened
            raise SnapshotError(NOT_REGULAR, path=folder, file=f"{pointer.path}{MANIFEST_FILE}")
        with open(folder / MANIFEST_FILE, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise SnapshotError(f"cannot read: {exc.strerror or exc}", path=folder, file=f"{pointer.path}{MANIFEST_FILE}")
    actual = sha256_bytes(raw)
    if actual != pointer.manifest_sha256:
        raise _mismatch(pointer, actual, root)
    try:
        snapshot = load_snapshot(folder)
    except SnapshotError as exc:
        raise _in_folder(pointer, exc, root)
    return _same_id(pointer, snapshot, root), []


def _in_folder(pointer: Pointer, exc: SnapshotError, where) -> SnapshotError:
    """``exc`` about a file of the pointed snapshot, naming it as ``<id>/<file>``."""
    if exc.file == MANIFEST_FILE and "HTTP 404" in exc.message:
        return SnapshotError(f"names snapshot {pointer.id}, but {pointer.path}{MANIFEST_FILE} {exc.message}",
                             path=where, file=POINTER_FILE)
    inside = exc.file and "/" not in exc.file
    return SnapshotError(exc.message, path=where, file=f"{pointer.path}{exc.file}" if inside else exc.file,
                         column=exc.column, row=exc.row)


def _open_url_snapshot(root: UrlPath, pointer: Pointer, session) -> tuple[Snapshot, list]:
    try:
        snapshot, notes = open_remote(root / pointer.id, session=session,
                                      expect_manifest_sha256=pointer.manifest_sha256, cache_key=str(root))
    except SnapshotError as exc:
        raise _in_folder(pointer, exc, root)
    return _same_id(pointer, snapshot, root), notes


def is_root_location(location: str | None) -> bool:
    """Whether ``location`` is certainly a published root without asking a server: a
    local folder with latest.json, or a URL ending in /latest.json. (Another URL is a
    root when the server has a latest.json there: ``open_root`` finds out.)"""
    if not location:
        return False
    if is_snapshot_url(location):
        return root_url_of(location)[1]
    return is_local_root(Path(location))


def open_root(location: str, previous: RootOpen | None = None, *, session=None) -> RootOpen | None:
    """The snapshot the root at ``location`` points to. ``previous``: what is open from
    this root now (kept as it is when the pointer has not moved). None when ``location``
    is a URL with no latest.json (HTTP 403, 404 or 410: a plain snapshot URL, which the
    caller opens as one)."""
    checked_at = utc_now()
    url = is_snapshot_url(location)
    if url and location.lower().startswith("s3://"):
        return None  # published roots are read over http(s); s3:// stays a snapshot folder
    pointer = None
    try:
        if url:
            root, must = root_url_of(location)
            session = session or http_session()
            pointer = fetch_pointer(root, session=session)
            if isinstance(pointer, int):  # absent: a plain snapshot URL, unless a snapshot came from this root
                if not must and (previous is None or previous.status.location != location):
                    return None
                status_code, pointer = pointer, None
                raise SnapshotError(f"cannot be fetched: HTTP {status_code} (nothing published there now)",
                                    path=root, file=POINTER_FILE)
        else:
            root = Path(location)
            pointer = read_local_pointer(root)
        status = RootStatus(location, checked_at, pointer, pointer.id)
        if (previous is not None and previous.status.location == location
                and previous.snapshot.snapshot_id == pointer.id
                and previous.manifest_sha256 == pointer.manifest_sha256):
            return RootOpen(previous.snapshot, previous.manifest_sha256, previous.notes, status)
        if url:
            snapshot, notes = _open_url_snapshot(root, pointer, session)
        else:
            snapshot, notes = _open_dir_snapshot(root, pointer)
        return RootOpen(snapshot, pointer.manifest_sha256, notes, status)
    except SnapshotError as exc:
        raise RootError(exc, RootStatus(location, checked_at, pointer, None, exc.describe()))
    except Exception as exc:  # noqa: BLE001 - a broken root never stops the app
        err = SnapshotError(f"cannot be opened ({_short(exc)})", path=location, file=POINTER_FILE)
        raise RootError(err, RootStatus(location, checked_at, pointer, None, err.describe()))


def kept(previous: RootOpen, error: RootError) -> RootOpen:
    """``previous`` kept open after the root failed with ``error``."""
    status = replace(error.status, serving_id=previous.snapshot.snapshot_id)
    return RootOpen(previous.snapshot, previous.manifest_sha256, previous.notes, status)
