"""Publishing a snapshot into a *published root* (``python -m tokenshare publish``).

``publish(snapshot_dir, dest)``:

1. checks the snapshot completely (``load_snapshot``) and refuses an invalid one
   (``allow_invalid`` publishes it anyway, if at least its manifest can be read) or a
   synthetic one (``allow_synthetic``);
2. takes the root's lock (``DEST/.publish.lock``, an ``flock``: a second publish into
   the same root stops at once, naming the one that holds it);
3. copies the manifest and the files it lists into a hidden folder in DEST, hashing
   each file as it is read, flushes them to disk, reads the copy back and compares its
   sha256 (a writer that failed or wrote short is caught here), then renames the folder
   to ``DEST/<snapshot id>/``;
4. only then writes ``DEST/latest.json`` (``tokenshare.data.published.pointer.write_pointer``:
   temporary file, fsync, ``os.replace``, folder fsync);
5. and only after the pointer moved removes snapshots beyond the newest ``keep``.

A failure anywhere before step 4 (a full disk, a killed process) leaves the old pointer
naming the old, complete snapshot; the hidden leftovers are removed by the next run."""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from tokenshare.core.files import fsync_dir
from tokenshare.data.snapshot.layout import (
    MANIFEST_FILE,
    OPTIONAL_FILES,
    REQUIRED_FILES,
    SnapshotError,
    check_manifest_bytes,
    snapshot_id_of,
)
from tokenshare.data.published.pointer import (
    ID_RE,
    POINTER_FILE,
    build_pointer,
    history_entry,
    read_local_pointer,
    utc_now,
    write_pointer,
)
from tokenshare.data.published.retention import keep_ids
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.data.snapshot.layout import MAX_MANIFEST_BYTES

LOCK_NAME = ".publish.lock"
TMP_PREFIX = ".publishing-"
CHUNK = 1 << 20


class PublishError(Exception):
    """Publishing refused or failed; the message says why (and the root is unchanged)."""


@dataclass
class Published:
    """What a publish did."""

    snapshot_id: str
    folder: Path
    pointer: dict
    copied: bool  # False when the root already held this snapshot complete
    removed: list[str] = field(default_factory=list)
    previous_id: str | None = None
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the lock


@contextmanager
def publish_lock(dest: Path) -> Iterator[None]:
    """Hold ``dest/.publish.lock`` (an exclusive flock) or raise PublishError at once.
    The kernel drops it when the process ends, however it ends."""
    path = dest / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = " ".join(os.pread(fd, 200, 0).decode("utf-8", "replace").split())[:120]
            except OSError:
                holder = ""
            os.close(fd)
            raise PublishError(
                f"another publish is running into {dest}" + (f" ({holder})" if holder else "")
                + "; only one runs at a time. Nothing was changed; try again when it has finished"
            ) from None
        try:  # the holder before us unlinked the file as it let go: lock the one now there
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()}, started {utc_now()}\n".encode(), 0)
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)


# --------------------------------------------------------------------------- the source


def _read_manifest(snapshot_dir: Path) -> tuple[dict, bytes]:
    try:
        with open_plain(snapshot_dir / MANIFEST_FILE) as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except PublishError as exc:
        raise SnapshotError(str(exc), path=snapshot_dir, file=MANIFEST_FILE)
    except OSError as exc:
        raise SnapshotError(f"cannot read: {exc.strerror or exc}", path=snapshot_dir, file=MANIFEST_FILE)
    return check_manifest_bytes(raw, snapshot_dir), raw


def check_source(snapshot_dir: Path, allow_synthetic: bool, allow_invalid: bool) -> tuple[dict, bytes, list[str]]:
    """The snapshot's manifest and manifest bytes, or PublishError saying why not."""
    warnings: list[str] = []
    if not snapshot_dir.is_dir():
        raise PublishError(f"{snapshot_dir} is not a snapshot folder (no such folder)")
    try:
        load_snapshot(snapshot_dir)
    except SnapshotError as exc:
        if not allow_invalid:
            raise PublishError(
                f"{snapshot_dir} is not a valid snapshot ({exc.describe()}); not publishing it. "
                "Fix it, or pass --allow-invalid to publish it as it is"
            )
        warnings.append(f"published although invalid (--allow-invalid): {exc.describe()}")
    try:
        manifest, raw = _read_manifest(snapshot_dir)
    except SnapshotError as exc:
        raise PublishError(f"{snapshot_dir} cannot be published even with --allow-invalid: {exc.describe()}")
    if manifest.get("synthetic") and not allow_synthetic:
        raise PublishError(
            f"{snapshot_dir} is synthetic (generated sample data, not OpenRouter's figures); a published root "
            "serves real data. Pass --allow-synthetic to publish it anyway (a demo or a test)"
        )
    return manifest, raw, warnings


