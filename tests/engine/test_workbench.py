"""The SQL workbench: every refusal one by one (the parser gate), the engine barrier on
its own, the row cap and time limit, and the example queries on the tiny snapshot."""

import duckdb
import pytest

from tokenshare.core import sql
from tokenshare.engine import workbench as wb
from tokenshare.engine.workbench_run import open_locked


@pytest.fixture(scope="module")
def sandbox(tiny_db):
    sb = wb.Sandbox(tiny_db, time_limit=0.5, row_cap=100)
    yield sb
    sb.close()


@pytest.mark.parametrize("query, fragment", [
    ("SELECT * FROM read_parquet('/etc/passwd')", "`read_parquet(...)` reads files"),
    ("SELECT * FROM read_parquet('/etc/ssl/*.parquet')", "reads files"),
    ("SELECT * FROM read_csv('/etc/passwd')", "`read_csv(...)` reads files"),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", "reads files"),
    ("SELECT * FROM read_text('/etc/hostname')", "`read_text(...)` reads files"),
    ("SELECT * FROM read_json('/etc/x.json')", "reads files"),
    ("SELECT * FROM glob('/etc/*')", "`glob(...)` reads files"),
    ("SELECT * FROM sniff_csv('/etc/passwd')", "reads files"),
    ("SELECT * FROM '/etc/passwd'", "the table name `/etc/passwd` is a file path"),
    ("SELECT * FROM 'usage.parquet'", "is a file path"),
    ("WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x", "reads files"),
    ("SELECT (SELECT count(*) FROM read_blob('/etc/passwd'))", "reads files"),
    ("SELECT * FROM usage WHERE date IN (SELECT * FROM read_parquet('/x.parquet'))", "reads files"),
    ("SELECT * FROM query('SELECT 1')", "`query(...)` is not available"),
    ("SELECT * FROM arrow_scan(1, 2, 3)", "`arrow_scan(...)` is not available"),
    ("SELECT * FROM duckdb_settings()", "not available"),
    ("COPY usage TO '/tmp/out.csv'", "`COPY` reads or writes files"),
    ("COPY (SELECT 1) TO '/tmp/out.parquet' (FORMAT parquet)", "`COPY`"),
    ("COPY usage FROM '/etc/passwd'", "`COPY`"),
    ("EXPORT DATABASE '/tmp/exported'", "`EXPORT DATABASE` writes files"),
    ("IMPORT DATABASE '/tmp/exported'", "`IMPORT DATABASE`"),
    ("ATTACH '/tmp/other.db' AS other", "`ATTACH` opens another database"),
    ("DETACH other", "`DETACH`"),
    ("INSTALL httpfs", "`INSTALL` and `LOAD` add extensions"),
    ("LOAD httpfs", "`INSTALL` and `LOAD` add extensions"),
    ("SET enable_external_access = true", "`SET`, `RESET` and `USE` change settings"),
    ("SET threads = 64", "change settings"),
    ("RESET lock_configuration", "change settings"),
    ("PRAGMA enable_profiling", "`PRAGMA`"),
    ("CALL pragma_version()", "`CALL`"),
    ("CHECKPOINT", "`CALL`"),
    ("CREATE TABLE t AS SELECT 1", "`CREATE` writes"),
    ("CREATE VIEW v AS SELECT 1", "`CREATE` writes"),
    ("INSERT INTO labs VALUES ('a', 'b', 'c', 'd')", "`INSERT` writes"),
    ("UPDATE usage SET total_tokens = 0", "`UPDATE` writes"),
    ("DELETE FROM usage", "`DELETE` writes"),
    ("DROP TABLE usage", "`DROP` writes"),
    ("ALTER TABLE usage RENAME TO u", "`ALTER` writes"),
    ("BEGIN TRANSACTION", "transaction statements"),
    ("SELECT 1; SELECT 2", "holds 2 statements"),
    ("SELECT 1; DROP TABLE usage", "holds 2 statements"),
    ("SELECT 1;\nCOPY usage TO '/tmp/x.csv';", "holds 2 statements"),
    ("", "empty"),
    ("-- only a comment", "no statement"),
    ("SELEC 1", "could not parse"),
])
def test_refusals_one_by_one(sandbox, query, fragment):
    with pytest.raises(wb.Refused) as exc:
        sandbox.run(query)
    assert fragment in str(exc.value)


def _locked(sandbox):
    """The engine the workers run, opened here over the same file, past the gate."""
    return open_locked(sandbox.source, sandbox.tables, memory_limit=wb.MEMORY_LIMIT, threads=1)


