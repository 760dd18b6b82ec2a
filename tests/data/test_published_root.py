"""The app reading a published root (``TOKENSHARE_SNAPSHOT`` = a folder holding
latest.json, or the http:// URL of one served by a real server on 127.0.0.1).

Roots are filled with the real ``publish``; faults are made on the served files or the
server itself. Every fault keeps the snapshot already open from the root, with the
reason; on a cold start the app falls back as for any broken snapshot. The last tests
run the app (AppTest) and watch it move to a newly published snapshot on the next rerun,
without a restart, its headline equal to an independent computation on the new files."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import metric
from tests.data.test_remote_snapshot import RangeHandler
from tests.hostile import tried
from tests.polling import wait_until
from tests.pages.test_share import independent_open_share_last_full_week
from tests.tiny import build_tiny_snapshot, tiny_usage
from tokenshare.app import state
from tokenshare.data.published import remote
from tokenshare.data.published.locate import KEPT_BECAUSE, resolve_snapshot
from tokenshare.data.published.pointer import POINTER_FILE
from tokenshare.data.published.publish import publish

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


class FlakyHandler(RangeHandler):
    """RangeHandler whose files named in ``broken`` break off halfway, every time (the
    server going away mid-read, each resume included)."""

    broken: set
    slow: set = set()
    forbidden: set = set()  # answered 403, as object stores answer for a missing key

    def _serve(self, head: bool) -> None:
        path = Path(self.translate_path(self.path))
        if path.name in self.slow:
            time.sleep(0.5)
        if path.name in self.forbidden:
            self.log.append((self.command, self.path, None))
            self.send_error(403)
            return
        if head or path.name not in self.broken or not path.is_file():
            return super()._serve(head)
        self.log.append((self.command, self.path, self.headers.get("Range")))
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True


@pytest.fixture(scope="module")
def snaps(tmp_path_factory):
    """Three tiny snapshots: A (the hand-worked one), B (GPT-5's tokens tripled: other
    figures), C (another as_of)."""
    base = tmp_path_factory.mktemp("root-snaps")
    a = build_tiny_snapshot(base / "a")
    usage = [{**r, "total_tokens": r["total_tokens"] * 3 if r["model_permaslug"] == "openai/gpt-5"
              else r["total_tokens"]} for r in tiny_usage()]
    b = build_tiny_snapshot(base / "b", usage=usage, as_of="2026-01-29T02:00:00Z")
    c = build_tiny_snapshot(base / "c", as_of="2026-01-30T02:00:00Z")
    return {"a": a, "b": b, "c": c, "fallback": build_tiny_snapshot(base / "fallback", as_of="2026-01-01T00:00:00Z")}


@pytest.fixture
def server(tmp_path, monkeypatch):
    www = tmp_path / "www"
    www.mkdir()
    log: list = []
    broken: set = set()
    slow: set = set()
    forbidden: set = set()
    handler = type("H", (FlakyHandler,), {"log": log, "cut_once": {}, "broken": broken, "slow": slow,
                                          "forbidden": forbidden})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(www)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TOKENSHARE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TOKENSHARE_HTTPFS_INSTALL", "0")  # never make DuckDB download an extension
    monkeypatch.setattr(remote, "_httpfs_state", {})
    monkeypatch.setattr(remote, "MAX_RESUMES", 2)
    srv = {"www": www, "root": www / "root", "url": f"http://127.0.0.1:{httpd.server_address[1]}/root/",
           "log": log, "broken": broken, "slow": slow, "forbidden": forbidden, "httpd": httpd}
    try:
        yield srv
    finally:
        httpd.shutdown()
        httpd.server_close()


def resolve(location, snaps, previous=None):
    return resolve_snapshot(location, Path("/nonexistent-snapshots"), snaps["fallback"].path, previous_root=previous)


def gets(log, suffix):
    return [r for r in log if r[0] == "GET" and r[1].endswith(suffix)]


# --------------------------------------------------------------------------- opening


def test_a_url_root_opens_the_snapshot_its_pointer_names(server, snaps):
    publish(snaps["a"].path, server["root"])
    res = resolve(server["url"], snaps)
    assert res.problems == [] and res.chosen_because == "TOKENSHARE_SNAPSHOT (published root)"
    assert res.snapshot.snapshot_id == snaps["a"].snapshot_id
    assert res.root.serving_id == snaps["a"].snapshot_id and res.root.error is None
    assert res.root.pointer.id == snaps["a"].snapshot_id
    assert gets(server["log"], f"/root/{snaps['a'].snapshot_id}/usage.parquet")  # read from its folder
    same = resolve(server["url"] + POINTER_FILE, snaps)  # the pointer's own URL works too
    assert same.snapshot.snapshot_id == snaps["a"].snapshot_id and same.problems == []


def test_a_recheck_with_an_unchanged_pointer_reads_only_the_pointer(server, snaps):
    publish(snaps["a"].path, server["root"])
    first = resolve(server["url"], snaps)
    before = len(server["log"])
    again = resolve(server["url"], snaps, first.opened_root)
    assert again.snapshot is first.snapshot and again.problems == []
    assert [r[1] for r in server["log"][before:]] == ["/root/latest.json"]


def test_a_new_publish_is_followed_and_old_local_copies_go(server, snaps):
    publish(snaps["a"].path, server["root"])
    res = resolve(server["url"], snaps)
    for name in ("b", "c"):
        publish(snaps[name].path, server["root"])
        res = resolve(server["url"], snaps, res.opened_root)
        assert res.snapshot.snapshot_id == snaps[name].snapshot_id and res.problems == []
    if not remote.httpfs_status()[0]:  # local copies: one folder per root, the newest two kept
        copies = sorted(p.name for p in res.snapshot.path.parent.iterdir() if not p.name.startswith("."))
        assert copies == sorted([snaps["b"].snapshot_id, snaps["c"].snapshot_id])


def test_two_readers_copying_the_same_new_snapshot_at_once_both_open_it(server, snaps):
    """Two app processes sharing the cache folder: both download (the server is slow),
    the second rename finds the first one's copy and uses it."""
    publish(snaps["a"].path, server["root"])
    server["slow"].add("usage.parquet")
    url = server["url"] + snaps["a"].snapshot_id + "/"
    out, errors = [], []

    def read():
        try:
            out.append(remote.download_snapshot(url, cache_key=server["url"]))
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(out) == 2
    assert out[0].path == out[1].path and out[0].snapshot_id == snaps["a"].snapshot_id
    assert len(gets(server["log"], "/usage.parquet")) == 2  # both were copying at once
    assert not [p for p in out[0].path.parent.iterdir() if p.name.startswith(".download-")]