def _check_apart(snapshot_dir: Path, dest: Path) -> None:
    """Refuse a root inside the snapshot or the snapshot inside the root (issue 26:
    ``publish SNAP --to SNAP/sub`` left the source invalid), links resolved."""
    src, root = snapshot_dir.resolve(), dest.resolve()
    if src == root or src in root.parents:
        raise PublishError(f"the published root {dest} is inside the snapshot {snapshot_dir} (or is it); "
                           "publishing there would change the snapshot. Choose a folder outside it")
    if root in src.parents:
        raise PublishError(f"the snapshot {snapshot_dir} is inside the published root {dest}; publish from a "
                           "folder outside the root")


def _files_of(snapshot_dir: Path, manifest: dict) -> list[str]:
    allowed = set(REQUIRED_FILES) | set(OPTIONAL_FILES)
    names = [n for n in sorted(manifest["files"]) if n in allowed and n != MANIFEST_FILE]
    present = []
    for n in names:
        try:
            os.lstat(snapshot_dir / n)
        except FileNotFoundError:
            continue
        except OSError:
            pass
        present.append(n)  # a link, FIFO or device among them is refused by open_plain, unopened
    return present


# --------------------------------------------------------------------------- copying


def open_plain(src: Path):
    """``src`` opened for reading only when it is a regular file and not a symbolic link
    (issue 26: ``--allow-invalid`` followed a linked labs.csv to /etc/passwd); the link
    itself, a FIFO or a device is refused before it is opened."""
    try:
        st_ = os.lstat(src)
    except OSError as exc:
        raise PublishError(f"cannot read {src}: {exc.strerror or exc}")
    if stat.S_ISLNK(st_.st_mode) or not stat.S_ISREG(st_.st_mode):
        kind = "a symbolic link" if stat.S_ISLNK(st_.st_mode) else "not a regular file (a FIFO, a device, a folder)"
        raise PublishError(f"{src} is {kind}; publish copies only plain files, never what a link points to")
    fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the look and the open
        os.close(fd)
        raise PublishError(f"{src} changed while being published; not a regular file now")
    return os.fdopen(fd, "rb")


def copy_file(src: Path, dst: Path) -> str:
    """Copy ``src`` to ``dst`` (a new file), flushed to disk; the sha256 of what was read."""
    digest = hashlib.sha256()
    with open_plain(src) as fin, open(dst, "xb") as fout:
        for chunk in iter(lambda: fin.read(CHUNK), b""):
            digest.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    return digest.hexdigest()


def _sha_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_snapshot(snapshot_dir: Path, manifest: dict, raw: bytes, tmp: Path, strict: bool) -> None:
    for name in _files_of(snapshot_dir, manifest):
        read_sha = copy_file(snapshot_dir / name, tmp / name)
        expected = (manifest["files"][name] or {}).get("sha256") if isinstance(manifest["files"][name], dict) else None
        if strict and read_sha != expected:
            raise PublishError(f"{snapshot_dir / name} changed while it was being published (its sha256 no longer "
                               "matches the manifest); nothing was published")
        if _sha_of(tmp / name) != read_sha:
            raise PublishError(f"the copy of {name} in {tmp.parent} does not read back as written (a failing disk?); "
                               "nothing was published")
    with open(tmp / MANIFEST_FILE, "xb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o755)
    fsync_dir(tmp)


def _complete(folder: Path, manifest: dict, raw: bytes) -> bool:
    """Whether an existing DEST/<id>/ holds exactly this snapshot's files."""
    try:
        if (folder / MANIFEST_FILE).read_bytes() != raw:
            return False
        for name, meta in manifest["files"].items():
            if not isinstance(meta, dict) or _sha_of(folder / name) != meta.get("sha256"):
                return False
    except OSError:
        return False
    return True


def _clean_leftovers(dest: Path) -> None:
    """Hidden folders and pointer temp files a killed or failed run left (we hold the lock)."""
    for entry in dest.iterdir():
        if entry.name.startswith(TMP_PREFIX) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".latest.json.") and entry.name.endswith(".tmp"):
            try:
                entry.unlink()
            except OSError:
                pass


