"""Issue 26, findings 4 and 7: the app's own JSON state files read defensively, and the
liveness of a refresh from the lock it holds.

Every mangled file below goes to each reader that reads such a file (the auto-refresh
status, the request budget, a validation stamp, a local root's latest.json): none
raises, each says "no status" (or refuses the pointer) with the reason. A FIFO or a
device at the file's name is refused before it is opened (opening a FIFO for reading
would wait for a writer). Then the whole app (AppTest) on a data/snapshots/ holding a
200,000-deep .auto-refresh.json renders every page (it was a RecursionError on every
page), and a "running" status left behind by a process whose PID is alive (PID 1, this
process) reads as failed unless a run holds the lock."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

import pytest

from tests.hostile import tried
from tokenshare.core.statefile import MAX_BYTES, nesting_depth, read_state
from tokenshare.data.published.pointer import POINTER_FILE, read_local_pointer
from tokenshare.data.refresh.auto import BUDGET_NAME, LOCK_DIR_NAME, STATE_NAME, DailyBudget, read_status
from tokenshare.data.refresh.lock import lock_held, refresh_lock
from tokenshare.data.snapshot.layout import SnapshotError
from tokenshare.data.snapshot.stamps import VALIDATION_STAMP, stamp_matches

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.timezone.utc)

# (name, bytes, what the reason says)
MANGLED = [
    ("not JSON", b"{not json", "is not valid JSON"),
    ("truncated", b'{"state": "run', "is not valid JSON"),
    ("empty", b"", "is not valid JSON"),
    ("list nested 200,000 deep", b"[" * 200_000 + b"]" * 200_000, "larger than"),
    ("list nested 30,000 deep", b"[" * 30_000 + b"]" * 30_000, "nests deeper than 16"),
    ("objects nested 17 deep", b'{"a": ' * 17 + b"1" + b"}" * 17, "nests deeper than 16"),
    ("unbalanced 5,000 deep", b'{"state": ' + b"[" * 5_000, "nests deeper than 16"),
    ("over the size limit", b'{"message": "' + b"x" * (MAX_BYTES + 10) + b'"}', "larger than 64 KiB"),
    ("not UTF-8", b'{"state": "\xff\xfe"}', "is not UTF-8"),
    ("UTF-16", '{"state": "idle"}'.encode("utf-16"), "is not UTF-8"),
    ("NaN", b'{"requests": NaN}', "is not valid JSON"),
    ("Infinity", b'{"requests": -Infinity}', "is not valid JSON"),
    ("a list", b"[1, 2, 3]", "JSON list, not an object"),
    ("a string", b'"running"', "JSON str, not an object"),
    ("a number", b"12345678901234567890", "JSON int, not an object"),
    ("null", b"null", "JSON NoneType, not an object"),
    ("NUL bytes", b"\x00" * 100, "is not valid JSON"),
]


@pytest.mark.parametrize("name,raw,reason", MANGLED, ids=[m[0] for m in MANGLED])
def test_a_mangled_file_is_no_status_with_the_reason(tmp_path, name, raw, reason):
    for file in (STATE_NAME, BUDGET_NAME, VALIDATION_STAMP, POINTER_FILE):
        (tmp_path / file).write_bytes(raw)
    state = read_state(tmp_path / STATE_NAME)
    assert state.data == {} and reason in state.problem, state
    status = read_status(tmp_path)
    assert status.state == "idle" and not status.running and reason in status.problem
    assert DailyBudget(tmp_path, limit=10, clock=lambda: NOW).remaining() == 10  # no day recorded: nothing used
    assert stamp_matches(tmp_path, {"files": {}}) is False
    with pytest.raises(SnapshotError) as info:
        read_local_pointer(tmp_path)
    assert POINTER_FILE in info.value.describe()
    tried("refresh", 4)


def test_mistyped_fields_are_no_status(tmp_path):
    for field, value in [("pid", "x"), ("steps", []), ("state", 3), ("rows", True), ("message", {"a": 1}),
                         ("started_at", 1.5), ("requests", -1.0)]:
        (tmp_path / STATE_NAME).write_text(json.dumps({"state": "running", field: value}))
        status = read_status(tmp_path)
        assert status.state == "idle" and field in status.problem, (field, status)
        tried("refresh")


def _mkfifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_special_files_are_refused_without_being_opened(tmp_path, kind):
    for file in (STATE_NAME, BUDGET_NAME, POINTER_FILE):
        target = tmp_path / file
        if kind == "fifo":
            _mkfifo(target)
        elif kind == "device":
            target.symlink_to("/dev/zero")  # endless if read
        else:
            target.mkdir()
    done = {}

    def read_all():
        done["status"] = read_status(tmp_path)
        done["budget"] = DailyBudget(tmp_path, limit=10, clock=lambda: NOW).remaining()
        try:
            read_local_pointer(tmp_path)
        except SnapshotError as exc:
            done["pointer"] = exc.describe()

    t = threading.Thread(target=read_all, daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive(), f"a {kind} blocked its reader"
    assert "not a regular file" in done["status"].problem and done["budget"] == 10
    assert "not a regular file" in done["pointer"]
    tried("refresh", 3)


def test_the_depth_count_skips_strings():
    assert nesting_depth('{"a": "[[[[{{{{", "b": ["\\"[["]}') == 2
    assert read_state.__doc__ is not None


def test_a_stale_running_status_with_a_live_pid_reads_as_failed(tmp_path):
    for pid in (1, os.getpid()):  # PID 1 in a container; the app's own PID after a restart
        (tmp_path / STATE_NAME).write_text(json.dumps({"state": "running", "pid": pid, "step": 2, "steps": 5}))
        status = read_status(tmp_path)
        assert status.state == "failed" and "stopped before it finished" in status.reason, pid
        assert status.next_attempt_at is None
        tried("refresh")


def test_a_run_holding_the_lock_reads_as_running(tmp_path):
    (tmp_path / STATE_NAME).write_text(json.dumps({"state": "running", "pid": 999_999_999, "step": 1, "steps": 5}))
    assert not lock_held(tmp_path / LOCK_DIR_NAME)
    with refresh_lock(tmp_path / LOCK_DIR_NAME):
        assert lock_held(tmp_path / LOCK_DIR_NAME)
        assert read_status(tmp_path).running  # a PID that does not exist: the lock decides
    assert not lock_held(tmp_path / LOCK_DIR_NAME)
    assert read_status(tmp_path).state == "failed"


def test_every_page_renders_on_a_deeply_nested_status_file(tmp_path, monkeypatch):
    """The issue's crash: a 200,000-deep .auto-refresh.json in data/snapshots/, default
    settings, no key. Every page renders, no exception."""
    from streamlit.testing.v1 import AppTest

    import tokenshare.data.published.locate as locate
    from tests.test_security import page_files
    from tokenshare.app import state

    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    (snapshots / STATE_NAME).write_bytes(b"[" * 200_000 + b"]" * 200_000)
    (snapshots / BUDGET_NAME).write_bytes(b'{"day": ' * 30_000)
    monkeypatch.setattr(locate, "SNAPSHOTS_DIR", snapshots)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", snapshots)
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    monkeypatch.delenv("TOKENSHARE_AUTO_REFRESH")  # the default: on (the suite switches it off)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    for page in page_files():
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
    tried("refresh", 2)


@pytest.mark.parametrize("where", ["root pointer", "root's snapshot manifest", "snapshot manifest", "snapshot labs"])
def test_a_fifo_in_a_root_or_snapshot_falls_back_without_blocking(tmp_path, where):
    """Issue 26: a FIFO named latest.json in a local root blocked its reader. A FIFO at
    any file the app opens in a local root or snapshot is refused unopened and the next
    snapshot opens, with the reason."""
    from tests.tiny import build_tiny_snapshot
    from tokenshare.data.published.locate import resolve_snapshot
    from tokenshare.data.published.publish import publish

    fallback = build_tiny_snapshot(tmp_path / "fallback")
    snap = build_tiny_snapshot(tmp_path / "snap")
    if where.startswith("root"):
        location = tmp_path / "root"
        done = publish(snap.path, location)
        target = location / POINTER_FILE if where == "root pointer" else done.folder / "manifest.json"
    else:
        location = snap.path
        target = snap.path / ("manifest.json" if where == "snapshot manifest" else "labs.csv")
    target.unlink()
    os.mkfifo(target)
    box = {}
    t = threading.Thread(target=lambda: box.update(res=resolve_snapshot(
        str(location), snapshots_dir=tmp_path / "none", sample_dir=fallback.path)), daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), f"a FIFO ({where}) blocked the reader"
    res = box["res"]
    assert res.snapshot is not None and res.snapshot.path == fallback.path
    assert any("regular file" in why for _, why in res.problems), res.problems
    tried("published-root")
