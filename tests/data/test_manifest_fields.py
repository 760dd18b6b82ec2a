"""Every manifest field checked by type, range, encoding, nesting depth and size, with a
message naming the field; what the checks cannot foresee still becomes "broken
snapshot, skipped"; the validate command prints messages, never a traceback; and the
two snapshots the validator used to accept that crashed every page (no usage rows,
token totals past the largest BIGINT) are refused with a message.

Before: ``files."usage.parquet".rows = "many"`` was a ValueError and a manifest that is
not UTF-8 a UnicodeDecodeError on every page and in ``python -m tokenshare validate``."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.data.test_snapshot_validation import rewrite_usage, tree_digest, usage_table
from tests.hostile import tried
from tests.tiny import build_tiny_snapshot, tiny_usage
from tokenshare import cli
from tokenshare.data.snapshot.layout import MAX_MANIFEST_BYTES, SnapshotError
from tokenshare.data.published.locate import resolve_snapshot
from tokenshare.data.snapshot.validate import load_snapshot


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_tiny_snapshot(tmp_path_factory.mktemp("manifest") / "snap").path


@pytest.fixture
def snap(template, tmp_path):
    dest = tmp_path / "snap"
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns("derived_*"))
    return dest


def set_path(m, path, value):
    *parents, last = path
    for k in parents:
        m = m[k]
    m[last] = value


U = ("files", "usage.parquet")
FIELD_CASES = [
    # (path in the manifest, value, column named, words in the message)
    (U + ("rows",), "many", "files", "not a whole number"),
    (U + ("rows",), -1, "files", "not a whole number"),
    (U + ("rows",), 2**64, "files", "not a whole number"),
    (U + ("rows",), True, "files", "not a whole number"),
    (U + ("rows",), 36.5, "files", "not a whole number"),
    (U + ("rows",), None, "files", "not a whole number"),
    (U + ("rows",), [36], "files", "not a whole number"),
    (U + ("sha256",), 12345, "files", "not 64 lowercase hex"),
    (U + ("sha256",), "zz" * 32, "files", "not 64 lowercase hex"),
    (U + ("sha256",), {"a": 1}, "files", "not 64 lowercase hex"),
    (U, "usage", "files", "must be an object"),
    (U, [1, 2], "files", "must be an object"),
    (U, None, "files", "must be an object"),
    (("files",), "usage.parquet", "files", "must map file names"),
    (("files",), {f"f{i}.parquet": {} for i in range(50)}, "files", "lists 50 files"),
    (("format_version",), True, "format_version", "this tokenshare reads 1"),
    (("format_version",), "1", "format_version", "this tokenshare reads 1"),
    (("format_version",), 1.0, "format_version", "this tokenshare reads 1"),
    (("format_version",), 2, "format_version", "this tokenshare reads 1"),
    (("source",), 42, "source", "must be text"),
    (("source",), ["x"], "source", "must be text"),
    (("source",), "x" * 5000, "source", "at most 1,000"),
    (("as_of",), None, "as_of", "must be text"),
    (("as_of",), {"when": "now"}, "as_of", "must be text"),
    (("citation",), 7, "citation", "must be text"),
    (("licence",), False, "licence", "must be text"),
    (("format",), [], "format", "must be text"),
    (("synthetic",), "false", "synthetic", "true or false"),
    (("synthetic",), 0, "synthetic", "true or false"),
    (("start_date",), 20260105, "start_date", "not a YYYY-MM-DD date"),
    (("start_date",), "20260105", "start_date", "not a YYYY-MM-DD date"),
    (("start_date",), "2026-1-5", "start_date", "not a YYYY-MM-DD date"),
    (("start_date",), None, "start_date", "not a YYYY-MM-DD date"),
    (("start_date",), "0001-01-01", "start_date", "outside 1970 to 2200"),
    (("end_date",), "9999-12-31", "end_date", "outside 1970 to 2200"),
    (("end_date",), ["2026-01-27"], "end_date", "not a YYYY-MM-DD date"),
    (("end_date",), "2026-02-30", "end_date", "not a YYYY-MM-DD date"),
]


def write_manifest(snap, m):
    (snap / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


@pytest.mark.parametrize("path, value, column, words", FIELD_CASES,
                         ids=[f"{'.'.join(c[0])}={str(c[1])[:20]}" for c in FIELD_CASES])
def test_a_mistyped_manifest_field_is_named(snap, path, value, column, words):
    m = json.loads((snap / "manifest.json").read_text())
    set_path(m, path, value)
    write_manifest(snap, m)
    before = tree_digest(snap)
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap)
    err = info.value
    assert err.file == "manifest.json" and err.column == column, err.describe()
    assert words in err.describe(), err.describe()
    assert len(err.describe()) < 400
    assert tree_digest(snap) == before
    tried("snapshot")


RAW_CASES = {
    "not UTF-8": (lambda text: text.encode("utf-8").replace(b'"tiny test', b'"tiny \xff\xfe test'), "not UTF-8 text"),
    "UTF-16": (lambda text: text.encode("utf-16"), "not UTF-8 text"),
    "nested 200,000 deep": (lambda text: b'{"x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "nested too deeply"),
    "nested 40 deep": (lambda text: text[:-2].encode() + b', "x": ' + b"[" * 40 + b"]" * 40 + b"}", "nested too deeply"),
    "over the size bound": (lambda text: text[:-2].encode() + b', "pad": "' + b"x" * (MAX_MANIFEST_BYTES + 10) + b'"}',
                            "a manifest is at most"),
    "NaN": (lambda text: text[:-2].encode() + b', "x": NaN}', "not a JSON number"),
    "a 10,000-digit number": (lambda text: text[:-2].encode() + b', "x": ' + b"9" * 10_000 + b"}", "not valid JSON"),
    "a list": (lambda text: b"[1, 2, 3]", "must be a JSON object"),
    "empty": (lambda text: b"", "not valid JSON"),
    "cut in half": (lambda text: text.encode()[: len(text) // 2], "not valid JSON"),
    "a BOM": (lambda text: b"\xef\xbb\xbf" + text.encode(), "not valid JSON"),
    "null bytes": (lambda text: b"\x00" * 100, "not valid JSON"),
}


@pytest.mark.parametrize("name", list(RAW_CASES))
def test_manifest_bytes_that_are_not_a_manifest(snap, name):
    mutate, words = RAW_CASES[name]
    text = (snap / "manifest.json").read_text(encoding="utf-8").rstrip()
    (snap / "manifest.json").write_bytes(mutate(text))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap)
    assert info.value.file == "manifest.json" and words in info.value.describe(), info.value.describe()
    tried("snapshot")


def test_the_resolver_skips_a_broken_newest_snapshot_and_opens_the_next(template, tmp_path, capsys):
    snaps = tmp_path / "snapshots"
    good = snaps / "2026-01-28T000000Z"
    shutil.copytree(template, good, ignore=shutil.ignore_patterns("derived_*"))
    bad = snaps / "2026-01-29T000000Z"
    shutil.copytree(template, bad, ignore=shutil.ignore_patterns("derived_*"))
    m = json.loads((bad / "manifest.json").read_text())
    m["files"]["usage.parquet"]["rows"] = "many"
    write_manifest(bad, m)
    worse = snaps / "2026-01-30T000000Z"
    shutil.copytree(template, worse, ignore=shutil.ignore_patterns("derived_*"))
    (worse / "manifest.json").write_bytes(b"\xff\xfe not utf-8")
    r = resolve_snapshot(None, snaps, tmp_path / "no-sample")
    assert r.snapshot is not None and r.snapshot.path == good
    assert [p for p, _ in r.problems] == [str(worse), str(bad)]
    assert "not UTF-8" in r.problems[0][1] and "rows 'many'" in r.problems[1][1]
    tried("snapshot", 2)


def test_an_unforeseen_error_in_a_candidate_is_skipped_with_its_reason(template, tmp_path):
    def loader(path):
        if path.name == "boom":
            raise KeyError("something nobody checked")
        return load_snapshot(path)

    snaps = tmp_path / "snapshots"
    (snaps / "boom").mkdir(parents=True)
    (snaps / "boom" / "manifest.json").write_text("{}")
    r = resolve_snapshot(None, snaps, template, loader=loader)
    assert r.snapshot is not None and r.snapshot.path == template
    assert r.problems == [(str(snaps / "boom"), "broken snapshot, skipped: KeyError: 'something nobody checked'")]
    tried("snapshot")


def test_validate_prints_messages_never_a_traceback(template, tmp_path, capsys, monkeypatch):
    folders = []
    for name, raw in {"not-utf8": b"\xff\xfe", "rows-many": None, "deep": b"[" * 200_000 + b"]" * 200_000}.items():
        dest = tmp_path / name
        shutil.copytree(template, dest, ignore=shutil.ignore_patterns("derived_*"))
        if raw is None:
            m = json.loads((dest / "manifest.json").read_text())
            m["files"]["usage.parquet"]["rows"] = "many"
            raw = json.dumps(m).encode()
        (dest / "manifest.json").write_bytes(raw)
        folders.append(str(dest))
    # and one whose loading fails in a way no check foresaw
    import tokenshare.data.snapshot.validate as validate

    real = validate.load_snapshot

    def flaky(path, **kw):
        if str(path).endswith("valid"):
            raise MemoryError("pretend")
        return real(path, **kw)

    monkeypatch.setattr(validate, "load_snapshot", flaky)
    shutil.copytree(template, tmp_path / "valid", ignore=shutil.ignore_patterns("derived_*"))
    status = cli.main(["validate", *folders, str(tmp_path / "valid")])
    out, err = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in out + err
    lines = out.strip().splitlines()
    assert len(lines) == 4 and all(": INVALID: " in ln for ln in lines), lines
    assert "not UTF-8" in lines[0] and "rows 'many'" in lines[1] and "nested too deeply" in lines[2]
    assert "broken snapshot, skipped: MemoryError: pretend" in lines[3]
    tried("snapshot", 4)


def test_a_snapshot_without_usage_rows_is_refused(tmp_path):
    """It passed validation and then every page failed with "Unknown format code 'd' for
    float" (no first and last day to draw)."""
    with pytest.raises(SnapshotError) as info:
        build_tiny_snapshot(tmp_path / "empty", usage=[])
    assert info.value.file == "usage.parquet" and "has no rows" in info.value.describe()
    assert not (tmp_path / "empty").exists()
    tried("snapshot")


def test_token_totals_past_the_largest_bigint_are_refused(snap):
    rows = tiny_usage()
    big = (2**63 - 1) // 10  # each value fits; 36 of them do not add up in a BIGINT
    t = usage_table(rows).set_column(2, "total_tokens", pa.array([big] * len(rows), pa.int64()))
    rewrite_usage(snap, t)
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap)
    assert info.value.column == "total_tokens" and "add up to" in info.value.describe()
    assert f"{big * len(rows):,}" in info.value.describe()  # the exact total, computed here
    tried("snapshot")


def test_token_totals_just_under_the_limit_are_valid(snap):
    rows = tiny_usage()
    each = (2**63 - 1) // len(rows)
    rewrite_usage(snap, usage_table(rows).set_column(2, "total_tokens", pa.array([each] * len(rows), pa.int64())))
    assert pq.read_table(snap / "usage.parquet").num_rows == len(rows)
    load_snapshot(snap)
