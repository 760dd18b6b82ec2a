"""Each kind of broken snapshot is rejected with one clear message naming the file,
the column and (where there is one) the offending row; nothing is modified; the
resolver falls back to the next valid snapshot."""

import datetime as dt
import hashlib
import json
import os
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.hostile import tried
from tests.tiny import build_tiny_snapshot, tiny_usage
from tokenshare.data.snapshot.layout import SnapshotError, sha256_of
from tokenshare.data.published.locate import resolve_snapshot
from tokenshare.data.snapshot.validate import load_snapshot


@pytest.fixture
def snap(tmp_path):
    return build_tiny_snapshot(tmp_path / "snap").path


def tree_digest(path):
    out = {}
    for p in sorted(path.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(path))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def rewrite_manifest_checksum(path, name):
    """After tampering with a data file, make the manifest agree, so the check that
    fires is the content check, not the checksum one."""
    m = json.loads((path / "manifest.json").read_text())
    m["files"][name]["sha256"] = sha256_of(path / name)
    if name.endswith(".parquet"):
        m["files"][name]["rows"] = pq.read_metadata(path / name).num_rows
    (path / "manifest.json").write_text(json.dumps(m))


def rewrite_usage(path, table):
    pq.write_table(table, path / "usage.parquet")
    rewrite_manifest_checksum(path, "usage.parquet")


def usage_table(rows):
    return pa.Table.from_pylist(rows, schema=pa.schema(
        [("date", pa.date32()), ("model_permaslug", pa.string()), ("total_tokens", pa.int64())]))


def expect(path, *, file, column=None, contains=""):
    before = tree_digest(path)
    with pytest.raises(SnapshotError) as info:
        load_snapshot(path)
    err = info.value
    assert err.file == file, err.describe()
    if column is not None:
        assert err.column == column, err.describe()
    assert contains in err.describe()
    assert tree_digest(path) == before, "validation must not modify anything"
    tried("snapshot")  # every broken snapshot here and in test_hostile_snapshots.py goes through expect()
    return err


def test_valid_snapshot_loads(snap):
    s = load_snapshot(snap)
    assert s.start_date == dt.date(2026, 1, 5) and len(s.snapshot_id) == 16


def test_missing_file(snap):
    (snap / "models.parquet").unlink()
    expect(snap, file="models.parquet", contains="missing")


def test_extra_file(snap):
    (snap / "notes.txt").write_text("hello")
    expect(snap, file="notes.txt", contains="unexpected file")


def test_missing_manifest(snap):
    (snap / "manifest.json").unlink()
    expect(snap, file="manifest.json")


def test_manifest_not_json(snap):
    (snap / "manifest.json").write_text("{not json")
    expect(snap, file="manifest.json", contains="not valid JSON")


def test_manifest_wrong_version(snap):
    m = json.loads((snap / "manifest.json").read_text())
    m["format_version"] = 2
    (snap / "manifest.json").write_text(json.dumps(m))
    expect(snap, file="manifest.json", column="format_version")


def test_checksum_mismatch(snap):
    rows = tiny_usage()
    rows[0]["total_tokens"] += 1
    pq.write_table(usage_table(rows), snap / "usage.parquet")
    expect(snap, file="usage.parquet", contains="checksum mismatch")


def test_zero_byte_parquet(snap):
    (snap / "usage.parquet").write_bytes(b"")
    m = json.loads((snap / "manifest.json").read_text())
    m["files"]["usage.parquet"]["sha256"] = hashlib.sha256(b"").hexdigest()
    (snap / "manifest.json").write_text(json.dumps(m))
    expect(snap, file="usage.parquet", contains="not a readable Parquet file")


