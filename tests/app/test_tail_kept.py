"""The tail's entry-days kept beside the snapshot (tokenshare/engine/kept_frames.py,
tokenshare/app/tail.py): a new process reads what an earlier one computed, the same frame
to the last bit, and never a copy made by other code, from other queries or a broken file."""

from __future__ import annotations

import shutil
import time

import pandas as pd
import pytest

from tokenshare.app import cache, state, tail as tailing
from tokenshare.core import settings
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.engine import kept_frames
from tokenshare.engine.db import SnapshotDB


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kept") / "sample"
    shutil.copytree(settings.SAMPLE_DIR, folder, ignore=shutil.ignore_patterns("derived_*"))
    snap = load_snapshot(folder)
    db = SnapshotDB(snap, threads=1)
    yield snap, db
    db.close()


def _whole(snap, db):
    """The entry-days as a new process gets them: nothing in the app's memory."""
    cache.clear()
    return tailing._whole_cached(snap.snapshot_id, state.Context(snap, db, None, None, None, None, None))


def _kept(snap, rows: int | None = None) -> list:
    """The kept entry-days files, once one of ``rows`` rows is readable (the app writes
    it in a thread, after the first view)."""
    for _ in range(600):
        names = sorted(p.name for p in snap.path.glob(kept_frames.PREFIX + "tail_entry_days_*.parquet"))
        kept = kept_frames.read_kept(snap.path / names[0]) if names and rows is not None else None
        if names and (rows is None or (kept is not None and len(kept) == rows)):
            return names
        time.sleep(0.05)
    return []


def test_a_new_process_reads_the_kept_entry_days(sample):
    snap, db = sample
    for f in snap.path.glob(kept_frames.PREFIX + "*"):
        f.unlink()
    ed, partitioned, has_segments = _whole(snap, db)  # computed, then kept
    assert len(_kept(snap, len(ed))) == 1 and has_segments and len(partitioned) > 0

    misses = cache.stats()["kinds"]["query"]["misses"]
    ed2, partitioned2, has_segments2 = _whole(snap, db)
    assert cache.stats()["kinds"]["query"]["misses"] == misses  # read: no query ran
    pd.testing.assert_frame_equal(ed2, ed, check_exact=True)
    assert sorted(partitioned2) == sorted(partitioned) and has_segments2 == has_segments


def test_a_broken_kept_file_is_computed_again(sample):
    snap, db = sample
    good = _whole(snap, db)[0]
    (path,) = [snap.path / n for n in _kept(snap, len(good))]
    path.write_bytes(b"not parquet")
    again = _whole(snap, db)[0]
    pd.testing.assert_frame_equal(again, good, check_exact=True)
    assert _kept(snap, len(good)) == [path.name]  # and kept again


def test_the_key_holds_the_code_the_queries_and_the_snapshot(sample, monkeypatch):
    snap, _ = sample
    path = kept_frames.kept_path(snap, "x", ("tail_usage_rows",), ("code 1",))
    assert path.parent == snap.path
    assert kept_frames.kept_path(snap, "x", ("tail_usage_rows",), ("code 2",)) != path  # other code
    assert kept_frames.kept_path(snap, "x", ("tail_catalogue",), ("code 1",)) != path  # other SQL
    assert kept_frames.source_hash(_whole) != kept_frames.source_hash(_kept)
    kept_frames.keep(path, pd.DataFrame({"a": [1]}))
    newer = kept_frames.kept_path(snap, "x", ("tail_usage_rows",), ("code 2",))
    kept_frames.keep(newer, pd.DataFrame({"a": [2]}))
    assert not path.exists() and kept_frames.read_kept(newer)["a"].tolist() == [2]  # the stale copy is gone
    assert kept_frames.read_kept(path) is None
    monkeypatch.setenv("TOKENSHARE_DERIVED", "0")
    assert kept_frames.kept_path(snap, "x", (), ()) is None  # nothing kept where no derived file is
    newer.unlink()
