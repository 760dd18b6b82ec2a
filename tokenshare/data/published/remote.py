"""Snapshots published at a URL: ``TOKENSHARE_SNAPSHOT=https://host/path/snapshot/``
(or ``http://``, or ``s3://bucket/prefix/``).

A team publishes one snapshot folder in object storage or on any web server and every
deployed copy of the app reads it. Opening one:

1. ``manifest.json`` is fetched and checked exactly like a local one.
2. Every file the manifest lists is streamed once and its sha256 compared with the
   manifest (nothing is trusted that was not checked), and ``labs.csv`` is parsed and
   checked.
3. With DuckDB's **httpfs** extension available, the Parquet files are then checked and
   queried **in place**: DuckDB reads them over HTTP with range requests, fetching only
   the footers and the row groups a query needs. The query database is built in memory.
   ``TOKENSHARE_HTTPFS_PATH`` names an extension file to load instead of DuckDB's
   installed one (tests/data/test_httpfs_in_place.py proves this path with DuckDB 1.5.5 and
   the httpfs build from PyPI).
4. Without httpfs (it is a separate download DuckDB makes at first use, which this
   machine cannot reach), the files are **copied** into a local cache
   (``TOKENSHARE_CACHE_DIR``, default ``data/cache/``) while their checksums are
   computed, the copy is validated like any local snapshot, and the app says so. An
   interrupted download resumes with an HTTP range request. The next start reuses the
   copy when the manifest is unchanged. ``s3://`` URLs need httpfs (or use the bucket's
   ``https://`` address).

Only ``requests`` and DuckDB are used: no value is ever formatted into SQL text."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from tokenshare.core import settings, sql
from tokenshare.data.published import reader
from tokenshare.data.snapshot.layout import (
    LABS_FILE,
    MANIFEST_FILE,
    OPTIONAL_FILES,
    REQUIRED_FILES,
    Snapshot,
    SnapshotError,
    check_manifest_text,
    read_labs_csv,
    snapshot_id_of,
)
from tokenshare.data.snapshot.validate import (
    VALIDATION_MEMORY_LIMIT,
    check_labs_row_count,
    check_parquet_files,
    load_snapshot,
)

URL_SCHEMES = ("http://", "https://", "s3://")
MAX_RESUMES = 5


def is_snapshot_url(value) -> bool:
    return isinstance(value, str) and value.lower().startswith(URL_SCHEMES)


class UrlPath(str):
    """A snapshot folder's URL that joins like a Path: ``UrlPath(u) / "usage.parquet"``."""

    def __new__(cls, url: str):
        return super().__new__(cls, url.rstrip("/"))

    def __truediv__(self, name: str) -> "UrlPath":
        return UrlPath(f"{self}/{name}")

    @property
    def name(self) -> str:
        return self.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- httpfs


_httpfs_lock = threading.Lock()
_httpfs_state: dict[str, str | bool] = {}


def httpfs_file() -> str | None:
    """``TOKENSHARE_HTTPFS_PATH``: an httpfs extension file to load instead of DuckDB's
    installed one (``httpfs.duckdb_extension``, e.g. from the PyPI package
    ``duckdb-extension-httpfs``; it must be built for this DuckDB version)."""
    return settings.httpfs_path()


def httpfs_status() -> tuple[bool, str]:
    """Whether DuckDB's httpfs extension can be loaded here, and if not, why (checked
    once per process). With ``TOKENSHARE_HTTPFS_PATH`` that file is loaded (nothing is
    downloaded). Otherwise an extension not yet installed is downloaded by DuckDB
    (``INSTALL httpfs``) unless ``TOKENSHARE_HTTPFS_INSTALL=0``; ``TOKENSHARE_HTTPFS=0``
    says no without trying."""
    if not settings.httpfs_enabled():
        return False, "switched off with TOKENSHARE_HTTPFS=0"
    with _httpfs_lock:
        if "ok" not in _httpfs_state:
            con = duckdb.connect(":memory:")
            try:
                if httpfs_file():
                    load_httpfs(con)
                else:
                    try:
                        con.load_extension("httpfs")
                    except duckdb.Error:
                        if not settings.httpfs_install_allowed():
                            raise
                        con.install_extension("httpfs")
                        con.load_extension("httpfs")
                _httpfs_state.update(ok=True, why="")
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                _httpfs_state.update(ok=False, why=first)
            finally:
                con.close()
        return bool(_httpfs_state["ok"]), str(_httpfs_state["why"])


def load_httpfs(con) -> None:
    """Load httpfs on a DuckDB connection (raises duckdb.Error when it cannot be had):
    the file ``TOKENSHARE_HTTPFS_PATH`` names, else DuckDB's installed extension."""
    con.load_extension(httpfs_file() or "httpfs")


# --------------------------------------------------------------------------- fetching


def http_session():
    """A requests session that names this app; the remote readers share its settings."""
    import requests

    s = requests.Session()
    s.headers["User-Agent"] = "tokenshare (snapshot reader)"
    return s


