"""The SQL workbench: people's own read-only queries over the active snapshot.

Three barriers, in this order (docs/workbench.md has the figures behind them):

1. **The gate** (``workbench_gate``): DuckDB's own parser; exactly one SELECT statement
   of at most ``MAX_SQL_CHARS`` characters (longer is refused with the limit, never cut),
   reading only an allowlist: the snapshot's tables, generator table functions and plain
   scalar/aggregate/window functions; the engine's catalogue (``duckdb_*``,
   ``pg_catalog``, ``information_schema``, ``current_setting`` ...), files and every
   statement that writes or changes settings are refused with a message.
2. **The engine** (``workbench_run``): an in-memory DuckDB database over a read-only copy
   of the tables, with external access off, a memory limit, one thread and the
   configuration locked; each query in a transaction that is rolled back, interrupted at
   the time limit, its result read as Arrow and cut at ``ROW_CAP`` rows and
   ``BYTE_CAP`` bytes before anything is converted.
3. **The process** (``workbench_worker``, ``workbench_pool``): all of that runs in a
   separate worker process under limits the kernel enforces (address space, CPU time),
   killed by the server past the wall-time limit; a pool of ``POOL_SIZE`` warm workers,
   one query at a time per session. The server only ever receives a small Arrow IPC
   payload, so its memory does not grow with a visitor's query.

The copy of the tables is a DuckDB file written once per snapshot beside its data
(``derived_workbench_<key>.duckdb``, ignored by the snapshot loader like every
``derived_*`` file) that the workers attach READ_ONLY. A snapshot with no writable
folder (a URL, a read-only folder, ``TOKENSHARE_DERIVED=0``) gets the same file in a
private temporary folder instead, removed when the sandbox closes.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from tokenshare.core import sql as named_sql
from tokenshare.data.snapshot.layout import DERIVED_PREFIX
from tokenshare.engine.db import derived_folder, derived_key
from tokenshare.engine.workbench_gate import (  # noqa: F401  (the workbench's public names)
    ALLOWED_TABLE_FUNCTIONS, MAX_SQL_CHARS, TABLES, Refused, check_length, code,
)
from tokenshare.engine.workbench_pool import WorkerPool, WorkerStartFailed
from tokenshare.engine.workbench_run import from_ipc

ROW_CAP = 10_000
BYTE_CAP = 8 * 2**20  # of the Arrow result a worker sends back (a NULL cell counted as a pandas pointer)
# Cells (rows x columns, plus every element nested in a list, map or struct) and columns
# a result may have: what bounds the server's memory when Arrow's bytes do not (a column
# of NULL is 0 bytes in Arrow, one object per cell in pandas or a CSV; issue 26).
CELL_CAP = 500_000
COLUMN_CAP = 200
CSV_CAP = 32 * 2**20  # the CSV download, built when it is asked for
TIME_LIMIT_S = 5.0
CPU_LIMIT_S = 10.0  # processor time per query (one DuckDB thread, so it tracks wall time)
MEMORY_LIMIT = "256MB"  # DuckDB's own buffer limit, inside the process limit below
ADDRESS_SPACE_MB = 512  # a worker's address space may grow this much past its warm size
POOL_SIZE = 2
QUEUE_WAIT_S = 10.0
KILL_GRACE_S = 2.0
# Workers run at this much lower CPU priority (os.nice) than the server, so page runs win
# the processor while visitors' queries hold every worker (docs/workbench.md has figures)
WORKER_NICE = 10
IDLE_STOP_S = 600.0  # the workers stop after this long without a query, and start again on demand
CSV_BATCH_ROWS = 1000

SANDBOX_SUMMARY = ("Read-only sandbox: only SELECT runs (also WITH, FROM-first, DESCRIBE, SUMMARIZE) over "
                   "the snapshot's tables. Files, the engine's catalogue and settings, COPY, ATTACH, "
                   "INSTALL / LOAD, SET, PRAGMA and writes are refused.")
GATE_SUMMARY = ("Three barriers. First, DuckDB's own parser checks the text: exactly one SELECT statement, "
                "reading only the snapshot's tables, CTEs, the table functions listed below and plain "
                "scalar, aggregate and window functions (not the engine's catalogue). Then the engine: a "
                "separate in-memory database over its own read-only copy of the tables, with these "
                "settings, locked so no statement can change them:")
PROCESS_SUMMARY = ("Last, the process: each query runs in a separate worker process whose memory and "
                   "processor time the operating system limits, and which the server ends at the time "
                   "limit. Only the capped result comes back to the app.")


@dataclass
class Result:
    """A query's capped result as the worker sent it (Arrow). The page shows ``table``
    as it is (Streamlit sends Arrow on without pandas); ``df`` converts on demand."""

    table: pa.Table
    truncated: bool  # more rows than ROW_CAP: only the first ROW_CAP are kept
    seconds: float
    statement: str
    columns: list[str] = field(default_factory=list)
    bytes_cut: bool = False  # the result passed BYTE_CAP: only the rows that fit are kept
    cells_cut: bool = False  # the result passed CELL_CAP: only the rows that fit are kept
    total_columns: int = 0  # the query's columns; more than len(columns) when COLUMN_CAP cut them

    @property
    def columns_cut(self) -> bool:
        return self.total_columns > len(self.columns)

    @functools.cached_property
    def df(self) -> pd.DataFrame:
        return self.table.to_pandas()


def limits_caption() -> str:
    return (f"At most {ROW_CAP:,} rows, {COLUMN_CAP:,} columns, {CELL_CAP:,} values and "
            f"{BYTE_CAP // 2**20} MB of results are kept; a query stops after "
            f"{TIME_LIMIT_S:g} s or about {ADDRESS_SPACE_MB} MB of memory; queries over "
            f"{MAX_SQL_CHARS:,} characters are refused.")


def cuts_caption(result: Result) -> str:
    """What the caps cut from ``result`` (empty when nothing), for the page."""
    n = result.table.num_rows
    parts = []
    if result.truncated:
        parts.append(f"only the first {ROW_CAP:,} rows are kept; add a LIMIT or aggregate")
    if result.bytes_cut:
        parts.append(f"cut at {BYTE_CAP // 2**20} MB of results: only the first {n:,} rows are kept")
    if result.cells_cut:
        parts.append(f"cut at {CELL_CAP:,} values (rows x columns, nested items counted): "
                     f"only the first {n:,} rows are kept")
    if result.columns_cut:
        parts.append(f"only the first {COLUMN_CAP:,} of {result.total_columns:,} columns are kept")
    return " · ".join(parts)


def csv_bytes(result: Result, preamble: str, limit: int = CSV_CAP) -> bytes:
    """The result as CSV after ``preamble`` (the citation's comment lines), at most
    ``limit`` bytes: built batch by batch when the download is asked for, cut at the
    last whole batch that fits with a closing comment line saying so."""
    out = io.BytesIO()
    out.write(preamble.encode("utf-8"))
    table = result.table
    header = True
    for start in range(0, max(table.num_rows, 1), CSV_BATCH_ROWS):
        part = io.BytesIO()
        pa_csv.write_csv(table.slice(start, CSV_BATCH_ROWS), part,
                         pa_csv.WriteOptions(include_header=header))
        header = False
        if out.tell() + part.tell() > limit:
            out.write(f"# cut: the CSV download stops at {limit // 2**20} MB; rows from {start + 1:,} on "
                      "are not in it\n".encode("utf-8"))
            break
        out.write(part.getvalue())
    return out.getvalue()


# --------------------------------------------------------------------------- the sandbox


WORKBENCH_FORMAT = "1"
WORKBENCH_PREFIX = DERIVED_PREFIX + "workbench_"
BUILD_QUERIES = ("workbench_build_attach", "workbench_build_copy", "workbench_build_copy_categories",
                 "workbench_build_copy_segments", "workbench_build_detach")
_build_lock = threading.Lock()


def workbench_key(snapshot) -> str:
    """What the workbench's database file depends on: the snapshot, the copy SQL, DuckDB."""
    return derived_key((WORKBENCH_FORMAT, snapshot.snapshot_id, duckdb.__version__), BUILD_QUERIES)


def workbench_file(snapshot) -> Path | None:
    """Where the snapshot's workbench database lives, or None when it is not kept on
    disk (a URL, not a folder, or TOKENSHARE_DERIVED=0)."""
    folder = derived_folder(snapshot)
    return None if folder is None else folder / f"{WORKBENCH_PREFIX}{workbench_key(snapshot)}.duckdb"


def build_workbench_file(db, target: Path) -> Path:
    """Write the copy of ``db``'s tables that the workers attach to ``target`` (under a
    temporary name, then renamed, so a reader never finds half a file). OSError or
    duckdb.Error when it cannot be written."""
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    cur = db.cursor()
    try:
        named_sql.run(cur, "workbench_build_attach", {"path": str(tmp)})
        try:
            named_sql.run(cur, "workbench_build_copy")
            if db.snapshot.has_categories:
                named_sql.run(cur, "workbench_build_copy_categories")
            if db.snapshot.has_segments:
                named_sql.run(cur, "workbench_build_copy_segments")
        finally:
            named_sql.run(cur, "workbench_build_detach")
        os.replace(tmp, target)
    except (OSError, duckdb.Error):
        for f in target.parent.glob(tmp.name + "*"):
            f.unlink(missing_ok=True)
        raise
    finally:
        cur.close()
    return target


def ensure_workbench_file(db) -> Path | None:
    """The workbench database file of ``db``'s snapshot, written first if needed (files
    of an earlier key are removed). None when it cannot be kept beside the snapshot."""
    target = workbench_file(db.snapshot)
    if target is None:
        return None
    with _build_lock:
        if target.is_file():
            return target
        if not os.access(target.parent, os.W_OK):
            return None
        try:
            build_workbench_file(db, target)
        except (OSError, duckdb.Error):
            return None
        for stale in target.parent.glob(WORKBENCH_PREFIX + "*.duckdb"):
            if stale != target:
                stale.unlink(missing_ok=True)
        return target


class Sandbox:
    """The workbench over one snapshot: its workbench file and a pool of worker
    processes that open it locked. ``run`` never raises anything but Refused."""

    def __init__(self, db, *, row_cap: int = ROW_CAP, time_limit: float = TIME_LIMIT_S,
                 byte_cap: int = BYTE_CAP, cell_cap: int = CELL_CAP, column_cap: int = COLUMN_CAP,
                 memory_limit: str = MEMORY_LIMIT, threads: int = 1,
                 address_space_mb: int = ADDRESS_SPACE_MB, cpu_s: float = CPU_LIMIT_S,
                 pool_size: int = POOL_SIZE, queue_wait: float = QUEUE_WAIT_S, kill_grace_s: float = KILL_GRACE_S,
                 idle_stop_s: float | None = IDLE_STOP_S, nice: int = WORKER_NICE):
        self.row_cap = row_cap
        self.time_limit = time_limit
        has = {"usage_by_category": db.snapshot.has_categories, "usage_by_segment": db.snapshot.has_segments}
        self.tables = [n for n in TABLES if has.get(n, True)]
        self.source = ensure_workbench_file(db)
        self._private_dir = None
        path = self.source
        if path is None:  # no folder of the snapshot to keep it in: a private temporary one
            self._private_dir = Path(tempfile.mkdtemp(prefix="tokenshare-workbench-"))
            path = build_workbench_file(db, self._private_dir / "workbench.duckdb")
        config = {"source": str(path), "tables": self.tables, "memory_limit": memory_limit, "threads": threads,
                  "row_cap": row_cap, "byte_cap": byte_cap, "cell_cap": cell_cap, "column_cap": column_cap, "time_limit": time_limit, "cpu_s": cpu_s,
                  "address_space_mb": address_space_mb, "nice": nice}
        try:
            self.pool = WorkerPool(config, size=pool_size, queue_wait=queue_wait, kill_grace_s=kill_grace_s,
                                   idle_stop_s=idle_stop_s)
        except WorkerStartFailed as exc:
            self._remove_private_dir()
            raise Refused(f"The workbench could not start its worker process: {code(str(exc))}") from None
        except Exception:
            self._remove_private_dir()
            raise

    def settings(self) -> dict[str, str]:
        return dict(self.pool.info["settings"])

    def schema(self) -> pd.DataFrame:
        return pd.DataFrame(self.pool.info["schema"], columns=["table_name", "column_name", "data_type"])

    def run(self, text: str, session=None, address: str | None = None) -> Result:
        """Run one query in a worker; Refused for anything the gate, the engine or the
        limits stop. ``session`` (any hashable) keeps one query at a time per visitor;
        ``address`` (the client's, where the app knows it) bounds one address's share."""
        check_length(text)  # before the text travels to a worker
        header, payload = self.pool.run(text, session, address)
        if not header.get("ok"):
            raise Refused(str(header.get("message") or "The query was not run."))
        try:  # Arrow as it came: nothing is converted here (the page converts only what it shows)
            table = from_ipc(payload)
        except Exception as exc:  # noqa: BLE001  (the worker made every type safe; a last guard)
            raise Refused(f"The result could not be shown: {code(type(exc).__name__)}") from None
        return Result(table=table, truncated=bool(header["rows_over"]), seconds=float(header["seconds"]),
                      statement=str(header["statement"]), columns=list(table.column_names),
                      bytes_cut=bool(header["bytes_over"]), cells_cut=bool(header.get("cells_over")),
                      total_columns=int(header.get("columns") or table.num_columns))

    def worker_pids(self) -> list[int]:
        return self.pool.pids()

    def close(self) -> None:
        self.pool.close()
        self._remove_private_dir()

    def _remove_private_dir(self) -> None:
        if self._private_dir is not None:
            shutil.rmtree(self._private_dir, ignore_errors=True)


# --------------------------------------------------------------------------- examples

EXAMPLES = {
    "workbench_example_headline": "Headline: open-weight share in the last complete week",
    "workbench_example_labs": "Labs by tokens, last 28 days",
    "workbench_example_launches": "Launch day of every model",
    "workbench_example_categories": "Open share: programming vs roleplay (categories)",
    "workbench_example_segments": "Open share per segment, last complete week (segments)",
    "workbench_example_unpriced": "Models without a price",
}
NEEDS_CATEGORIES = {"workbench_example_categories"}
NEEDS_SEGMENTS = {"workbench_example_segments"}


def example_sql(name: str) -> str:
    return named_sql.load_sql(name)


def examples_for(has_categories: bool, has_segments: bool = False) -> dict[str, str]:
    return {k: v for k, v in EXAMPLES.items()
            if (has_categories or k not in NEEDS_CATEGORIES) and (has_segments or k not in NEEDS_SEGMENTS)}