@pytest.mark.parametrize("absent", [404, 403])
def test_a_plain_snapshot_url_still_opens_as_one(server, snaps, absent):
    """A snapshot folder's URL (no latest.json: 404, or 403 as object stores answer) opens
    as before, after one request for latest.json."""
    shutil.copytree(snaps["a"].path, server["www"] / "snap", ignore=shutil.ignore_patterns("derived_*"))
    if absent == 403:
        server["forbidden"].add(POINTER_FILE)
    url = server["url"].replace("/root/", "/snap/")
    res = resolve(url, snaps)
    assert res.problems == [] and res.chosen_because == "TOKENSHARE_SNAPSHOT" and res.root is None
    assert res.snapshot.snapshot_id == snaps["a"].snapshot_id
    assert len(gets(server["log"], "/snap/latest.json")) == 1


def test_a_local_root_is_followed(tmp_path, snaps):
    root = tmp_path / "root"
    publish(snaps["a"].path, root)
    res = resolve(str(root), snaps)
    assert res.snapshot.path == root / snaps["a"].snapshot_id and res.problems == []
    publish(snaps["b"].path, root)
    res = resolve(str(root), snaps, res.opened_root)
    assert res.snapshot.path == root / snaps["b"].snapshot_id and res.root.error is None


# --------------------------------------------------------------------------- faults


