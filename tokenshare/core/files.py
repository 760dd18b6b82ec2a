"""Writing files so that a reader never sees half of one: a temporary file beside the
target, then ``os.replace`` (a reader sees the old file or the new one), and, where the
write must survive a power cut, the file and its folder flushed to disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk, where the filesystem can (some
    network filesystems refuse fsync on a folder: nothing more can be done there)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text_atomic(path: Path, text: str, *, durable: bool = False, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` in one step. ``durable``: the file is fsynced before
    the rename and the folder after it. ``mode``: the file's permissions (a temporary
    file is made 0600). The temporary file is removed when anything fails."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(path.parent)
