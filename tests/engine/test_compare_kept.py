"""A comparison kept on disk beside the new snapshot (tokenshare.engine.compare.compare_snapshots)
is the comparison computed afresh, table for table and type for type; it is read back
from those files, left out when it may not be kept, and replaced when its key changes."""

import os
import shutil

import pandas as pd
import pytest

from tests.tiny_launches import build_restated_snapshot
from tokenshare.engine import compare
from tokenshare.data.snapshot.validate import load_snapshot


@pytest.fixture()
def pair(tiny_snapshot, tmp_path):
    # The shared tiny snapshot may already carry files derived by earlier tests (a
    # comparison kept beside it when it was the newer one): copy only its data.
    copy = shutil.copytree(tiny_snapshot.path, tmp_path / "old", ignore=shutil.ignore_patterns("derived_*"))
    old = load_snapshot(copy)
    new = build_restated_snapshot(tmp_path / "new")
    return old, new


def fresh(old, new, **kw):
    p = compare.SnapshotPair(old, new)
    try:
        return p.compare(**kw)
    finally:
        p.close()


def assert_same(a: compare.Comparison, b: compare.Comparison) -> None:
    pd.testing.assert_series_equal(a.summary, b.summary, check_exact=True)
    for name in ("days", "restated", "restated_by_day", "reclassified"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def kept_files(snap):
    return sorted(p.name for p in snap.path.glob(compare.CACHE_PREFIX + "*"))


def test_kept_comparison_equals_the_computed_one(pair):
    old, new = pair
    first = compare.compare_snapshots(old, new)
    files = compare.cache_files(old, new)
    assert all(f.is_file() and f.parent == new.path for f in files.values())
    assert kept_files(old) == []
    again = compare.compare_snapshots(old, new)
    want = fresh(old, new)
    assert_same(first, want)
    assert_same(again, want)
    # the fixture's figures (tests/engine/test_compare.py works them out by hand) survive the trip
    assert again.summary["restated"] == 3 and again.summary["days_added"] == 2
    assert again.restated["old_tokens"].isna().sum() + again.restated["new_tokens"].isna().sum() >= 1
    # the snapshot still loads: derived_* files are not part of it
    load_snapshot(new.path)


def test_kept_files_are_what_is_read(pair):
    old, new = pair
    compare.compare_snapshots(old, new)
    files = compare.cache_files(old, new)
    summary = pd.read_parquet(files["summary"])
    summary.loc[0, "restated"] = 999  # a kept file that says something else is believed
    summary.to_parquet(files["summary"], index=False)
    assert compare.compare_snapshots(old, new).summary["restated"] == 999
    files["days"].write_bytes(b"not parquet")  # a broken one is computed again and replaced
    result = compare.compare_snapshots(old, new)
    assert result.summary["restated"] == 3
    assert_same(compare.compare_snapshots(old, new), fresh(old, new))


def test_another_key_replaces_the_files(pair):
    old, new = pair
    compare.compare_snapshots(old, new)
    before = kept_files(new)
    assert len(before) == 5
    short = compare.compare_snapshots(old, new, limit=1)  # another key: the limit
    assert len(short.restated) == 1
    after = kept_files(new)
    assert len(after) == 5 and not set(before) & set(after)
    assert_same(short, fresh(old, new, limit=1))


def test_not_kept_when_turned_off(pair, monkeypatch):
    old, new = pair
    monkeypatch.setenv("TOKENSHARE_DERIVED", "0")
    assert compare.cache_files(old, new) is None
    assert_same(compare.compare_snapshots(old, new), fresh(old, new))
    assert kept_files(new) == []


def test_not_kept_in_a_read_only_folder(pair):
    old, new = pair
    new.path.chmod(0o555)
    try:
        if os.access(new.path, os.W_OK):  # root writes anyway
            pytest.skip("the folder stays writable for this user")
        assert_same(compare.compare_snapshots(old, new), fresh(old, new))
        assert kept_files(new) == []
    finally:
        new.path.chmod(0o755)
