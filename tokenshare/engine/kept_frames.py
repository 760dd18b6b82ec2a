"""Frames the upper layers derive from a whole snapshot, kept beside it as Parquet so a
new process reads them instead of computing them again (the tail's entry-days: ~1.5 s of
CPU on the sample, ~0.15 s to read back).

A kept frame's file name carries a key (``derived_key``) over the snapshot id, the
libraries that write and read it, the text of the named queries it is computed from
and any ``parts`` the caller adds (a hash of the code that computes it), so a change to
any of them makes a new file instead of reusing a stale one. Kept only where the query
database is (``derived_folder``: a local folder, ``TOKENSHARE_DERIVED`` not 0) and the
folder is writable; a file that cannot be read is ignored and the frame computed."""

from __future__ import annotations

import hashlib
import inspect
import os
import uuid
from pathlib import Path

import pandas as pd
import pyarrow

from tokenshare.data.snapshot.layout import DERIVED_PREFIX, Snapshot
from tokenshare.engine.db import derived_folder, derived_key

FORMAT = "1"
PREFIX = DERIVED_PREFIX + "frame_"


def source_hash(*code) -> str:
    """A hash of the source of ``code`` (modules, functions): a part of a key that
    changes when the code computing a kept frame does."""
    h = hashlib.sha256()
    for obj in code:
        h.update(inspect.getsource(obj).encode("utf-8") + b"\0")
    return h.hexdigest()[:24]


def kept_path(snapshot: Snapshot, name: str, queries: tuple = (), parts: tuple = ()) -> Path | None:
    """Where the frame ``name`` of ``snapshot`` is kept, or None when it is not."""
    folder = derived_folder(snapshot)
    if folder is None:
        return None
    key = derived_key((FORMAT, snapshot.snapshot_id, pd.__version__, pyarrow.__version__, *parts), queries)
    return folder / f"{PREFIX}{name}_{key}.parquet"


def read_kept(path: Path | None) -> pd.DataFrame | None:
    """The kept frame at ``path``, or None (not kept, missing or unreadable)."""
    if path is None or not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError, pyarrow.ArrowException):
        return None


def keep(path: Path | None, df: pd.DataFrame) -> None:
    """Write ``df`` to ``path`` under a temporary name, then rename it into place (a
    reader finds a whole file or none); files of the same name under another key are
    removed. Nothing is written for a None path or a folder that is not writable."""
    if path is None or not os.access(path.parent, os.W_OK):
        return
    stem = path.name[: path.name.rindex("_") + 1]  # derived_frame_<name>_
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        for stale in path.parent.glob(stem + "*.parquet"):
            if stale != path:
                stale.unlink(missing_ok=True)
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except (OSError, ValueError, pyarrow.ArrowException):
        tmp.unlink(missing_ok=True)