def fetch_bytes(url: UrlPath, name: str, *, session=None) -> bytes:
    """A small file of the snapshot (manifest, labs.csv), whole, through the one remote
    reader (streamed, its kind's byte limit and deadline, redirects within the origin)."""
    if url.lower().startswith("s3://"):
        return _read_blob_duckdb(url / name, name, url)
    answer = reader.get(session or http_session(), url / name, name, url)
    if answer.status != 200:
        raise SnapshotError(f"cannot be fetched: HTTP {answer.status}", path=url, file=name)
    return answer.body


def _read_blob_duckdb(file_url: str, name: str, url: UrlPath) -> bytes:
    ok, why = httpfs_status()
    if not ok:
        raise SnapshotError(
            f"s3:// snapshots are read with DuckDB's httpfs extension, which is not available here "
            f"({why}); publish the folder over https:// (a public bucket's https address works) or "
            "install httpfs", path=url, file=name,
        )
    con = duckdb.connect(":memory:")
    try:
        load_httpfs(con)
        row = sql.run(con, "remote_read_blob", {"url": file_url}).fetchone()
    except duckdb.Error as exc:
        raise SnapshotError(f"cannot be read: {str(exc).splitlines()[0]}", path=url, file=name)
    finally:
        con.close()
    return bytes(row[0])


def stream_to(url: UrlPath, name: str, dest, *, session=None) -> tuple[str, int]:
    """Stream one file of the snapshot into ``dest`` (a binary file object, or None to
    only hash it), computing its sha256. A connection that breaks off is resumed with a
    ``Range: bytes=N-`` request (up to MAX_RESUMES times); a server that ignores the
    range (answers 200 with the whole file) is read again from the start.
    Returns (sha256 hex, bytes)."""
    if url.lower().startswith("s3://"):
        data = _read_blob_duckdb(url / name, name, url)
        if dest is not None:
            dest.write(data)
        return hashlib.sha256(data).hexdigest(), len(data)
    session = session or http_session()
    digest = hashlib.sha256()
    done = 0
    resumes = 0
    t_end = time.monotonic() + reader.DEADLINES[reader.kind_of(name)]  # for the whole file, resumes included

    def take(chunk: bytes) -> None:
        nonlocal done
        digest.update(chunk)
        done += len(chunk)
        if dest is not None:
            dest.write(chunk)

    def restart_if_whole(status: int) -> None:
        nonlocal digest, done
        if done and status == 200:  # range ignored: start over
            digest, done = hashlib.sha256(), 0
            if dest is not None:
                dest.seek(0)
                dest.truncate()

    while True:
        headers = {"Range": f"bytes={done}-"} if done else {}
        try:
            answer = reader.get(session, url / name, name, url, headers=headers, sink=take, accept=(200, 206),
                                until=t_end, on_status=restart_if_whole)
        except reader.Broken:
            resumes += 1
            if resumes > MAX_RESUMES:
                raise
            continue
        if answer.status not in (200, 206):
            raise SnapshotError(f"cannot be fetched: HTTP {answer.status}", path=url, file=name)
        return digest.hexdigest(), done


# --------------------------------------------------------------------------- opening