def _place(snapshot_dir: Path, manifest: dict, raw: bytes, dest: Path, snapshot_id: str, strict: bool) -> bool:
    """DEST/<id>/ complete on disk; False when it already was."""
    target = dest / snapshot_id
    if target.is_dir() and _complete(target, manifest, raw):
        return False
    tmp = dest / f"{TMP_PREFIX}{snapshot_id}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _copy_snapshot(snapshot_dir, manifest, raw, tmp, strict)
        if target.exists():  # damaged or different: set aside, replaced in one rename
            aside = dest / f"{TMP_PREFIX}{snapshot_id}-old-{os.getpid()}"
            os.rename(target, aside)
            os.rename(tmp, target)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(tmp, target)
        fsync_dir(dest)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PublishError(
            f"copying the snapshot into {dest} failed ({exc.strerror or exc}); latest.json was not changed "
            "and still names the snapshot it named before"
        )
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return True


# --------------------------------------------------------------------------- publishing


def _old_history(dest: Path) -> tuple[str | None, list[dict], list[str]]:
    if not (dest / POINTER_FILE).exists():
        return None, [], []
    try:
        old = read_local_pointer(dest)
    except SnapshotError as exc:
        return None, [], [f"the root's old latest.json was unreadable and is replaced ({exc.describe()})"]
    hist = old.data.get("history")
    entries = [h for h in hist if isinstance(h, dict) and isinstance(h.get("id"), str)
               and ID_RE.fullmatch(h["id"])] if isinstance(hist, list) else []
    if not any(h["id"] == old.id for h in entries):
        entries.insert(0, history_entry(old.data))
    return old.id, entries, []


def _prune(dest: Path, keep_ids: set[str]) -> list[str]:
    removed = []
    for entry in sorted(dest.iterdir()):
        if entry.is_dir() and ID_RE.fullmatch(entry.name) and entry.name not in keep_ids:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def publish(snapshot_dir, dest, keep: int = 2, allow_synthetic: bool = False, allow_invalid: bool = False,
            *, published_at: str | None = None, retention: tuple[int, int] | None = None) -> Published:
    """Publish the snapshot folder ``snapshot_dir`` into the root ``dest`` (see the module
    docstring). ``retention`` (daily, weekly): keep what ``retention.keep_ids`` keeps
    instead of the newest ``keep``, so pinned links live long. Raises PublishError with
    the reason; the root is then as it was."""
    snapshot_dir, dest = Path(snapshot_dir), Path(dest)
    _check_apart(snapshot_dir, dest)
    if keep < 1:
        raise PublishError(f"--keep must be at least 1 (the snapshot being published), got {keep}")
    manifest, raw, warnings = check_source(snapshot_dir, allow_synthetic, allow_invalid)
    snapshot_id = snapshot_id_of(manifest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"cannot create the published root {dest}: {exc.strerror or exc}")
    if (dest / MANIFEST_FILE).exists():
        raise PublishError(f"{dest} holds a manifest.json: it is a snapshot folder, not a published root")
    with publish_lock(dest):
        _clean_leftovers(dest)
        previous_id, history, notes = _old_history(dest)
        copied = _place(snapshot_dir, manifest, raw, dest, snapshot_id, strict=not allow_invalid)
        pointer = build_pointer(snapshot_id, manifest, raw, published_at or utc_now(), [])
        kept = [history_entry(pointer)] + [h for h in history if h["id"] != snapshot_id and (dest / h["id"]).is_dir()]
        if retention is not None:
            chosen = set(keep_ids(kept, *retention))
            pointer["history"] = [h for h in kept if h["id"] in chosen]
        else:
            pointer["history"] = kept[:keep]
        try:
            write_pointer(dest, pointer)
        except OSError as exc:
            raise PublishError(
                f"writing {dest / POINTER_FILE} failed ({exc.strerror or exc}); the old pointer is unchanged "
                f"and {dest / snapshot_id} is complete, so publishing again will only move the pointer"
            )
        removed = _prune(dest, {h["id"] for h in pointer["history"]})
    return Published(snapshot_id, dest / snapshot_id, pointer, copied, removed, previous_id, warnings + notes)
