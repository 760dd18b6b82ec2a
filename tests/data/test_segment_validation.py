"""A broken usage_by_segment.parquet is rejected with one message naming the file, the
column and the row (tests/data/test_snapshot_validation.py's pattern), and writing
one that breaks the format leaves nothing behind."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.data.test_snapshot_validation import expect, rewrite_manifest_checksum
from tests.tiny_segments import build_segment_snapshot, segment_rows
from tokenshare.data.snapshot.layout import SEGMENT_COLUMNS, SEGMENT_FILE, SnapshotError
from tokenshare.data.snapshot.validate import load_snapshot

F = SEGMENT_FILE
TYPES = {"VARCHAR": pa.string(), "DATE": pa.date32(), "BIGINT": pa.int64(), "BOOLEAN": pa.bool_()}
SCHEMA = pa.schema([(c, TYPES[t]) for c, t in SEGMENT_COLUMNS.items()])


@pytest.fixture
def snap(tmp_path):
    return build_segment_snapshot(tmp_path / "snap").path


def rewrite(path, rows, schema=SCHEMA):
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path / F)
    rewrite_manifest_checksum(path, F)


def first_with(**change):
    rows = segment_rows()
    rows[0] = {**rows[0], **change}
    return rows


def test_the_fixture_loads(snap):
    s = load_snapshot(snap)
    assert s.has_segments and s.row_count(F) == len(segment_rows())


@pytest.mark.parametrize("rows, column, words", [
    (first_with(total_tokens=-1), "total_tokens", "negative token count -1"),
    (first_with(segment=None), "segment", "empty value"),
    (first_with(is_estimate=None), "is_estimate", "empty value"),
    (first_with(segment="video"), "segment", "'modality' / 'video' is not a known segment"),
    (first_with(dimension="colour"), "segment", "'colour' / 'text' is not a known segment"),
    (first_with(is_estimate=True), "is_estimate", "modality figures are exact daily counts"),
    (segment_rows() + [{**segment_rows()[-1], "date": dt.date(2026, 1, 6)}], "date", "is not a Monday"),
    (first_with(date=dt.date(2026, 2, 1)), "date", "2026-02-01 is outside the manifest's range"),
    (first_with(date=dt.date(2026, 1, 4)), "date", "2026-01-04 is outside the manifest's range"),
    (segment_rows() + segment_rows()[:1], "model_permaslug", "appears 2 times"),
])
def test_broken_segment_rows(snap, rows, column, words):
    rewrite(snap, rows)
    expect(snap, file=F, column=column, contains=words)


def test_a_mistyped_segment_column(snap):
    schema = pa.schema([(c, pa.string() if c == "total_tokens" else t) for c, t in zip(SCHEMA.names, SCHEMA.types)])
    rows = [{**r, "total_tokens": str(r["total_tokens"])} for r in segment_rows()]
    rewrite(snap, rows, schema)
    expect(snap, file=F, column="total_tokens")


def test_writing_a_bad_segment_table_leaves_nothing(tmp_path):
    rows = segment_rows()
    rows[3] = {**rows[3], "segment": "smell"}
    with pytest.raises(SnapshotError, match="not a known segment"):
        build_segment_snapshot_with(tmp_path / "snap", rows)
    assert list(tmp_path.iterdir()) == []


def build_segment_snapshot_with(target, rows):
    from tests.tiny import build_tiny_snapshot

    return build_tiny_snapshot(target, usage_by_segment=rows)
