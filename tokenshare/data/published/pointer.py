"""The ``latest.json`` pointer of a *published root*: its format, reading and writing.

A published root is a folder (served by a static web server, a git branch or an object
store) that ``python -m tokenshare publish`` fills::

    ROOT/latest.json          the pointer, written last and atomically
    ROOT/<snapshot id>/       one snapshot's files (manifest.json, Parquet, labs.csv)
    ROOT/<older id>/          kept snapshots (``--keep``, default 2)

The pointer (``pointer_version`` 1)::

    {"pointer_version": 1, "id": "<16 hex>", "path": "<id>/",
     "as_of": ..., "start_date": ..., "end_date": ..., "synthetic": false, "source": ...,
     "manifest_sha256": "<sha256 of the snapshot's manifest.json bytes>",
     "published_at": "2026-12-01T10:00:00Z",
     "history": [{"id": ..., "path": ..., "as_of": ..., "published_at": ...}, ...]}

``history`` lists the snapshots kept in the root, newest (the current one) first. A
reader checks everything it relies on: the version (a newer one is refused with a
message saying so), an ``id`` of 16 hex digits and ``path`` equal to ``<id>/`` (so a
hostile pointer cannot send the reader anywhere else), a 64-digit sha256."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tokenshare.core.files import write_text_atomic
from tokenshare.core.statefile import parse_state, read_bytes_limited
from tokenshare.data.snapshot.layout import MANIFEST_FILE, SnapshotError

POINTER_FILE = "latest.json"
POINTER_VERSION = 1
MAX_POINTER_BYTES = 64 << 10
POINTER_DEPTH = 8  # {"history": [{...}]} is 3 deep
ID_RE = re.compile(r"^[0-9a-f]{16}$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Pointer:
    """A checked ``latest.json``."""

    id: str
    path: str
    manifest_sha256: str
    as_of: str = ""
    start_date: str = ""
    end_date: str = ""
    published_at: str = ""
    data: dict = field(default_factory=dict, hash=False, compare=False)


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_bytes(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _bad(message: str, where) -> SnapshotError:
    return SnapshotError(message, path=where, file=POINTER_FILE)


def _text(data: dict, key: str, where, limit: int = 200) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise _bad(f"field {key!r} is not a short text", where)
    return value


def parse_pointer(raw: bytes, where) -> Pointer:
    """Check a pointer's bytes; raise SnapshotError (file latest.json) saying what is wrong."""
    if len(raw) > MAX_POINTER_BYTES:
        raise _bad(f"is larger than {MAX_POINTER_BYTES >> 10} KiB; a pointer is a few hundred bytes", where)
    try:
        data = parse_state(raw, max_depth=POINTER_DEPTH)  # the one reader of the app's JSON (core/statefile.py)
    except ValueError as exc:
        text = str(exc)
        raise _bad(text if text.startswith("is not valid JSON") else f"is not valid JSON: it {text}", where)
    version = data.get("pointer_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _bad("has no whole-number pointer_version: not a tokenshare pointer", where)
    if version > POINTER_VERSION:
        raise _bad(
            f"was written by a newer tokenshare (pointer_version {version}; this app reads version "
            f"{POINTER_VERSION}): update the app", where,
        )
    if version < 1:
        raise _bad(f"has pointer_version {version}; versions start at 1", where)
    snap_id = data.get("id")
    if not isinstance(snap_id, str) or not ID_RE.fullmatch(snap_id):
        raise _bad("field 'id' is not a snapshot id (16 hex digits)", where)
    if data.get("path") != f"{snap_id}/":
        raise _bad(f"field 'path' must be {snap_id + '/'!r} (the snapshot's folder beside latest.json)", where)
    sha = data.get("manifest_sha256")
    if not isinstance(sha, str) or not SHA_RE.fullmatch(sha):
        raise _bad("field 'manifest_sha256' is not a sha256 (64 hex digits)", where)
    for key in ("start_date", "end_date"):
        value = _text(data, key, where)
        if value and not _DATE_RE.fullmatch(value):
            raise _bad(f"field {key!r} is not YYYY-MM-DD", where)
    return Pointer(
        id=snap_id, path=data["path"], manifest_sha256=sha, as_of=_text(data, "as_of", where),
        start_date=_text(data, "start_date", where), end_date=_text(data, "end_date", where),
        published_at=_text(data, "published_at", where), data=data,
    )


def build_pointer(snapshot_id: str, manifest: dict, manifest_raw: bytes, published_at: str,
                  history: list[dict]) -> dict:
    """The pointer naming ``snapshot_id`` (whose manifest.json bytes are ``manifest_raw``)."""
    return {
        "pointer_version": POINTER_VERSION,
        "id": snapshot_id,
        "path": f"{snapshot_id}/",
        "as_of": str(manifest.get("as_of", "")),
        "start_date": str(manifest.get("start_date", "")),
        "end_date": str(manifest.get("end_date", "")),
        "synthetic": bool(manifest.get("synthetic")),
        "source": str(manifest.get("source", ""))[:200],
        "manifest_sha256": sha256_bytes(manifest_raw),
        "published_at": published_at,
        "history": history,
    }


def history_entry(pointer: dict) -> dict:
    return {k: pointer[k] for k in ("id", "path", "as_of", "published_at")}


def write_pointer(root: Path, pointer: dict) -> Path:
    """Write ``root/latest.json`` atomically: a temporary file beside it, flushed to disk,
    then ``os.replace`` (a reader sees the old pointer or the new one, never a part), then
    the folder flushed so the rename itself is on disk."""
    text = json.dumps(pointer, indent=2, sort_keys=True) + "\n"
    parse_pointer(text.encode("utf-8"), root)  # never write a pointer we would not read
    write_text_atomic(root / POINTER_FILE, text, durable=True, mode=0o644)
    return root / POINTER_FILE


def is_local_root(path: Path) -> bool:
    """A folder with a ``latest.json`` and no ``manifest.json`` of its own."""
    try:
        return path.is_dir() and (path / POINTER_FILE).is_file() and not (path / MANIFEST_FILE).exists()
    except OSError:
        return False


def read_local_pointer(root: Path) -> Pointer:
    try:  # a regular file only (a FIFO would block its reader), at most the pointer's bound
        raw = read_bytes_limited(root / POINTER_FILE, MAX_POINTER_BYTES)
    except FileNotFoundError:
        raise _bad("is missing: the folder is not a published root (or nothing was published yet)", root)
    except OSError as exc:
        raise _bad(f"cannot be read: {exc.strerror or exc}", root)
    except ValueError as exc:
        raise _bad(str(exc), root)
    return parse_pointer(raw, root)


def pointer_identity(root: Path) -> tuple:
    """Cheap identity of a local root's pointer (changes when ``latest.json`` is replaced)."""
    try:
        st_ = os.stat(root / POINTER_FILE)
        return ("pointer", str(root), st_.st_ino, st_.st_size, st_.st_mtime_ns)
    except OSError:
        return ("pointer", str(root), -1, -1, -1)
