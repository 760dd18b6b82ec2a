"""Snapshots published at a URL (TOKENSHARE_SNAPSHOT=http://...), against a real HTTP
server on 127.0.0.1 that serves a snapshot folder and answers range requests.

What runs here: the manifest and labs.csv fetched over HTTP, every file's sha256
checked by streaming, an interrupted download resumed with a Range request, the
checked local copy the app falls back to when DuckDB's httpfs extension is missing
(it is on this machine: DuckDB downloads it at first use), reuse of that copy, and the
app itself on a published snapshot. Reading the Parquet files in place runs only where
httpfs loads (the test says so when skipped)."""

from __future__ import annotations

import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from streamlit.testing.v1 import AppTest

from tests.tiny import build_tiny_snapshot
from tokenshare.data.published import reader, remote
from tokenshare.app import state
from tokenshare.data.snapshot.layout import SnapshotError
from tokenshare.data.published.locate import resolve_snapshot

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with single byte ranges (``bytes=a-b``, ``bytes=a-``, ``bytes=-n``),
    a request log, and an optional first response cut off midway."""

    log: list[tuple[str, str, str | None]]
    cut_once: dict[str, int]

    def log_message(self, *args):  # quiet
        pass

    def _serve(self, head: bool) -> None:
        self.log.append((self.command, self.path, self.headers.get("Range")))
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        size = len(data)
        rng = self.headers.get("Range")
        status, body = 200, data
        if rng:
            m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())
            if not m or (not m.group(1) and not m.group(2)):
                self.send_error(416)
                return
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
            else:
                start, end = max(size - int(m.group(2)), 0), size - 1
            if start >= size or start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.end_headers()
                return
            status, body = 206, data[start:end + 1]
        self.send_response(status)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(body)))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if head:
            return
        cut = self.cut_once.pop(path.name, None) if status == 200 else None
        if cut is not None:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    log: list = []
    cut: dict = {}
    handler = type("H", (RangeHandler,), {"log": log, "cut_once": cut})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield {"root": root, "base": base, "log": log, "cut": cut}
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def published(server, tmp_path, monkeypatch):
    """The tiny snapshot published at <server>/snap/ (its data files only)."""
    snap = build_tiny_snapshot(tmp_path / "src")
    dest = server["root"] / "snap"
    shutil.copytree(snap.path, dest, ignore=shutil.ignore_patterns("derived_*"))
    monkeypatch.setenv("TOKENSHARE_CACHE_DIR", str(tmp_path / "cache"))
    return {**server, "url": server["base"] + "/snap/", "snapshot": snap, "dir": dest}


@pytest.fixture(autouse=True)
def no_extension_download(monkeypatch):
    """The tests never make DuckDB download an extension: httpfs counts as available
    only where it is already installed."""
    monkeypatch.setenv("TOKENSHARE_HTTPFS_INSTALL", "0")
    monkeypatch.setattr(remote, "_httpfs_state", {})


def _gets(log, name):
    return [r for r in log if r[0] == "GET" and r[1].endswith("/" + name)]


# --------------------------------------------------------------------------- the pieces


def test_urls_are_recognised_and_joined():
    assert remote.is_snapshot_url("https://example.org/snap")
    assert remote.is_snapshot_url("s3://bucket/snap/")
    assert not remote.is_snapshot_url("/data/snapshots/x")
    assert not remote.is_snapshot_url(None)
    u = remote.UrlPath("https://example.org/snap/")
    assert u / "usage.parquet" == "https://example.org/snap/usage.parquet"
    assert (u / "manifest.json").name == "manifest.json"


def test_the_server_answers_range_requests(published):
    url = published["url"] + "usage.parquet"
    whole = (published["dir"] / "usage.parquet").read_bytes()
    r = requests.get(url, headers={"Range": "bytes=4-11"}, timeout=10)
    assert r.status_code == 206 and r.content == whole[4:12]
    assert r.headers["Content-Range"] == f"bytes 4-11/{len(whole)}"
    tail = requests.get(url, headers={"Range": "bytes=-8"}, timeout=10)  # a Parquet footer read
    assert tail.status_code == 206 and tail.content == whole[-8:] and tail.content.endswith(b"PAR1")
    assert requests.head(url, timeout=10).headers["Accept-Ranges"] == "bytes"


def test_manifest_and_labs_are_fetched_over_http(published):
    url = remote.UrlPath(published["url"])
    manifest, raw = remote.fetch_manifest(url)
    assert manifest == published["snapshot"].manifest
    assert raw == (published["dir"] / "manifest.json").read_bytes()
    labs = remote.fetch_bytes(url, "labs.csv")
    assert labs.startswith(b"author,lab_name,country_code,country_name")


def test_checksums_are_verified_by_streaming(published):
    url = remote.UrlPath(published["url"])
    for name, meta in published["snapshot"].manifest["files"].items():
        digest, size = remote.stream_to(url, name, None)
        assert digest == meta["sha256"]
        assert size == (published["dir"] / name).stat().st_size


def test_a_changed_remote_file_is_caught_before_anything_is_read(published):
    usage = published["dir"] / "usage.parquet"
    data = bytearray(usage.read_bytes())
    data[len(data) // 2] ^= 0xFF
    usage.write_bytes(bytes(data))
    with pytest.raises(SnapshotError, match=r"usage.parquet: checksum mismatch"):
        remote.verify_remote(published["url"])
    with pytest.raises(SnapshotError, match=r"usage.parquet: checksum mismatch"):
        remote.download_snapshot(published["url"])
    assert not any(p.is_dir() and not p.name.startswith(".")
                   for p in (Path(remote.cache_root()) / "remote").rglob("*") if p.name == "usage.parquet")


def test_an_interrupted_download_resumes_with_a_range_request(published, monkeypatch):
    monkeypatch.setattr(reader, "CHUNK", 64)  # the tiny file arrives in several chunks
    size = (published["dir"] / "usage.parquet").stat().st_size
    cut = size // 3
    published["cut"]["usage.parquet"] = cut
    local = remote.download_snapshot(published["url"])
    gets = _gets(published["log"], "usage.parquet")
    assert len(gets) == 2 and gets[0][2] is None
    resumed_at = int(re.fullmatch(r"bytes=(\d+)-", gets[1][2]).group(1))
    assert 0 < resumed_at <= cut  # only what had not arrived was asked for again
    assert (local.path / "usage.parquet").read_bytes() == (published["dir"] / "usage.parquet").read_bytes()
    assert local.snapshot_id == published["snapshot"].snapshot_id


def test_the_local_copy_is_reused_while_the_manifest_is_unchanged(published):
    first = remote.download_snapshot(published["url"])
    n = len(_gets(published["log"], "usage.parquet"))
    again = remote.download_snapshot(published["url"])
    assert again.path == first.path
    assert len(_gets(published["log"], "usage.parquet")) == n  # only the manifest was fetched again
    assert len(_gets(published["log"], "manifest.json")) == 2


def test_a_missing_remote_snapshot_falls_back_with_the_reason(server, tmp_path, monkeypatch):
    monkeypatch.setenv("TOKENSHARE_CACHE_DIR", str(tmp_path / "cache"))
    sample = build_tiny_snapshot(tmp_path / "sample")
    res = resolve_snapshot(server["base"] + "/nothing-here/", tmp_path / "none", sample.path)
    assert res.snapshot.path == sample.path
    assert res.problems == [(server["base"] + "/nothing-here/", "manifest.json: cannot be fetched: HTTP 404 "
                             "(and there is no latest.json either: not a published root)")]


def test_s3_without_httpfs_says_what_to_do(monkeypatch):
    monkeypatch.setenv("TOKENSHARE_HTTPFS", "0")
    with pytest.raises(SnapshotError, match=r"httpfs extension, which is not available here .*https://"):
        remote.open_remote("s3://some-bucket/tokenshare/snapshot/")


def test_httpfs_status_is_a_clear_yes_or_no():
    ok, why = remote.httpfs_status()
    assert isinstance(ok, bool)
    assert ok or why  # a no always says why


# --------------------------------------------------------------------------- the app


def test_the_app_opens_a_published_snapshot(published, monkeypatch, tmp_path):
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", published["url"])
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "none")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.warning, [w.value for w in at.warning]  # the URL was not skipped
    shown = [m for m in at.metric if m.label.startswith("Open-weight share")]
    assert shown and shown[0].value == "62.0%"  # the tiny snapshot's W3, as from its folder
    ok, _ = remote.httpfs_status()
    notes = [i.value for i in at.info if "local copy" in i.value]
    if ok:
        assert not notes
    else:
        assert notes and "httpfs" in notes[0] and published["url"] in notes[0]


def test_parquet_is_read_in_place_with_httpfs(published):
    from tokenshare.engine.db import SnapshotDB

    ok, why = remote.httpfs_status()
    if not ok:
        pytest.skip(f"DuckDB's httpfs extension is not installed here ({why[:120]})")

    s = remote.verify_remote(published["url"])
    db = SnapshotDB(s)
    df = db.query("open_share_by_period", start=s.start_date, end=s.end_date, grain="week", countries=[], labs=[])
    assert list(df["open_tokens"]) == [1120, 1820, 2170, 740]
    assert any(r[2] for r in published["log"] if r[1].endswith("usage.parquet"))  # range reads