def fetch_manifest(url: UrlPath, *, session=None, expect_sha256: str | None = None) -> tuple[dict, bytes]:
    """The manifest, checked; with ``expect_sha256`` (a published root's pointer) its
    bytes must have that sha256."""
    raw = fetch_bytes(url, MANIFEST_FILE, session=session)
    if expect_sha256 is not None and hashlib.sha256(raw).hexdigest() != expect_sha256:
        actual = hashlib.sha256(raw).hexdigest()
        raise SnapshotError(
            f"checksum mismatch: latest.json says sha256 {expect_sha256[:12]}..., the published manifest has "
            f"{actual[:12]}... (changed after it was published, or an upload still under way)",
            path=url, file=MANIFEST_FILE,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SnapshotError("is not UTF-8 text", path=url, file=MANIFEST_FILE)
    manifest = check_manifest_text(text, url)
    for name in manifest["files"]:
        if name not in REQUIRED_FILES + OPTIONAL_FILES:
            raise SnapshotError(f"lists unknown file {name!r}", path=url, file=MANIFEST_FILE, column="files")
    for name in REQUIRED_FILES:
        if name != MANIFEST_FILE and name not in manifest["files"]:
            raise SnapshotError("is missing from manifest.json", path=url, file=name)
    return manifest, raw


def _expected_sha(url: UrlPath, manifest: dict, name: str) -> str:
    meta = manifest["files"][name]
    expected = meta.get("sha256") if isinstance(meta, dict) else None
    if not expected:
        raise SnapshotError(f"no sha256 for {name}", path=url, file=MANIFEST_FILE, column="files")
    return expected


def _mismatch(url: UrlPath, name: str, expected: str, actual: str) -> SnapshotError:
    return SnapshotError(
        f"checksum mismatch: manifest says sha256 {expected[:12]}..., the file has {actual[:12]}... "
        "(the file changed after the snapshot was written)", path=url, file=name,
    )


def verify_remote(url: str, *, session=None, expect_manifest_sha256: str | None = None) -> Snapshot:
    """Check a published snapshot where it is, without keeping a copy: the manifest,
    every listed file's sha256 (streamed), labs.csv; then, with httpfs, every DuckDB
    check on the Parquet files read in place. Returns a Snapshot whose ``path`` is the
    URL (a UrlPath), which SnapshotDB reads through httpfs."""
    url = UrlPath(url)
    session = session or (None if url.lower().startswith("s3://") else http_session())
    manifest, _ = fetch_manifest(url, session=session, expect_sha256=expect_manifest_sha256)
    for name in sorted(manifest["files"]):
        actual, _ = stream_to(url, name, None, session=session)
        expected = _expected_sha(url, manifest, name)
        if actual != expected:
            raise _mismatch(url, name, expected, actual)
    _check_labs_bytes(url, manifest, fetch_bytes(url, LABS_FILE, session=session))
    ok, why = httpfs_status()
    if not ok:
        raise SnapshotError(
            f"reading Parquet in place needs DuckDB's httpfs extension, which is not available here ({why})",
            path=url, file="usage.parquet",
        )
    con = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": VALIDATION_MEMORY_LIMIT})
    try:
        load_httpfs(con)
        check_parquet_files(con, url, manifest)
    finally:
        con.close()
    return Snapshot(path=url, manifest=manifest, snapshot_id=snapshot_id_of(manifest))


def _check_labs_bytes(url: UrlPath, manifest: dict, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / LABS_FILE
        p.write_bytes(data)
        rows = read_labs_csv(p, snapshot_path=url)
    check_labs_row_count(url, manifest, rows)


def cache_root() -> Path:
    return settings.cache_dir()


def copy_dir_for(url: str, snapshot_id: str) -> Path:
    """Where the copy of snapshot ``snapshot_id`` from ``url`` (a snapshot's URL, or a
    published root's: one folder per root) is kept."""
    key = hashlib.sha256(url.rstrip("/").encode("utf-8")).hexdigest()[:16]
    return cache_root() / "remote" / key / snapshot_id


def download_snapshot(url: str, *, session=None, expect_manifest_sha256: str | None = None,
                      cache_key: str | None = None) -> Snapshot:
    """Copy a published snapshot into the local cache, checking every file's sha256 as
    it streams in, validate the copy like any local snapshot, and return it. A copy of
    the same manifest already in the cache is reused (after the cheap stamp check).
    ``cache_key``: the URL the copies are kept under (a published root's, so each new
    snapshot of the root replaces the older copies); default ``url``. The copy before
    the new one is kept too (sessions still on it finish their run)."""
    url = UrlPath(url)
    session = session or (None if url.lower().startswith("s3://") else http_session())
    manifest, raw = fetch_manifest(url, session=session, expect_sha256=expect_manifest_sha256)
    snapshot_id = snapshot_id_of(manifest)
    dest = copy_dir_for(cache_key or url, snapshot_id)
    if (dest / MANIFEST_FILE).is_file():
        try:
            return load_snapshot(dest)
        except SnapshotError:
            shutil.rmtree(dest, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".download-", dir=dest.parent))
    try:
        for name in sorted(manifest["files"]):
            with open(tmp / name, "wb") as fh:
                actual, _ = stream_to(url, name, fh, session=session)
            expected = _expected_sha(url, manifest, name)
            if actual != expected:
                raise _mismatch(url, name, expected, actual)
        (tmp / MANIFEST_FILE).write_bytes(raw)
        try:
            os.rename(tmp, dest)
        except OSError:  # another process sharing the cache copied the same snapshot first
            if not (dest / MANIFEST_FILE).is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        local = load_snapshot(dest)
    except SnapshotError as exc:
        shutil.rmtree(dest, ignore_errors=True)
        raise SnapshotError(exc.message, path=url, file=exc.file, column=exc.column, row=exc.row)
    older = sorted((d for d in dest.parent.iterdir() if d != dest and not d.name.startswith(".")),
                   key=lambda d: d.stat().st_mtime_ns, reverse=True)
    for old in older[1:]:  # earlier copies of this URL, all but the newest of them
        shutil.rmtree(old, ignore_errors=True)
    return local


def open_remote(url: str, *, session=None, expect_manifest_sha256: str | None = None,
                cache_key: str | None = None) -> tuple[Snapshot, list[str]]:
    """The snapshot at ``url`` and notes for the page: read in place with httpfs, else
    from a checked local copy (see ``download_snapshot`` for the keywords)."""
    ok, why = httpfs_status()
    if ok:
        return verify_remote(url, session=session, expect_manifest_sha256=expect_manifest_sha256), []
    local = download_snapshot(url, session=session, expect_manifest_sha256=expect_manifest_sha256,
                              cache_key=cache_key)
    note = (
        f"The snapshot at `{url}` is read from a local copy (`{settings.shown_path(local.path)}`): DuckDB's httpfs extension, "
        f"which reads snapshot files in place over the network, is not available here ({why}). "
        "Every file of the copy matched the manifest's sha256 and passed the same checks as a local snapshot."
    )
    return local, [note]
