"""Broken snapshots that tests/data/test_snapshot_validation.py does not cover yet (it has
missing/extra files, missing manifest, bad JSON, wrong version, checksum mismatch,
zero-byte and truncated Parquet, missing and mistyped columns, negative and
overflowing tokens, duplicate usage and model keys, dates outside the manifest, a bad
country code, a symlink out of the folder, an unreadable file, the resolver's
fallback). Here: the labs table, the optional category table, the manifest's file
list, row counts and dates, empty values, a file changed after a validation stamp,
and the whole app falling back from a broken newest snapshot without touching it.

Same expectations: one message naming the file and the column (and the row where
there is one), nothing modified."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.data.test_snapshot_validation import expect, rewrite_manifest_checksum, tree_digest, usage_table
from tests.hostile import tried
from tests.tiny import MODELS, build_tiny_snapshot, tiny_usage
from tokenshare.data.snapshot import stamps
from tokenshare.data.snapshot.layout import CATEGORY_COLUMNS, SnapshotError
from tokenshare.data.snapshot.validate import load_snapshot


@pytest.fixture
def snap(tmp_path):
    return build_tiny_snapshot(tmp_path / "snap").path


def category_table(rows):
    import pyarrow as pa

    types = {"DATE": pa.date32(), "VARCHAR": pa.string(), "BIGINT": pa.int64()}
    return pa.Table.from_pylist(rows, schema=pa.schema([(c, types[t]) for c, t in CATEGORY_COLUMNS.items()]))


def category_rows():
    from tests.tiny import WEEKS

    return [{"week": w, "category": c, "model_permaslug": m, "total_tokens": 100 + i}
            for i, w in enumerate(WEEKS) for c in ("programming", "roleplay")
            for m in ("deepseek/deepseek-v3", "openai/gpt-5")]


@pytest.fixture
def snap_with_categories(tmp_path):
    return build_tiny_snapshot(tmp_path / "snapc", usage_by_category=category_rows()).path


def write_manifest(path, mutate):
    m = json.loads((path / "manifest.json").read_text())
    mutate(m)
    (path / "manifest.json").write_text(json.dumps(m))


# --------------------------------------------------------------------------- labs.csv


def test_labs_duplicate_author(snap):
    text = (snap / "labs.csv").read_text()
    line = next(ln for ln in text.splitlines() if ln.startswith("arcee-ai,"))
    (snap / "labs.csv").write_text(text + line + "\n")
    write_manifest(snap, lambda m: m["files"]["labs.csv"].update(rows=m["files"]["labs.csv"]["rows"] + 1))
    rewrite_manifest_checksum(snap, "labs.csv")
    err = expect(snap, file="labs.csv", column="author", contains="'arcee-ai' appears twice")
    assert "line" in err.describe()


def test_labs_missing_column(snap):
    lines = (snap / "labs.csv").read_text().splitlines()
    (snap / "labs.csv").write_text("\n".join(",".join(ln.split(",")[:3]) for ln in lines) + "\n")
    rewrite_manifest_checksum(snap, "labs.csv")
    expect(snap, file="labs.csv", column="country_name", contains="missing column")


def test_labs_not_utf8(snap):
    (snap / "labs.csv").write_bytes((snap / "labs.csv").read_bytes() + "zhipu,Zhipu \u667a\u8c31,CN,China\n".encode("gb18030"))
    rewrite_manifest_checksum(snap, "labs.csv")
    expect(snap, file="labs.csv", contains="not UTF-8")


# --------------------------------------------------------------------------- categories


def test_snapshot_with_categories_is_valid(snap_with_categories):
    assert load_snapshot(snap_with_categories).has_categories


def _rewrite_categories(path, rows_or_table):
    t = rows_or_table if isinstance(rows_or_table, pa.Table) else category_table(rows_or_table)
    pq.write_table(t, path / "usage_by_category.parquet")
    rewrite_manifest_checksum(path, "usage_by_category.parquet")


def test_category_duplicate_key(snap_with_categories):
    rows = category_rows()
    rows.append(dict(rows[0]))
    _rewrite_categories(snap_with_categories, rows)
    expect(snap_with_categories, file="usage_by_category.parquet", column="model_permaslug", contains="appears 2 times")


def test_category_negative_tokens(snap_with_categories):
    rows = category_rows()
    rows[2]["total_tokens"] = -1
    _rewrite_categories(snap_with_categories, rows)
    expect(snap_with_categories, file="usage_by_category.parquet", column="total_tokens", contains="negative token count -1")


def test_category_empty_key(snap_with_categories):
    rows = category_rows()
    rows[1]["category"] = None
    _rewrite_categories(snap_with_categories, rows)
    expect(snap_with_categories, file="usage_by_category.parquet", column="category", contains="empty value")


def test_category_mistyped_week(snap_with_categories):
    t = category_table(category_rows())
    t = t.set_column(0, "week", t.column("week").cast(pa.string()))
    _rewrite_categories(snap_with_categories, t)
    expect(snap_with_categories, file="usage_by_category.parquet", column="week", contains="type VARCHAR, expected DATE")


def test_category_file_listed_but_missing(snap_with_categories):
    (snap_with_categories / "usage_by_category.parquet").unlink()
    expect(snap_with_categories, file="usage_by_category.parquet", contains="listed in manifest.json but missing")


def test_category_file_present_but_not_listed(snap):
    pq.write_table(category_table(category_rows()), snap / "usage_by_category.parquet")
    expect(snap, file="usage_by_category.parquet", contains="not listed in manifest.json")


# --------------------------------------------------------------------------- manifest


def test_manifest_lists_an_unknown_file(snap):
    write_manifest(snap, lambda m: m["files"].update({"../../etc/passwd": {"sha256": "0" * 64, "rows": 1}}))
    expect(snap, file="manifest.json", column="files", contains="unknown file '../../etc/passwd'")


def test_manifest_row_count_disagrees(snap):
    write_manifest(snap, lambda m: m["files"]["usage.parquet"].update(rows=1))
    expect(snap, file="usage.parquet", contains="manifest.json says 1")


@pytest.mark.parametrize("mutate, column, fragment", [
    (lambda m: m.update(start_date="2026-02-01"), "start_date", "is after end_date"),
    (lambda m: m.update(end_date="2026-02-30"), "end_date", "not a YYYY-MM-DD date"),
    (lambda m: m.update(synthetic="yes"), "synthetic", "true or false"),
    (lambda m: m.pop("as_of"), "as_of", "missing key"),
    (lambda m: m.update(files=[]), "files", "must map file names"),
])
def test_manifest_values(snap, mutate, column, fragment):
    write_manifest(snap, mutate)
    expect(snap, file="manifest.json", column=column, contains=fragment)


def test_manifest_without_a_checksum(snap):
    write_manifest(snap, lambda m: m["files"]["models.parquet"].pop("sha256"))
    expect(snap, file="manifest.json", column="files", contains="no sha256 for models.parquet")


# --------------------------------------------------------------------------- empty values


def test_usage_empty_permaslug(snap):
    rows = tiny_usage()
    rows[5]["model_permaslug"] = None
    pq.write_table(usage_table(rows), snap / "usage.parquet")
    rewrite_manifest_checksum(snap, "usage.parquet")
    expect(snap, file="usage.parquet", column="model_permaslug", contains="empty value")


def test_models_empty_author(snap):
    from tokenshare.data.snapshot.layout import MODELS_COLUMNS
    from tokenshare.data.snapshot.write import _as_arrow

    models = [dict(m) for m in MODELS]
    models[2]["author"] = None
    pq.write_table(_as_arrow(models, MODELS_COLUMNS, "models.parquet"), snap / "models.parquet")
    rewrite_manifest_checksum(snap, "models.parquet")
    expect(snap, file="models.parquet", column="author")


def test_models_unknown_open_weights_basis(snap):
    from tokenshare.data.snapshot.layout import MODELS_COLUMNS
    from tokenshare.data.snapshot.write import _as_arrow

    models = [dict(m) for m in MODELS]
    models[0]["open_weights_basis"] = "vibes"
    pq.write_table(_as_arrow(models, MODELS_COLUMNS, "models.parquet"), snap / "models.parquet")
    rewrite_manifest_checksum(snap, "models.parquet")
    expect(snap, file="models.parquet", column="open_weights_basis")


# --------------------------------------------------------------------------- validation stamps


def test_a_file_changed_after_the_validation_stamp_is_caught(snap):
    """The loader stamps a folder that passed and skips the checksums while every
    file's size, times and inode match the stamp; a later change must still be seen."""
    stamps.settle(snap)  # files written in the last 200 ms are never stamped
    load_snapshot(snap)
    assert (snap / stamps.VALIDATION_STAMP).is_file(), "the first load left its stamp"
    data = bytearray((snap / "usage.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, different bytes
    (snap / "usage.parquet").write_bytes(bytes(data))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap)
    assert info.value.file == "usage.parquet"
    tried("snapshot")


# --------------------------------------------------------------------------- the app


def test_app_falls_back_from_a_broken_newest_snapshot_and_touches_nothing(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.pages.apprun import APP
    from tokenshare.app import state

    snapshots = tmp_path / "snapshots"
    good = build_tiny_snapshot(snapshots / "2026-01-28T000000Z").path
    bad = build_tiny_snapshot(snapshots / "2026-01-29T000000Z").path
    rows = tiny_usage()
    rows[0]["total_tokens"] = -7
    pq.write_table(usage_table(rows), bad / "usage.parquet")
    rewrite_manifest_checksum(bad, "usage.parquet")
    shutil.rmtree(tmp_path / "no-sample", ignore_errors=True)
    before = tree_digest(bad)

    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", snapshots)
    monkeypatch.setattr(state, "SAMPLE_DIR", tmp_path / "no-sample")
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    warning = next(w.value for w in at.warning if "could not be opened" in w.value)
    assert "2026-01-29T000000Z" in warning and "usage.parquet" in warning and "total_tokens" in warning
    assert "negative token count -7" in warning
    assert "2026-01-28T000000Z" in warning  # says which one it shows instead
    assert next(m.value for m in at.metric if m.label.startswith("Open-weight share")) == "62.0%"
    assert tree_digest(bad) == before, "nothing is written into a broken snapshot"
    tried("snapshot")
    assert sorted(p.name for p in bad.iterdir()) == sorted(["labs.csv", "manifest.json", "models.parquet", "usage.parquet"])
    assert good.is_dir()
