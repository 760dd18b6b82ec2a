"""One refresh at a time per snapshots folder, and no snapshot replaced silently.

Two clicks on Refresh in the same second used to both fetch with the owner's key, and
one run's folder silently replaced the other's (folder names are per second). Here:
two runs at once into one folder (the second is refused with a message while the first
holds the lock), two runs one after the other in the same second (both snapshots kept,
the second with a suffix), a lock file left by a run that died (not a held lock), and
a target that appears during the write (refused, the existing one untouched)."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest

from tests.hostile import tried
from tests.openrouter_server import FIXTURES
from tests.tiny import build_tiny_snapshot
from tokenshare.data.published.locate import candidate_snapshots
from tests.conftest_openrouter import refresh_with
from tokenshare.data.refresh.lock import LOCK_NAME, refresh_lock
from tokenshare.data.refresh.errors import RefreshError
from tokenshare.data.snapshot.validate import load_snapshot

BODY_A = FIXTURES / "rankings-daily-2025-01-01_2025-01-07.json"
MODELS = FIXTURES / "models.json"
T0 = dt.datetime(2025, 1, 15, 3, 0, 0, tzinfo=dt.timezone.utc)


def offline_refresh(out, **kw):
    """A real refresh from the recorded bodies: no network, no key."""
    return refresh_with(out, from_json=[BODY_A, MODELS], today=dt.date(2025, 1, 15), now=T0, **kw)


def digest(folder):
    """sha256 of each data file (not the derived files a later open may add)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith("derived_")}


def test_a_second_refresh_while_one_runs_is_refused_with_a_message(tmp_path):
    out = tmp_path / "snapshots"
    inside, release = threading.Event(), threading.Event()
    results, errors = [], []

    def slow_progress(done, total, rows, message):
        if message.startswith("planned"):  # the first run holds the lock here until released
            inside.set()
            assert release.wait(30)

    def first():
        try:
            results.append(offline_refresh(out, progress=slow_progress))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t = threading.Thread(target=first)
    t.start()
    assert inside.wait(30)
    with pytest.raises(RefreshError) as info:
        offline_refresh(out)
    release.set()
    t.join(60)
    message = str(info.value)
    assert "another refresh is running" in message and "only one runs at a time" in message
    assert "process" in message, "it names the run holding the lock"
    assert not errors and len(results) == 1, errors
    assert [p.name for p in candidate_snapshots(out)] == [results[0].path.name]
    assert not (out / LOCK_NAME).exists(), "the lock file goes when the run ends"
    tried("refresh")


def test_two_runs_in_the_same_second_keep_both_snapshots(tmp_path):
    out = tmp_path / "snapshots"
    first = offline_refresh(out)
    before = digest(first.path)
    second = offline_refresh(out)  # the same `now`: the same folder name, so a suffix
    assert first.path != second.path and second.path.name == first.path.name + "-1"
    assert digest(first.path) == before, "the first snapshot is untouched"
    for p in (first.path, second.path):
        load_snapshot(p)
    tried("refresh")


def test_a_lock_file_left_by_a_dead_run_does_not_block(tmp_path):
    out = tmp_path / "snapshots"
    out.mkdir()
    (out / LOCK_NAME).write_text("process 999999, started 2025-01-01T00:00:00Z\n")  # nobody holds it
    result = offline_refresh(out)
    load_snapshot(result.path)
    assert not (out / LOCK_NAME).exists()
    tried("refresh")


def test_the_lock_is_held_for_the_block_and_released_after(tmp_path):
    with refresh_lock(tmp_path):
        with pytest.raises(RefreshError):
            with refresh_lock(tmp_path):
                pass
    with refresh_lock(tmp_path):  # free again
        pass


def test_a_target_that_appears_during_the_write_is_not_replaced(tmp_path, monkeypatch):
    """write_snapshot checks that the target is free, then builds and validates the new
    snapshot; a snapshot (or an empty folder) put there meanwhile is never replaced."""
    import tokenshare.data.snapshot.write as write

    target = tmp_path / "2025-01-15T030000Z"
    real_load = write.load_snapshot
    squatter = {}

    def load_then_squat(path, **kw):
        snap = real_load(path, **kw)
        if not squatter:  # between the validation and the rename (once: the squatter writes too)
            squatter["snap"] = None
            squatter["snap"] = build_tiny_snapshot(target)
        return snap

    monkeypatch.setattr(write, "load_snapshot", load_then_squat)
    with pytest.raises(FileExistsError):
        build_tiny_snapshot(target)
    before = digest(target)
    assert squatter["snap"].path == target
    load_snapshot(target)  # the one that got there first, whole
    assert digest(target) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary folder left"
    tried("refresh")


def test_an_empty_folder_at_the_target_is_not_replaced_either(tmp_path, monkeypatch):
    import tokenshare.data.snapshot.write as write

    target = tmp_path / "snap"
    real_move = write._move_into_place

    def squat_then_move(tmp, dest, overwrite=True):
        dest.mkdir()  # a plain rename would silently replace an empty folder
        return real_move(tmp, dest, overwrite)

    monkeypatch.setattr(write, "_move_into_place", squat_then_move)
    with pytest.raises(FileExistsError):
        build_tiny_snapshot(target)
    assert target.is_dir() and not any(target.iterdir())
    tried("refresh")