def test_engine_refuses_even_without_the_gate(sandbox):
    """The settings are the real barrier: straight to DuckDB, bypassing the parser gate."""
    con = _locked(sandbox)
    cur = con.cursor()
    try:
        with pytest.raises(duckdb.PermissionException):
            cur.execute("SELECT * FROM read_csv('/etc/passwd')")
        with pytest.raises(duckdb.PermissionException):
            cur.execute("COPY usage TO '/tmp/tokenshare-should-not-exist.csv'")
        with pytest.raises(duckdb.PermissionException):
            cur.execute("ATTACH '/tmp/tokenshare-should-not-exist.db'")
        with pytest.raises(duckdb.Error, match="locked"):
            cur.execute("SET enable_external_access = true")
        with pytest.raises(duckdb.Error, match="locked"):
            cur.execute("SET memory_limit = '64GB'")
    finally:
        cur.close()
        con.close()
    settings = sandbox.settings()  # as a worker reports them
    assert settings["enable_external_access"] == "false"
    assert settings["lock_configuration"] == "true"
    assert settings["python_enable_replacements"] == "false"
    assert settings["threads"] == "1"


def test_python_variables_are_not_reachable(sandbox):
    secret_frame = sandbox  # noqa: F841  (a local a replacement scan could otherwise find)
    with pytest.raises(wb.Refused, match="does not exist"):
        sandbox.run("SELECT * FROM secret_frame")


def test_a_select_runs_and_changes_nothing(sandbox):
    r = sandbox.run("SELECT count(*) AS n FROM usage")
    assert r.df["n"].iloc[0] == 193  # tiny.py: usage rows
    # no category table in tiny; model_endpoints is always there (empty without provider data)
    assert sandbox.tables == ["usage", "models", "labs", "model_endpoints"]
    assert sandbox.run("DESCRIBE usage").df["column_name"].tolist() == ["date", "model_permaslug", "total_tokens"]
    assert sandbox.run("FROM labs LIMIT 2").df.shape[0] == 2


def test_row_cap(sandbox):
    r = sandbox.run("SELECT * FROM range(1000)")
    assert len(r.df) == 100 and r.truncated
    r = sandbox.run("SELECT * FROM range(100)")
    assert len(r.df) == 100 and not r.truncated


def test_time_limit(sandbox):
    with pytest.raises(wb.Refused, match="time limit of 0.5 s"):
        sandbox.run("SELECT count(*) FROM range(10000000000000) a")
    assert sandbox.run("SELECT 42 AS x").df["x"].iloc[0] == 42  # the sandbox still works after


def test_long_text_refused(sandbox):
    with pytest.raises(wb.Refused, match="characters long"):
        sandbox.run("x" * (wb.MAX_SQL_CHARS + 1))


def test_headline_example_reproduces_the_share_page(sandbox):
    r = sandbox.run(wb.example_sql("workbench_example_headline"))
    row = r.df.iloc[0]
    # tiny.py: W3 (19-25 Jan) is the last complete week: open 310 / named 500 a day
    assert str(row["week_start"]) == "2026-01-19"
    assert row["open_share_pct"] == 62.0
    assert row["open_tokens"] == 310 * 7 and row["named_tokens"] == 500 * 7


@pytest.mark.parametrize("name", [n for n in wb.EXAMPLES if n not in wb.NEEDS_CATEGORIES | wb.NEEDS_SEGMENTS])
def test_every_example_runs(sandbox, name):
    assert len(sandbox.run(wb.example_sql(name)).df) > 0
    assert sql.query_header(name).startswith(name + ":")


def test_category_example_on_a_snapshot_with_categories(tmp_path):
    from tests.tiny_launches import build_category_snapshot
    from tokenshare.engine.db import SnapshotDB

    db = SnapshotDB(build_category_snapshot(tmp_path / "c"))
    sb = wb.Sandbox(db)
    try:
        assert "usage_by_category" in sb.tables
        df = sb.run(wb.example_sql("workbench_example_categories")).df
        w3 = df[df["week"].astype(str) == "2026-01-19"].set_index("category")["open_share_pct"]
        assert w3.to_dict() == {"programming": 90.0, "roleplay": 80.0}
    finally:
        sb.close()
        db.close()


def test_segment_example_on_a_snapshot_with_segments(tmp_path):
    from tests.tiny_segments import build_segment_snapshot
    from tokenshare.engine.db import SnapshotDB

    db = SnapshotDB(build_segment_snapshot(tmp_path / "s"))
    sb = wb.Sandbox(db)
    try:
        assert "usage_by_segment" in sb.tables and "usage_by_category" not in sb.tables
        df = sb.run(wb.example_sql("workbench_example_segments")).df
        # W3 (the last complete week): tool calling 60 open / 150 named a day, text 100 / 200;
        # language programming 70 / 100, natural 20 / 100 (tests/tiny_segments.py)
        got = {(r.dimension, r.segment): r.open_share_pct for r in df.itertuples()}
        assert got == {("modality", "text"): 50.0, ("modality", "tool_calling"): 40.0,
                       ("language", "natural"): 20.0, ("language", "programming"): 70.0}
        assert wb.examples_for(False, True).keys() >= {"workbench_example_segments"}
        assert "workbench_example_segments" not in wb.examples_for(True, False)
    finally:
        sb.close()
        db.close()


