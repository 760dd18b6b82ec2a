"""Property-based: a copy of the tiny snapshot, mutated (manifest fields, Parquet
columns, types, values, file bytes, files missing or added), opened by the whole app
on a page drawn at random. Whatever the mutation, the app opens a valid snapshot (the
mutated one when it is still valid, else the next one) or shows a notice, never an
exception; a snapshot the validator refused is named in a notice.

Bounded (25 examples, derandomized so a failure reproduces). Also: every
page on a one-row snapshot and on one whose token total is just under the largest
BIGINT (the largest the validator accepts)."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from tests.hostile import tried
from tests.pages.apprun import APP, NEW_PAGES, PAGES
from tests.tiny import build_tiny_snapshot, tiny_usage
from tokenshare.app import state
from tokenshare.data.snapshot.layout import sha256_of

ALL_PAGES = PAGES + NEW_PAGES
MANIFEST_PATHS = [("source",), ("as_of",), ("start_date",), ("end_date",), ("synthetic",), ("format_version",),
                  ("files",), ("files", "usage.parquet"), ("files", "usage.parquet", "rows"),
                  ("files", "models.parquet", "sha256"), ("files", "labs.csv", "rows"), ("citation",), ("extra",)]
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
              st.text(max_size=30), st.sampled_from(["2026-01-05", "2026-01-27", "1900-01-01", "many", ""])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)
COLUMNS = {"usage.parquet": ["date", "model_permaslug", "total_tokens"],
           "models.parquet": ["model_permaslug", "name", "author", "open_weights", "released_at", "context_length"]}
TOKEN_VALUES = [0, 1, -1, 2**31, 2**62, 2**63 - 1]

manifest_mutation = st.tuples(st.just("manifest"), st.sampled_from(MANIFEST_PATHS), json_values)
column_mutation = st.tuples(
    st.just("column"), st.sampled_from(sorted(COLUMNS)), st.integers(0, 5),
    st.sampled_from(["to_text", "drop", "nulls", "rename", "constant", "reverse"]), st.sampled_from(TOKEN_VALUES),
    st.booleans(),  # rewrite the manifest's checksum and rows, so the content checks fire
)
bytes_mutation = st.tuples(
    st.just("bytes"), st.sampled_from(["usage.parquet", "models.parquet", "labs.csv", "manifest.json"]),
    st.sampled_from(["flip", "truncate", "append", "empty", "remove"]), st.floats(0, 1), st.booleans(),
)
extra_file = st.tuples(st.just("extra"), st.sampled_from(["notes.txt", "derived_x.parquet", ".hidden", "sub"]))
mutation = st.one_of(manifest_mutation, column_mutation, bytes_mutation, extra_file)


def _rewrite(snap, name):
    m = json.loads((snap / "manifest.json").read_text())
    if isinstance(m.get("files"), dict) and isinstance(m["files"].get(name), dict):
        m["files"][name]["sha256"] = sha256_of(snap / name)
        if name.endswith(".parquet") and _is_parquet(snap / name):
            m["files"][name]["rows"] = pq.read_metadata(snap / name).num_rows
        # (a file no longer Parquet keeps its count: the checksum already tells)
    (snap / "manifest.json").write_text(json.dumps(m))


def _is_parquet(path) -> bool:
    try:
        pq.read_metadata(path)
    except (OSError, pa.ArrowException):
        return False
    return True


def _needs(mut) -> set[str]:
    """The files a mutation reads before it writes."""
    kind = mut[0]
    if kind == "manifest":
        return {"manifest.json"}
    if kind in ("column", "bytes"):
        return {mut[1]} | ({"manifest.json"} if mut[-1] and mut[1] != "manifest.json" else set())
    return set()


def _writes(mut) -> set[str]:
    return _needs(mut) if mut[0] != "extra" else set()


def apply_all(snap, muts) -> list:
    """Apply the mutations in order and return those applied. The first always applies
    (to an untouched copy: an error there is a bug in this fixture, and fails the test);
    a later one is left out only when an earlier one changed a file it reads (removed
    it, or left it no longer Parquet or JSON), and the test says so (a Hypothesis event)."""
    applied, changed = [], set()
    for mut in muts:
        try:
            _apply(snap, mut)
        except (FileNotFoundError, pa.ArrowException, json.JSONDecodeError, UnicodeDecodeError, KeyError,
                TypeError, ValueError) as exc:
            if not (_needs(mut) & changed):
                raise AssertionError(f"the mutation {mut} did not apply to files no mutation touched: {exc!r}")
            event(f"left out: {mut[0]} after an earlier mutation of {sorted(_needs(mut) & changed)}")
        else:
            applied.append(mut)
        changed |= _writes(mut)
    return applied


def _apply(snap, mut):
    kind = mut[0]
    if kind == "manifest":
        _, path, value = mut
        m = json.loads((snap / "manifest.json").read_text())
        target = m
        for k in path[:-1]:
            target = target[k]
        target[path[-1]] = value
        (snap / "manifest.json").write_text(json.dumps(m))
    elif kind == "column":
        _, name, which, op, value, rewrite = mut
        t = pq.read_table(snap / name)
        col = COLUMNS[name][which % len(COLUMNS[name])]
        i = t.column_names.index(col)
        if op == "to_text":
            t = t.set_column(i, col, t.column(col).cast(pa.string()))
        elif op == "drop":
            t = t.remove_column(i)
        elif op == "nulls":
            t = t.set_column(i, col, pa.nulls(t.num_rows, t.schema.field(col).type))
        elif op == "rename":
            t = t.rename_columns([c if c != col else col + "_x" for c in t.column_names])
        elif op == "constant" and pa.types.is_integer(t.schema.field(col).type):
            t = t.set_column(i, col, pa.array([value] * t.num_rows, pa.int64()))
        else:  # reverse the column's values against the others
            t = t.set_column(i, col, pa.array(t.column(col).to_pylist()[::-1], t.schema.field(col).type))
        pq.write_table(t, snap / name)
        if rewrite:
            _rewrite(snap, name)
    elif kind == "bytes":
        _, name, op, where, rewrite = mut
        p = snap / name
        data = bytearray(p.read_bytes())
        at = max(min(int(where * len(data)), len(data) - 1), 0)
        if op == "flip" and data:
            data[at] ^= 0xFF
        elif op == "truncate":
            data = data[:at]
        elif op == "append":
            data += b"\x00garbage\xff"
        elif op == "empty":
            data = bytearray()
        if op == "remove":
            p.unlink()
        else:
            p.write_bytes(bytes(data))
        if rewrite and name != "manifest.json" and p.exists():
            _rewrite(snap, name)
    elif kind == "extra":
        name = mut[1]
        if name == "sub":
            (snap / name).mkdir()
        else:
            (snap / name).write_bytes(b"x")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_tiny_snapshot(tmp_path_factory.mktemp("mutations") / "snap").path


def open_app(page):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if page != "views/share.py" and not at.exception:
        at.switch_page(page)
        at.run()
    return at


# No shrinking: a failure is reported as found (shrinking AppTest runs took minutes).
@settings(max_examples=25, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(muts=st.lists(mutation, min_size=1, max_size=2), page=st.sampled_from(ALL_PAGES))
def test_any_mutated_snapshot_opens_or_falls_back_with_a_notice(template, tmp_path_factory, monkeypatch, muts, page):
    snap = tmp_path_factory.mktemp("mut") / "snap"
    shutil.copytree(template, snap, ignore=shutil.ignore_patterns("derived_*"))
    applied = apply_all(snap, muts)
    assert applied and applied[0] == muts[0]
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(snap))
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", snap.parent / "none")
    monkeypatch.setattr(state, "SAMPLE_DIR", template)
    at = open_app(page)
    assert not at.exception, (muts, page, [e.value for e in at.exception])
    assert at.title, "the page drew"
    # either the mutated snapshot opened, or a notice names it and the page shows the
    # fallback (the untouched tiny snapshot, whose id differs from any mutated one)
    skipped = [w.value for w in at.warning if "could not be opened" in w.value]
    # (the Compare page offers the TOKENSHARE_SNAPSHOT folder too: it says it cannot open it)
    assert all("could not be opened" in e.value for e in at.error), (muts, [e.value for e in at.error])
    if skipped:
        assert str(snap) in skipped[0] or snap.name in skipped[0]
    tried("snapshot", len(applied))


@pytest.mark.parametrize("kind", ["one row", "just under the BIGINT limit"])
def test_every_page_on_an_extreme_snapshot(kind, tmp_path, monkeypatch):
    rows = tiny_usage()
    if kind == "one row":
        rows = rows[:1]
    else:
        for r in rows:
            r["total_tokens"] = (2**63 - 1) // len(rows)
    snap = build_tiny_snapshot(tmp_path / "snap", usage=rows)
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(snap.path))
    at = open_app("views/share.py")
    for page in ALL_PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (kind, page, [e.value for e in at.exception])
        assert not [w for w in at.warning if "could not be opened" in w.value], "it is a valid snapshot"
        tried("snapshot")