def test_truncated_parquet(snap):
    data = (snap / "models.parquet").read_bytes()
    (snap / "models.parquet").write_bytes(data[: len(data) // 2])
    m = json.loads((snap / "manifest.json").read_text())
    m["files"]["models.parquet"]["sha256"] = sha256_of(snap / "models.parquet")
    (snap / "manifest.json").write_text(json.dumps(m))
    expect(snap, file="models.parquet", contains="not a readable Parquet file")


def test_missing_column(snap):
    t = usage_table(tiny_usage()).drop_columns(["total_tokens"])
    rewrite_usage(snap, t)
    expect(snap, file="usage.parquet", column="total_tokens", contains="missing column")


def test_mistyped_column(snap):
    t = usage_table(tiny_usage())
    t = t.set_column(2, "total_tokens", t.column("total_tokens").cast(pa.string()))
    rewrite_usage(snap, t)
    expect(snap, file="usage.parquet", column="total_tokens", contains="type VARCHAR, expected BIGINT")


def test_negative_tokens(snap):
    rows = tiny_usage()
    rows[3]["total_tokens"] = -5
    rewrite_usage(snap, usage_table(rows))
    err = expect(snap, file="usage.parquet", column="total_tokens", contains="negative token count -5")
    assert rows[3]["model_permaslug"] in err.describe()


def test_overflowing_tokens(snap):
    rows = tiny_usage()
    t = usage_table(rows)
    big = pa.array([2**64 - 1] + [1] * (len(rows) - 1), type=pa.uint64())
    rewrite_usage(snap, t.set_column(2, "total_tokens", big))
    expect(snap, file="usage.parquet", column="total_tokens", contains="expected BIGINT")


def test_duplicate_key(snap):
    rows = tiny_usage()
    rows.append(dict(rows[0]))
    rewrite_usage(snap, usage_table(rows))
    err = expect(snap, file="usage.parquet", column="model_permaslug", contains="appears 2 times")
    assert "2026-01-05" in err.describe()


def test_date_outside_manifest(snap):
    rows = tiny_usage()
    rows.append({"date": dt.date(2027, 1, 1), "model_permaslug": "openai/gpt-5", "total_tokens": 1})
    rewrite_usage(snap, usage_table(rows))
    expect(snap, file="usage.parquet", column="date", contains="2027-01-01 is outside")


def test_duplicate_model(snap):
    t = pq.read_table(snap / "models.parquet")
    pq.write_table(pa.concat_tables([t, t.slice(0, 1)]), snap / "models.parquet")
    rewrite_manifest_checksum(snap, "models.parquet")
    expect(snap, file="models.parquet", column="model_permaslug", contains="appears 2 times")


def test_labs_csv_bad_country_code(snap):
    text = (snap / "labs.csv").read_text().replace("arcee-ai,Arcee AI,US", "arcee-ai,Arcee AI,USA")
    (snap / "labs.csv").write_text(text)
    rewrite_manifest_checksum(snap, "labs.csv")
    err = expect(snap, file="labs.csv", column="country_code", contains="'USA'")
    assert "line" in err.describe()


def test_symlink_out_of_folder(snap, tmp_path):
    outside = tmp_path / "elsewhere.parquet"
    shutil.copy(snap / "models.parquet", outside)
    (snap / "models.parquet").unlink()
    os.symlink(outside, snap / "models.parquet")
    expect(snap, file="models.parquet", contains="symbolic link")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(snap):
    os.chmod(snap / "usage.parquet", 0)
    expect(snap, file="usage.parquet", contains="cannot be read")


def test_unreadable_file_as_root(snap):
    # As root, permissions do not stop reads; a folder in place of a file stands in for
    # a file that cannot be read.
    (snap / "usage.parquet").unlink()
    (snap / "usage.parquet").mkdir()
    expect(snap, file="usage.parquet", contains="not a regular file")


def test_resolver_falls_back_to_the_next_valid_snapshot(tmp_path):
    snapshots = tmp_path / "snapshots"
    good = build_tiny_snapshot(snapshots / "2026-01-28T000000Z").path
    bad = build_tiny_snapshot(snapshots / "2026-01-29T000000Z").path
    (bad / "usage.parquet").write_bytes(b"garbage")
    sample = build_tiny_snapshot(tmp_path / "sample").path
    res = resolve_snapshot(None, snapshots, sample)
    assert res.snapshot.path == good
    assert len(res.problems) == 1 and res.problems[0][0] == str(bad)
    assert "usage.parquet" in res.problems[0][1]
    # an env var naming a broken folder falls back too, and says so
    res = resolve_snapshot(str(tmp_path / "nope"), snapshots, sample)
    assert res.snapshot.path == good and "does not exist" in res.problems[0][1]


def test_write_snapshot_failure_leaves_nothing_behind(tmp_path):
    rows = tiny_usage()
    rows[0]["total_tokens"] = -1
    with pytest.raises(SnapshotError):
        build_tiny_snapshot(tmp_path / "snap", usage=rows)
    assert list(tmp_path.iterdir()) == []


def test_write_snapshot_overwrite_keeps_old_on_failure(tmp_path):
    good = build_tiny_snapshot(tmp_path / "snap").path
    before = tree_digest(good)
    rows = tiny_usage()
    rows.append(dict(rows[0]))
    with pytest.raises(SnapshotError):
        build_tiny_snapshot(tmp_path / "snap", usage=rows, overwrite=True)
    assert tree_digest(good) == before
    assert [p.name for p in tmp_path.iterdir()] == ["snap"]
