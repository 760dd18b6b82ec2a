"""Auto-refresh (tokenshare/data/refresh/auto.py) against the stand-in Data API: when it
runs, its shared daily budget, its locks, and every fault of issue 11 part 4: the key
rejected (401), 429 with Retry-After, a window that times out, the daily budget spent,
two processes starting at once, a process killed mid-refresh. In each, no partial
snapshot is ever opened, the old one stays as it was, and the key is in no file."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest_openrouter import _no_ambient_key, tree_digest  # noqa: F401 - autouse fixture
from tests.data.auto_refresh_child import ONE_RUN, refresher
from tests.hostile import tried
from tests.openrouter_server import API_KEY, FakeOpenRouter
from tokenshare.core import settings
from tokenshare.data.refresh.auto import (
    BUDGET_NAME,
    STATE_NAME,
    DailyBudget,
    is_due,
    read_status,
)
from tokenshare.data.published.locate import candidate_snapshots, resolve_snapshot
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh
from tokenshare.data.snapshot.validate import load_snapshot

ROOT = Path(__file__).resolve().parents[2]
OLD_UNTIL = dt.date(2025, 2, 20)  # the snapshot the app has
TODAY = dt.date(2025, 3, 1)  # the refresh brings it to 2025-02-28
NOW = dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.timezone.utc)
SECRETS = {"OPENROUTER_API_KEY": API_KEY}


@pytest.fixture
def server():
    with FakeOpenRouter(synth_until=OLD_UNTIL) as s:
        yield s


@pytest.fixture
def old(server, tmp_path):
    """A snapshots folder holding one OpenRouter snapshot to 2025-02-20 (categories and
    segments included); then the stand-in has days to 2025-02-28."""
    folder = tmp_path / "snapshots"
    from tests.conftest_openrouter import make_client

    with make_client(server) as client:
        snap = run_refresh(RefreshOptions(folder, categories=True, segments=True, today=OLD_UNTIL + dt.timedelta(days=1),
                now=dt.datetime(2025, 2, 21, 3, tzinfo=dt.timezone.utc)), client=client).snapshot
    server.synth_until = TODAY - dt.timedelta(days=1)
    server.requests.clear()
    return folder, snap


def no_key_in(folder: Path, *texts: str) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            assert API_KEY.encode() not in p.read_bytes(), p
    for t in texts:
        assert API_KEY not in t and "0123456789abcdef" not in t


def unchanged(folder: Path, snap, before: dict) -> None:
    assert [p.name for p in candidate_snapshots(folder)] == [snap.path.name], "no new snapshot folder"
    assert not [p for p in folder.iterdir() if p.name.startswith(".") and ".tmp-" in p.name], "no temporary folder"
    assert tree_digest(snap.path) == before
    assert resolve_snapshot(None, folder, ROOT / "sample_data").snapshot.path == snap.path, "the old one opens"


# --------------------------------------------------------------------------- when it runs


def test_max_age_setting(monkeypatch):
    monkeypatch.delenv("TOKENSHARE_MAX_AGE", raising=False)
    assert settings.max_age() == (86400.0, None)
    for value, seconds in [("24h", 86400), ("90m", 5400), ("3600", 3600), ("2d", 172800), ("45s", 45)]:
        monkeypatch.setenv("TOKENSHARE_MAX_AGE", value)
        assert settings.max_age() == (seconds, None)
    bad = ["soon", "-1h", "0", "1e999", "h", "24 hours", "nan"]
    for value in bad:
        monkeypatch.setenv("TOKENSHARE_MAX_AGE", value)
        seconds, problem = settings.max_age()
        assert seconds == 86400 and "TOKENSHARE_MAX_AGE" in problem and "using 24h" in problem
    tried("refresh", len(bad))


def test_due_when_older_than_the_max_age_or_synthetic(old):
    _, snap = old  # as_of 2025-02-21T02:00Z
    as_of = dt.datetime(2025, 2, 21, 2, tzinfo=dt.timezone.utc)
    assert not is_due(snap, 3600, as_of + dt.timedelta(minutes=59))
    assert is_due(snap, 3600, as_of + dt.timedelta(minutes=61))
    assert is_due(None, 10**9, as_of), "no snapshot at all"
    assert is_due(load_snapshot(ROOT / "sample_data"), 10**9, as_of), "the synthetic sample"


# --------------------------------------------------------------------------- a refresh


def test_a_due_snapshot_is_refreshed_once_in_the_background(old, server):
    folder, snap = old
    before = tree_digest(snap.path)
    r = refresher(folder, server.base_url, TODAY, NOW)
    assert r.maybe_start(snap, SECRETS) == "started"
    assert r.maybe_start(snap, SECRETS) in ("running", "waiting"), "once per process"
    r.join(60)
    status = read_status(folder)
    assert status.state == "done", status
    new = load_snapshot(folder / status.snapshot)
    assert new.end_date == TODAY - dt.timedelta(days=1) and new.start_date == snap.start_date
    data = server.data_requests()
    assert len(data) == ONE_RUN and status.requests == ONE_RUN and status.windows == ONE_RUN
    assert status.windows_done == ONE_RUN
    assert json.loads((folder / BUDGET_NAME).read_text()) == {"day": "2025-03-01", "requests": ONE_RUN, "limit": 490}
    # the segments incrementally: each daily one from the re-fetched days, each weekly one its week
    seg = [r.params for r in data if {"modality", "context_bucket", "language_type"} & set(r.params)]
    assert len(seg) == 12 and all(p["start_date"] in ("2025-02-18", "2025-02-17") for p in seg), seg
    assert new.has_segments
    assert tree_digest(snap.path) == before, "the old snapshot is kept as it was"
    # done: the next attempt waits a whole max age, whatever snapshot a session shows
    assert r.maybe_start(snap, SECRETS) == "waiting"
    assert r.maybe_start(new, SECRETS) == "fresh"
    assert len(server.data_requests()) == ONE_RUN
    no_key_in(folder)


def test_the_status_line_counts_windows():
    from tokenshare.data.refresh.auto import Status

    assert Status(state="running", step=5, steps=24, windows=23, windows_done=4).line() == \
        "Fetching real data: window 5 of 23"
    assert Status(state="running", step=0, steps=24, windows=23).line() == "Fetching real data: the model catalogue"


# --------------------------------------------------------------------------- faults


def test_a_rejected_key_fails_with_the_reason_and_changes_nothing(old, server):
    folder, snap = old
    before = tree_digest(snap.path)
    server.key = "sk-or-some-other-key"
    status = refresher(folder, server.base_url, TODAY, NOW).run(SECRETS)
    assert status.state == "failed" and "HTTP 401" in status.reason and "refused the API key" in status.reason
    assert read_status(folder).reason == status.reason
    assert status.next_attempt_at == "2025-03-01T04:00:00Z", "retried after an hour, not on every page view"
    unchanged(folder, snap, before)
    no_key_in(folder, status.reason)
    tried("refresh")


def test_429_with_retry_after_is_waited_for_and_counted(old, server):
    folder, snap = old
    server.fault("status", status=429, retry_after="7", skip=2)
    r = refresher(folder, server.base_url, TODAY, NOW)
    status = r.run(SECRETS)
    assert status.state == "done", status.reason
    assert 7 in r.slept, "Retry-After honoured"
    statuses = [q.status for q in server.data_requests()]
    assert statuses.count(429) == 1 and len(statuses) == ONE_RUN + 1
    assert json.loads((folder / BUDGET_NAME).read_text())["requests"] == ONE_RUN + 1, "the retry is counted too"
    tried("refresh")


def test_429_asking_too_long_a_wait_fails_with_the_reason(old, server):
    folder, snap = old
    before = tree_digest(snap.path)
    server.fault("status", status=429, retry_after="86400")
    status = refresher(folder, server.base_url, TODAY, NOW).run(SECRETS)
    assert status.state == "failed" and "Retry-After" in status.reason and "86400 s" in status.reason
    unchanged(folder, snap, before)
    tried("refresh")


def test_a_window_that_times_out_fails_naming_it(old, server):
    folder, snap = old
    before = tree_digest(snap.path)
    server.fault("sleep", seconds=1.5, times=3)  # the first try and both read retries
    status = refresher(folder, server.base_url, TODAY, NOW, read_timeout=0.5).run(SECRETS)
    assert status.state == "failed", status
    assert "read timeout" in status.reason and "(window 1 of 1)" in status.reason
    assert "2025-02-18 to 2025-02-28" in status.reason
    unchanged(folder, snap, before)
    tried("refresh")


def test_a_spent_daily_budget_stops_before_any_request(old, server):
    folder, snap = old
    before = tree_digest(snap.path)
    (folder / BUDGET_NAME).write_text(json.dumps({"day": "2025-03-01", "requests": 490}))
    status = refresher(folder, server.base_url, TODAY, NOW).run(SECRETS)
    assert status.state == "failed" and "daily budget of 490 Data API requests is used up" in status.reason
    assert status.next_attempt_at == "2025-03-02T00:00:00Z", "the next UTC day"
    assert server.data_requests() == []
    unchanged(folder, snap, before)
    # yesterday's count does not spend today's budget
    (folder / BUDGET_NAME).write_text(json.dumps({"day": "2025-02-28", "requests": 490}))
    assert DailyBudget(folder, clock=lambda: NOW).remaining() == 490
    tried("refresh", 2)


def test_a_budget_that_runs_out_mid_run_stops_it(old, server):
    folder, snap = old
    before = tree_digest(snap.path)
    (folder / BUDGET_NAME).write_text(json.dumps({"day": "2025-03-01", "requests": 485}))
    r = refresher(folder, server.base_url, TODAY, NOW)
    r.client_kw["max_requests"] = 490  # the run's own cap is not what stops it: the shared count is
    status = r.run(SECRETS)
    assert status.state == "failed" and "used up" in status.reason, status.reason
    assert len(server.data_requests()) == 5 and status.requests == 5
    assert json.loads((folder / BUDGET_NAME).read_text())["requests"] == 490
    unchanged(folder, snap, before)
    tried("refresh")


def _child(folder: Path, server: FakeOpenRouter) -> subprocess.Popen:
    env = {**os.environ, "OPENROUTER_API_KEY": API_KEY, "NO_PROXY": "127.0.0.1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.data.auto_refresh_child", str(folder), server.base_url,
         TODAY.isoformat(), NOW.isoformat()],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_starting_at_once_refresh_once(old, server):
    folder, snap = old
    server.fault("sleep", seconds=0.3, times=ONE_RUN)  # long enough for the two to overlap
    a, b = _child(folder, server), _child(folder, server)
    outs = [p.communicate(timeout=120) for p in (a, b)]
    assert a.returncode == 0 and b.returncode == 0, outs
    finals = [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]
    assert sorted(f["state"] for f in finals).count("done") >= 1
    assert len(candidate_snapshots(folder)) == 2, "exactly one new snapshot"
    assert len(server.data_requests()) == ONE_RUN, "one refresh's requests, not two"
    no_key_in(folder, *(o + e for o, e in outs))
    tried("refresh")


def test_a_process_killed_mid_refresh_leaves_the_old_snapshot_serving(old, server):
    folder, snap = old
    before = tree_digest(snap.path)
    server.fault("sleep", seconds=1.0, times=ONE_RUN)
    p = _child(folder, server)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = read_status(folder)
        if status.running and status.windows_done >= 2:
            break
        time.sleep(0.1)
    assert status.running and status.pid == p.pid, status
    os.kill(p.pid, signal.SIGKILL)
    out, err = p.communicate(timeout=30)
    unchanged(folder, snap, before)
    status = read_status(folder)
    assert status.state == "failed" and "stopped before it finished" in status.reason
    assert status.next_attempt_at is None, "a restarted app tries again at once"
    no_key_in(folder, out + err)
    # the kernel released the locks with the process: the next run goes through
    server.faults.clear()
    final = refresher(folder, server.base_url, TODAY, NOW).run(SECRETS)
    assert final.state == "done", final.reason
    assert len(candidate_snapshots(folder)) == 2
    assert not (folder / STATE_NAME).read_text().count(API_KEY)
    tried("refresh")


def test_a_folder_it_cannot_write_is_not_retried_on_every_page_view(old, server):
    folder, snap = old
    blocker = folder / ".auto-refresh"
    blocker.write_text("a file where the lock folder goes")  # mkdir fails as on a read-only disk
    r = refresher(folder, server.base_url, TODAY, NOW)
    assert r.maybe_start(snap, SECRETS) == "started"
    r.join(30)
    assert r.unwritable and "cannot write" in r.unwritable[1]
    assert r.maybe_start(snap, SECRETS) == "waiting"
    assert server.data_requests() == []
    tried("refresh")


def test_mangled_status_and_budget_files_never_stop_the_app(old, server):
    """A status file that is not JSON reads as idle; a budget count that is not a
    count spends nothing more that day (the next day starts again from 0)."""
    folder, snap = old
    (folder / STATE_NAME).write_text("{not json")
    assert read_status(folder).state == "idle"
    (folder / STATE_NAME).write_text('{"state": "running", "pid": "x", "steps": []}')
    assert read_status(folder).state in ("idle", "running", "failed")
    (folder / BUDGET_NAME).write_text('{"day": "2025-03-01", "requests": "many"}')
    status = refresher(folder, server.base_url, TODAY, NOW).run(SECRETS)
    assert status.state == "failed" and "used up" in status.reason and server.data_requests() == []
    (folder / BUDGET_NAME).write_text("[1, 2")
    assert DailyBudget(folder, clock=lambda: NOW).remaining() == 490
    tried("refresh", 4)