def test_text_from_the_query_cannot_write_markdown(sandbox):
    """The query comes from the URL: what the page echoes of it stays inside a code span."""
    with pytest.raises(wb.Refused) as exc:
        sandbox.run('SELECT "x` **bold** [link](http://example.com) `y" FROM usage')
    msg = str(exc.value)
    body = msg.split("DuckDB error: ", 1)[1]
    assert body.startswith("`") and body.endswith("`") and body.count("`") == 2
    assert "[link](http://example.com)" in body  # shown literally inside the span
    with pytest.raises(wb.Refused) as exc:
        sandbox.run("SELECT * FROM '/tmp/[a](http://x)`.csv'")
    assert str(exc.value).count("`") == 2


# --------------------------------------------------------------------------- the workbench file


def _usage_totals_from_parquet(snapshot) -> tuple[int, int]:
    """Row count and token sum of usage.parquet, read with plain DuckDB (not the app)."""
    con = duckdb.connect()
    try:
        rel = con.read_parquet(str(snapshot.path / "usage.parquet"))
        return tuple(int(v) for v in rel.aggregate("count(*), sum(total_tokens)").fetchall()[0])
    finally:
        con.close()


def test_the_sandbox_attaches_one_file_written_beside_the_snapshot(tmp_path):
    """The copy of the tables is a DuckDB file written once beside the snapshot and
    attached read-only; a second sandbox (a restarted app) reuses it unchanged."""
    from tests.tiny import build_tiny_snapshot
    from tokenshare.engine.db import SnapshotDB
    from tokenshare.data.snapshot.validate import load_snapshot

    snap = build_tiny_snapshot(tmp_path / "snap")
    db = SnapshotDB(snap)
    try:
        sb = wb.Sandbox(db)
        files = sorted(snap.path.glob("derived_workbench_*"))
        assert [f.name for f in files] == [f"derived_workbench_{wb.workbench_key(snap)}.duckdb"]
        assert sb.source == files[0]
        n, tokens = _usage_totals_from_parquet(snap)
        r = sb.run("SELECT count(*) AS n, sum(total_tokens) AS tokens FROM usage").df
        assert (int(r["n"][0]), int(r["tokens"][0])) == (n, tokens)
        assert set(sb.schema()["table_name"]) == set(sb.tables) == {"usage", "models", "labs", "model_endpoints"}
        mtime = files[0].stat().st_mtime_ns
        sb.close()
        sb2 = wb.Sandbox(db)
        assert sb2.source == files[0] and files[0].stat().st_mtime_ns == mtime  # reused, not rewritten
        sb2.close()
    finally:
        db.close()
    assert load_snapshot(snap.path).snapshot_id == snap.snapshot_id  # the file is no part of the snapshot


def test_the_attached_file_cannot_be_written_or_left(tmp_path):
    from tests.tiny import build_tiny_snapshot
    from tokenshare.engine.db import SnapshotDB

    snap = build_tiny_snapshot(tmp_path / "snap")
    db = SnapshotDB(snap)
    sb = wb.Sandbox(db)
    con = _locked(sb)
    try:
        cur = con.cursor()
        try:
            with pytest.raises(duckdb.Error, match="read-only|read only"):
                cur.execute("CREATE TABLE workbench_source.main.x AS SELECT 1")
            with pytest.raises(duckdb.Error, match="read-only|read only"):
                cur.execute("DELETE FROM workbench_source.main.usage")
        finally:
            cur.close()
            con.close()
        # DETACH is not transactional, so the gate (statement type) is what refuses it
        for text in ("DETACH workbench_source", "SELECT 1; DETACH workbench_source",
                     "USE workbench_source", "DETACH DATABASE IF EXISTS workbench_source"):
            with pytest.raises(wb.Refused):
                sb.run(text)
        assert int(sb.run("SELECT count(*) AS n FROM usage").df["n"][0]) == _usage_totals_from_parquet(snap)[0]
    finally:
        sb.close()
        db.close()


def test_without_a_writable_folder_the_tables_are_copied_into_memory(tmp_path, monkeypatch):
    from tests.tiny import build_tiny_snapshot
    from tokenshare.engine.db import SnapshotDB

    snap = build_tiny_snapshot(tmp_path / "snap")
    db = SnapshotDB(snap)
    try:
        monkeypatch.setenv("TOKENSHARE_DERIVED", "0")
        sb = wb.Sandbox(db)
        assert sb.source is None and not list(snap.path.glob("derived_workbench_*"))
        r = sb.run("SELECT count(*) AS n, sum(total_tokens) AS tokens FROM usage").df
        assert (int(r["n"][0]), int(r["tokens"][0])) == _usage_totals_from_parquet(snap)
        assert sb.settings()["enable_external_access"] == "false"
        sb.close()
    finally:
        db.close()


def test_a_workbench_file_of_another_key_is_replaced(tmp_path):
    from tests.tiny import build_tiny_snapshot
    from tokenshare.engine.db import SnapshotDB

    snap = build_tiny_snapshot(tmp_path / "snap")
    stale = snap.path / "derived_workbench_000000000000000000000000.duckdb"
    stale.write_bytes(b"not a database")
    db = SnapshotDB(snap)
    try:
        sb = wb.Sandbox(db)
        assert not stale.exists()
        assert [f.name for f in snap.path.glob("derived_workbench_*")] == [sb.source.name]
        sb.close()
    finally:
        db.close()