def _fault(case: str, root: Path, snaps, server=None):
    """Break the root (A published and open) the way ``case`` says; the expected reason."""
    pointer = json.loads((root / POINTER_FILE).read_text())
    if case == "missing latest.json":
        (root / POINTER_FILE).unlink()
        return "latest.json: "
    if case == "pointer to a missing snapshot":
        publish(snaps["b"].path, root)
        shutil.rmtree(root / snaps["b"].snapshot_id)
        return f"names snapshot {snaps['b'].snapshot_id}, but "
    if case == "corrupt snapshot file":
        publish(snaps["b"].path, root)
        usage = root / snaps["b"].snapshot_id / "usage.parquet"
        data = bytearray(usage.read_bytes())
        data[len(data) // 2] ^= 0xFF
        usage.write_bytes(bytes(data))
        for stamp in usage.parent.glob("derived_*"):
            stamp.unlink()
        return "usage.parquet: checksum mismatch"
    if case == "manifest checksum mismatch":
        publish(snaps["b"].path, root)
        p = json.loads((root / POINTER_FILE).read_text())
        p["manifest_sha256"] = "0" * 64
        (root / POINTER_FILE).write_text(json.dumps(p))
        return "checksum mismatch: latest.json says sha256 000000000000"
    if case == "newer pointer_version":
        pointer["pointer_version"] = 2
        (root / POINTER_FILE).write_text(json.dumps(pointer))
        return "written by a newer tokenshare (pointer_version 2; this app reads version 1)"
    if case == "pointer not JSON":
        (root / POINTER_FILE).write_text('{"pointer_version": 1, "id": ')
        return "latest.json: is not valid JSON"
    if case == "pointer path escapes the root":
        pointer["path"] = "../../etc/"
        (root / POINTER_FILE).write_text(json.dumps(pointer))
        return "field 'path' must be"
    if case == "pointer too large":
        (root / POINTER_FILE).write_bytes(b" " * (65 << 10) + b"{}")
        return "larger than 64 KiB"
    if case == "server breaks off mid-read":
        publish(snaps["b"].path, root)
        server["broken"].add("usage.parquet")
        return "usage.parquet: cannot be fetched"
    if case == "server gone":
        server["httpd"].shutdown()
        server["httpd"].server_close()
        return "latest.json: cannot be fetched (ConnectionError"
    raise AssertionError(case)


LOCAL_FAULTS = ["missing latest.json", "pointer to a missing snapshot", "corrupt snapshot file",
                "manifest checksum mismatch", "newer pointer_version", "pointer not JSON",
                "pointer path escapes the root", "pointer too large"]
URL_FAULTS = LOCAL_FAULTS + ["server breaks off mid-read", "server gone"]


@pytest.mark.parametrize("case", URL_FAULTS)
def test_a_broken_url_root_keeps_the_open_snapshot_and_says_why(server, snaps, case):
    publish(snaps["a"].path, server["root"])
    good = resolve(server["url"], snaps)
    reason = _fault(case, server["root"], snaps, server)
    res = resolve(server["url"], snaps, good.opened_root)
    assert res.snapshot is good.snapshot and res.chosen_because == KEPT_BECAUSE
    assert len(res.problems) == 1 and res.problems[0][0] == server["url"]
    assert reason in res.problems[0][1], res.problems
    assert res.root.serving_id == snaps["a"].snapshot_id and reason in res.root.error
    again = resolve(server["url"], snaps, res.opened_root)  # and it stays so, saying so, while broken
    assert again.snapshot is good.snapshot and reason in again.root.error
    tried("published-root")


@pytest.mark.parametrize("case", LOCAL_FAULTS)
def test_a_broken_local_root_keeps_the_open_snapshot_and_says_why(tmp_path, snaps, case):
    root = tmp_path / "root"
    publish(snaps["a"].path, root)
    good = resolve(str(root), snaps)
    reason = _fault(case, root, snaps)
    res = resolve(str(root), snaps, good.opened_root)
    assert res.snapshot is good.snapshot and res.chosen_because == KEPT_BECAUSE
    assert reason in res.problems[0][1] and reason in res.root.error, res.problems
    tried("published-root")


@pytest.mark.parametrize("case", ["pointer to a missing snapshot", "newer pointer_version", "server gone"])
def test_a_cold_start_on_a_broken_root_falls_back_with_the_reason(server, snaps, case):
    publish(snaps["a"].path, server["root"])
    reason = _fault(case, server["root"], snaps, server)
    res = resolve(server["url"], snaps)
    assert res.snapshot.path == snaps["fallback"].path and res.chosen_because == "bundled sample"
    assert reason in res.problems[0][1] and res.root.serving_id is None and reason in res.root.error
    tried("published-root")


def test_a_url_with_neither_pointer_nor_manifest_says_both(server, snaps):
    res = resolve(server["url"], snaps)
    assert res.problems == [(server["url"], "manifest.json: cannot be fetched: HTTP 404 "
                             "(and there is no latest.json either: not a published root)")]
    empty = server["www"] / "empty"
    empty.mkdir()
    res = resolve(str(empty), snaps)
    assert "has no manifest.json (so it is not a snapshot folder) and no latest.json" in res.problems[0][1]
    tried("published-root", 2)


# --------------------------------------------------------------------------- the app


@pytest.fixture
def app_on_root(server, snaps, monkeypatch, tmp_path):
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", server["url"])
    monkeypatch.setenv("TOKENSHARE_RECHECK_SECONDS", "1")
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "none")
    state._roots_open.clear()
    state._resolve_cached.clear()
    publish(snaps["a"].path, server["root"])
    return server


def _rerun_until(at, condition, what: str):
    """Rerun the same session until ``condition(at)`` (TOKENSHARE_RECHECK_SECONDS=1: the
    first rerun a second or more after the last look reads latest.json again)."""
    def rerun():
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return condition(at)
    wait_until(rerun, seconds=30, what=what, every=0.2)


