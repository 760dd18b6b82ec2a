"""One refresh at a time per snapshots folder: a lock file held for the whole run.

``refresh_lock(out_dir)`` takes an exclusive ``flock`` on ``out_dir/.refresh.lock`` or
raises ``RefreshError`` at once, naming the run that holds it. The kernel drops the lock
when its process ends, however it ends, so a run killed mid-way leaves no stale lock:
the file it leaves behind is not a held lock, and the next run takes it. (Two sessions
of one app process are two open files, so they exclude each other too.)

Without it, two clicks in the same second both fetched with the owner's key and one
run's folder replaced the other's.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tokenshare.data.refresh.errors import RefreshError

LOCK_NAME = ".refresh.lock"  # hidden: never taken for a snapshot folder


def _holder(fd: int) -> str:
    """What the holder wrote into the lock file (its process id and start time)."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return " ".join(text.split())[:120]


@contextmanager
def refresh_lock(out_dir: Path) -> Iterator[Path]:
    """Hold the refresh lock of ``out_dir`` (created if missing) for the ``with`` block."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise RefreshError(
                "another refresh is running into this folder" + (f" ({holder})" if holder else "")
                + "; only one runs at a time. Try again when it has finished",
                stage="starting",
            ) from None
        # The holder before us unlinks the file as it releases it: a lock on an unlinked
        # file locks nothing, so take it again on the file now at ``path``.
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)
    try:
        started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()}, started {started}\n".encode(), 0)
        yield path
    finally:
        try:
            os.unlink(path)  # before the release, so a waiter re-checks (above)
        except OSError:
            pass
        os.close(fd)


def lock_held(out_dir: Path) -> bool:
    """Whether a refresh holds the lock of ``out_dir`` now (in any process, this one
    included): the liveness of a run, from the lock the kernel drops when the run's
    process ends, not from a process id (which a restart or a container's PID 1 reuses).
    Asked without blocking and without creating anything; a lock file that cannot be
    opened counts as not held."""
    try:
        fd = os.open(Path(out_dir) / LOCK_NAME, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False  # no lock file: no run (a run unlinks it as it ends)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # releases the shared lock taken to ask, if it was taken
    return False
