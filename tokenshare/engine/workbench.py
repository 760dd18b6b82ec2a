"""The SQL workbench: people's own read-only queries over the active snapshot.

Two barriers, in this order:

1. A gate in front, using DuckDB's own parser: the text must be exactly one SELECT
   statement (``duckdb.extract_statements`` and its statement type), and its parse tree
   (``json_serialize_sql``) may read only the snapshot's tables, CTEs and a few
   harmless table functions; anything that reads files (``read_parquet('/etc/...')``,
   ``read_csv``, ``glob``, a quoted path as a table...) is refused with a message that
   says why. COPY, ATTACH, INSTALL, LOAD, SET, PRAGMA, writes and the rest are refused
   by statement type.
2. The engine itself, the real barrier: a separate in-memory DuckDB database over its
   own copy of the tables, opened with external access disabled, Python replacement
   scans off, a memory limit and one thread, then ``lock_configuration`` so no
   statement can loosen any of it. Every query runs on its own cursor inside a
   transaction that is rolled back, with a row cap and a time limit (``interrupt()``
   from a timer).

The copy is a DuckDB file written once per snapshot beside its data
(``derived_workbench_<key>.duckdb``, ignored by the snapshot loader like every
``derived_*`` file) and attached READ_ONLY before the lockdown: copying the tables into
memory took 1.9 s at 10 million usage rows on every first visit, attaching takes a few
milliseconds. A snapshot with no writable folder (a URL, a read-only folder,
``TOKENSHARE_DERIVED=0``) gets the in-memory copy as before.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from tokenshare.core import sql as named_sql
from tokenshare.engine.db import derived_folder, derived_key
from tokenshare.data.format import DERIVED_PREFIX

ROW_CAP = 10_000
TIME_LIMIT_S = 5.0
MAX_SQL_CHARS = 20_000
MEMORY_LIMIT = "256MB"
TABLES = ("usage", "models", "labs", "usage_by_category")

# Table functions a query may call: generators and the catalogue of the sandbox itself.
ALLOWED_TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "duckdb_tables", "duckdb_columns",
})

_ST = duckdb.StatementType
REFUSED_STATEMENTS = {
    _ST.COPY: "`COPY` reads or writes files",
    _ST.COPY_DATABASE: "`COPY FROM DATABASE` copies a database",
    _ST.EXPORT: "`EXPORT DATABASE` writes files",
    _ST.ATTACH: "`ATTACH` opens another database",
    _ST.DETACH: "`DETACH` changes the attached databases",
    _ST.LOAD: "`INSTALL` and `LOAD` add extensions",
    _ST.EXTENSION: "extension statements add or change extensions",
    _ST.SET: "`SET`, `RESET` and `USE` change settings",
    _ST.VARIABLE_SET: "`SET VARIABLE` changes state",
    _ST.PRAGMA: "`PRAGMA` (and `IMPORT DATABASE`) change settings or read files",
    _ST.CALL: "`CALL` runs procedures (and `CHECKPOINT`)",
    _ST.CREATE: "`CREATE` writes to the database",
    _ST.CREATE_FUNC: "`CREATE FUNCTION` writes to the database",
    _ST.INSERT: "`INSERT` writes to the database",
    _ST.UPDATE: "`UPDATE` writes to the database",
    _ST.DELETE: "`DELETE` writes to the database",
    _ST.MERGE_INTO: "`MERGE INTO` writes to the database",
    _ST.DROP: "`DROP` writes to the database",
    _ST.ALTER: "`ALTER` writes to the database",
    _ST.VACUUM: "`VACUUM` maintains the database",
    _ST.ANALYZE: "`ANALYZE` maintains the database",
    _ST.TRANSACTION: "transaction statements are managed by the workbench",
    _ST.PREPARE: "`PREPARE` is not needed here",
    _ST.EXECUTE: "`EXECUTE` is not needed here",
    _ST.EXPLAIN: "`EXPLAIN` is not offered here",
    _ST.MULTI: "this statement expands to several statements (e.g. `PIVOT` without a subquery)",
}

# Message texts (plain constants: no SQL is ever assembled from pieces here).
READ_ONLY = ("The workbench is read-only: only SELECT statements run (including WITH, FROM-first, "
             "DESCRIBE, SHOW and SUMMARIZE).")
ONLY_TABLES = "The workbench only reads the snapshot's tables: usage, models, labs and usage_by_category."
SANDBOX_SUMMARY = ("Read-only sandbox: only SELECT runs (also WITH, FROM-first, DESCRIBE, SUMMARIZE). "
                   "File access, COPY, ATTACH, INSTALL / LOAD, SET, PRAGMA and writes are refused.")
GATE_SUMMARY = ("Two barriers. First, DuckDB's own parser checks the text: exactly one SELECT statement, "
                "reading only the snapshot's tables, CTEs and the table functions listed below. Then the "
                "engine: a separate in-memory database over its own read-only copy of the tables, with these "
                "settings, locked so no statement can change them:")

_FILE_HINTS = ("read_", "parquet_", "glob", "sniff_csv", "iceberg", "delta_scan", "csv", "json", "text", "blob",
               "sqlite", "postgres", "mysql", "http", "s3")


class Refused(Exception):
    """The query was not run. ``str(exc)`` says why, in words for the page."""


@dataclass
class Result:
    df: pd.DataFrame
    truncated: bool  # more rows than ROW_CAP: only the first ROW_CAP are kept
    seconds: float
    statement: str
    columns: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the gate


def _statement_label(st) -> str:
    return str(st.type).split(".")[-1]


def single_select(text: str) -> str:
    """The one SELECT statement in ``text``, or Refused."""
    if not text or not text.strip():
        raise Refused("The query is empty. Write a `SELECT`, or load an example.")
    if len(text) > MAX_SQL_CHARS:
        raise Refused(f"The query is {len(text):,} characters long; the workbench takes up to {MAX_SQL_CHARS:,}.")
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as exc:
        raise Refused(f"DuckDB could not parse the query: {code(_first_line(exc))}") from None
    if not statements:
        raise Refused("The query has no statement in it (only comments?). Write a `SELECT`.")
    if len(statements) > 1:
        raise Refused(
            f"The text holds {len(statements)} statements; the workbench runs one statement at a time. "
            "Remove the extra `;`-separated statements."
        )
    st = statements[0]
    if st.type in REFUSED_STATEMENTS:
        raise Refused(f"Refused: {REFUSED_STATEMENTS[st.type]}. {READ_ONLY}")
    if st.type != _ST.SELECT:
        raise Refused(f"Refused: `{_statement_label(st)}` statements are not run here. {READ_ONLY}")
    return st.query.strip().rstrip(";").strip()


def _walk(node, out_functions: list[str], out_tables: list[str]) -> None:
    if isinstance(node, dict):
        kind = node.get("type")
        if kind == "TABLE_FUNCTION":
            fn = node.get("function") or {}
            out_functions.append(str(fn.get("function_name", "")))
        elif kind == "BASE_TABLE":
            out_tables.append(str(node.get("table_name", "")))
        for v in node.values():
            _walk(v, out_functions, out_tables)
    elif isinstance(node, list):
        for v in node:
            _walk(v, out_functions, out_tables)


def _looks_like_file(name: str) -> bool:
    return any(ch in name for ch in "/\\.:~") or name.lower().startswith(("http", "s3"))


def check_sources(con, statement: str) -> None:
    """Refused when the statement reads anything but tables and allowed functions."""
    cur = con.cursor()
    try:
        ast_text = named_sql.run(cur, "workbench_parse", {"q": statement}).fetchone()[0]
    finally:
        cur.close()
    ast = json.loads(ast_text)
    if ast.get("error"):
        # Not expressible as a plain SELECT tree (DuckDB will say more when it runs);
        # the engine settings still apply, so let DuckDB answer.
        return
    functions: list[str] = []
    tables: list[str] = []
    _walk(ast.get("statements", []), functions, tables)
    for fn in functions:
        name = fn.lower()
        if name in ALLOWED_TABLE_FUNCTIONS:
            continue
        if any(h in name for h in _FILE_HINTS):
            raise Refused(f"Refused: {code(fn + '(...)')} reads files. {ONLY_TABLES}")
        raise Refused(
            f"Refused: the table function {code(fn + '(...)')} is not available here. Allowed: "
            + ", ".join(f"`{f}`" for f in sorted(ALLOWED_TABLE_FUNCTIONS)) + "."
        )
    for t in tables:
        if _looks_like_file(t):
            raise Refused(f"Refused: the table name {code(t)} is a file path, and reading files is not allowed. "
                          f"{ONLY_TABLES}")


def _dates_as_dates(df: pd.DataFrame) -> pd.DataFrame:
    """DATE columns come back from DuckDB as midnight timestamps; show them as dates."""
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s) and getattr(s.dt, "tz", None) is None:
            if s.dropna().empty or (s.dropna() == s.dropna().dt.normalize()).all():
                df[col] = s.dt.date
    return df


def code(text: str, limit: int = 300) -> str:
    """Text from the query (or DuckDB's message about it) as a Markdown code span, which
    the page shows literally: backticks inside become a look-alike so they can't close
    the span, and the rest (links, images, bold) is never rendered. The query comes from
    the URL, so a shared link must not be able to write Markdown into the app's notices."""
    text = " ".join(str(text).split()).replace("`", "\uff40")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"`{text}`"


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# --------------------------------------------------------------------------- the sandbox


WORKBENCH_FORMAT = "1"
WORKBENCH_PREFIX = DERIVED_PREFIX + "workbench_"
BUILD_QUERIES = ("workbench_build_attach", "workbench_build_copy", "workbench_build_copy_categories",
                 "workbench_build_detach")
_build_lock = threading.Lock()


def workbench_key(snapshot) -> str:
    """What the workbench's database file depends on: the snapshot, the copy SQL, DuckDB."""
    return derived_key((WORKBENCH_FORMAT, snapshot.snapshot_id, duckdb.__version__), BUILD_QUERIES)


def workbench_file(snapshot) -> Path | None:
    """Where the snapshot's workbench database lives, or None when it is not kept on
    disk (a URL, not a folder, or TOKENSHARE_DERIVED=0)."""
    folder = derived_folder(snapshot)
    return None if folder is None else folder / f"{WORKBENCH_PREFIX}{workbench_key(snapshot)}.duckdb"


def ensure_workbench_file(db) -> Path | None:
    """The workbench database file of ``db``'s snapshot, written first if needed (under a
    temporary name, then renamed, so a reader never finds half a file; files of an
    earlier key are removed). None when it cannot be kept."""
    target = workbench_file(db.snapshot)
    if target is None:
        return None
    with _build_lock:
        if target.is_file():
            return target
        if not os.access(target.parent, os.W_OK):
            return None
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        cur = db.cursor()
        try:
            named_sql.run(cur, "workbench_build_attach", {"path": str(tmp)})
            try:
                named_sql.run(cur, "workbench_build_copy")
                if db.snapshot.has_categories:
                    named_sql.run(cur, "workbench_build_copy_categories")
            finally:
                named_sql.run(cur, "workbench_build_detach")
            os.replace(tmp, target)
        except (OSError, duckdb.Error):
            for f in target.parent.glob(tmp.name + "*"):
                f.unlink(missing_ok=True)
            return None
        finally:
            cur.close()
        for stale in target.parent.glob(WORKBENCH_PREFIX + "*.duckdb"):
            if stale != target:
                stale.unlink(missing_ok=True)
        return target


class Sandbox:
    """A locked, in-memory DuckDB database over its own read-only copy of a snapshot's
    tables (built from an open SnapshotDB): the snapshot's workbench file attached, or
    the tables copied into memory when there is no such file."""

    def __init__(self, db, *, memory_limit: str = MEMORY_LIMIT, threads: int = 1,
                 row_cap: int = ROW_CAP, time_limit: float = TIME_LIMIT_S):
        self.row_cap = row_cap
        self.time_limit = time_limit
        self.con = duckdb.connect(":memory:", config={
            "threads": threads,
            "memory_limit": memory_limit,
            "python_enable_replacements": False,
        })
        self.tables = [n for n in TABLES if n != "usage_by_category" or db.snapshot.has_categories]
        self.source = ensure_workbench_file(db)
        if self.source is not None:
            named_sql.run(self.con, "workbench_source_attach", {"path": str(self.source)})
            named_sql.run(self.con, "workbench_source_views")
            if "usage_by_category" in self.tables:
                named_sql.run(self.con, "workbench_source_views_categories")
        else:
            src = db.cursor()
            try:
                for name in self.tables:
                    self.con.from_arrow(src.table(name).fetch_arrow_table()).create(name)
            finally:
                src.close()
        named_sql.run(self.con, "workbench_lockdown")  # external access off from here on
        self._lock = threading.Lock()

    def settings(self) -> dict[str, str]:
        cur = self.con.cursor()
        try:
            return dict(named_sql.run(cur, "workbench_settings").fetchall())
        finally:
            cur.close()

    def schema(self) -> pd.DataFrame:
        cur = self.con.cursor()
        try:
            return named_sql.run(cur, "workbench_schema").df()
        finally:
            cur.close()

    def check(self, text: str) -> str:
        statement = single_select(text)
        check_sources(self.con, statement)
        return statement

    def run(self, text: str) -> Result:
        """Run one query; Refused for anything the gate or the engine stops."""
        statement = self.check(text)
        with self._lock:
            cur = self.con.cursor()
        timer = threading.Timer(self.time_limit, cur.interrupt)
        t0 = time.perf_counter()
        try:
            cur.begin()
            timer.start()
            rel = cur.sql(statement)
            if rel is None:  # not a query after all: nothing to show
                raise Refused("The statement returned no rows to show.")
            df = rel.limit(self.row_cap + 1).df()
        except duckdb.InterruptException:
            raise Refused(
                f"Stopped after the workbench's time limit of {self.time_limit:g} s. "
                "Aggregate more, or narrow the dates."
            ) from None
        except duckdb.PermissionException as exc:
            raise Refused(f"Refused by the sandbox: {code(_first_line(exc))}") from None
        except duckdb.OutOfMemoryException:
            raise Refused(
                f"Stopped: the query needs more than the workbench's memory limit ({MEMORY_LIMIT}). Aggregate more."
            ) from None
        except duckdb.Error as exc:
            raise Refused(f"DuckDB error: {code(_first_line(exc))}") from None
        finally:
            timer.cancel()
            try:
                cur.rollback()
            except duckdb.Error:
                pass
            cur.close()
        seconds = time.perf_counter() - t0
        df = _dates_as_dates(df)
        truncated = len(df) > self.row_cap
        if truncated:
            df = df.head(self.row_cap)
        return Result(df=df, truncated=truncated, seconds=seconds, statement=statement, columns=list(df.columns))

    def close(self) -> None:
        self.con.close()


# --------------------------------------------------------------------------- examples

EXAMPLES = {
    "workbench_example_headline": "Headline: open-weight share in the last complete week",
    "workbench_example_labs": "Labs by tokens, last 28 days",
    "workbench_example_launches": "Launch day of every model",
    "workbench_example_categories": "Open share: programming vs roleplay (categories)",
    "workbench_example_unpriced": "Models without a price",
}
NEEDS_CATEGORIES = {"workbench_example_categories"}


def example_sql(name: str) -> str:
    return named_sql.load_sql(name)


def examples_for(has_categories: bool) -> dict[str, str]:
    return {k: v for k, v in EXAMPLES.items() if has_categories or k not in NEEDS_CATEGORIES}