def _data_page_text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [w.value for w in at.warning])


def test_the_app_moves_to_a_newly_published_snapshot_on_the_next_rerun(app_on_root, snaps):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert metric(at, "Open-weight share") == "62.0%"  # A: W3, 310 / 500 by hand
    publish(snaps["b"].path, app_on_root["root"])
    # the same session, the same server process: no restart
    _rerun_until(at, lambda at: metric(at, "Open-weight share") != "62.0%", "the app leaves snapshot A")
    expected = independent_open_share_last_full_week(snaps["b"].path)
    assert expected < 0.62  # more closed tokens: a lower share than A's
    assert metric(at, "Open-weight share") == f"{100 * expected:.1f}%"
    assert not at.warning, [w.value for w in at.warning]
    at.switch_page("views/data.py")
    at.run()
    text = _data_page_text(at)
    assert f"**latest.json names** `{snaps['b'].snapshot_id}`" in text
    assert f"Also kept in the root:** `{snaps['a'].snapshot_id}`" in text


def test_the_app_keeps_its_snapshot_when_the_root_breaks_and_says_why(app_on_root, snaps):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert metric(at, "Open-weight share") == "62.0%"
    _fault("newer pointer_version", app_on_root["root"], snaps)
    _rerun_until(at, lambda at: any("pointer_version 2" in w.value for w in at.warning),
                 "the app reads the broken latest.json")
    assert metric(at, "Open-weight share") == "62.0%"  # still A
    assert any("pointer_version 2" in w.value and KEPT_BECAUSE in w.value for w in at.warning)
    at.switch_page("views/data.py")
    at.run()
    text = _data_page_text(at)
    assert "The published root's newest snapshot could not be opened" in text
    assert f"**Open:** `{snaps['a'].snapshot_id}`, the last snapshot opened from this root (kept)" in text
    tried("published-root")


# --------------------------------------------------------------------------- hostile pointers

GOOD = {"pointer_version": 1, "id": "0123456789abcdef", "path": "0123456789abcdef/", "manifest_sha256": "a" * 64}


@pytest.mark.parametrize("raw, reason", [
    (b"[1, 2]", "holds a JSON list, not an object"),
    (b"\xff\xfe{}", "is not valid JSON"),
    (b'{"pointer_version": NaN}', "is not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "larger than 64 KiB"),
    (b"[" * 20_000 + b"]" * 20_000, "nests deeper than 8 levels"),
    (b'{"a": ' * 9 + b"1" + b"}" * 9, "nests deeper than 8 levels"),
    (json.dumps({**GOOD, "pointer_version": "1"}).encode(), "no whole-number pointer_version"),
    (json.dumps({**GOOD, "pointer_version": True}).encode(), "no whole-number pointer_version"),
    (json.dumps({**GOOD, "pointer_version": 0}).encode(), "versions start at 1"),
    (json.dumps({**GOOD, "pointer_version": 10**30}).encode(), "newer tokenshare"),
    (json.dumps({**GOOD, "id": "../../etc"}).encode(), "is not a snapshot id"),
    (json.dumps({**GOOD, "id": "0123456789ABCDEF", "path": "0123456789ABCDEF/"}).encode(), "is not a snapshot id"),
    (json.dumps({**GOOD, "path": "/0123456789abcdef/"}).encode(), "field 'path' must be"),
    (json.dumps({**GOOD, "path": "https://evil.example/x/"}).encode(), "field 'path' must be"),
    (json.dumps({**GOOD, "manifest_sha256": "abc"}).encode(), "is not a sha256"),
    (json.dumps({**GOOD, "start_date": "yesterday"}).encode(), "is not YYYY-MM-DD"),
    (json.dumps({**GOOD, "as_of": "x" * 10_000}).encode(), "'as_of' is not a short text"),
    (json.dumps({**GOOD, "published_at": ["2026"]}).encode(), "'published_at' is not a short text"),
])
def test_hostile_pointers_are_refused_with_the_reason(raw, reason):
    from tokenshare.data.snapshot.layout import SnapshotError
    from tokenshare.data.published.pointer import parse_pointer

    with pytest.raises(SnapshotError, match=re.escape(reason)) as exc:
        parse_pointer(raw, "root")
    assert exc.value.file == POINTER_FILE
    tried("published-root")


def test_a_good_pointer_parses():
    from tokenshare.data.published.pointer import parse_pointer

    p = parse_pointer(json.dumps(GOOD).encode(), "root")
    assert (p.id, p.path, p.manifest_sha256) == (GOOD["id"], GOOD["path"], GOOD["manifest_sha256"])
