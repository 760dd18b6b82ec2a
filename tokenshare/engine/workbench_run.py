"""Inside a workbench worker process: the locked DuckDB database and one capped query.

``open_locked`` opens an in-memory DuckDB database over the snapshot's workbench file
(attached READ_ONLY), with Python replacement scans off, a memory limit and one thread,
then switches off external access and extensions and locks the configuration
(``queries/workbench/workbench_lockdown.sql``), so no statement can loosen any of it.

``run_capped`` runs one statement on its own cursor, inside a transaction that is rolled
back, with a timer that interrupts it at the time limit. It reads the result as Arrow
record batches and stops at the row cap or the byte cap, whichever comes first, before
anything is converted; then every column becomes a type the page can always show (a
date outside years 1-9999, an interval, a list or a union becomes text), so no
conversion can fail later in the server."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tokenshare.core import sql as named_sql
from tokenshare.engine.workbench_gate import Refused, code, first_line

NAME_CHARS = 120  # a column name longer than this (500 nested CASE make 20,000) is cut for display
BATCH_ROWS = 2048

# Days since 1970-01-01 of 0001-01-01 and 9999-12-31: the dates Python (and so pandas and
# the page) can hold. DuckDB's dates reach far beyond: '20000-01-01'::DATE is valid SQL.
_DATE_MIN, _DATE_MAX = -719_162, 2_932_896


@dataclass
class Capped:
    table: pa.Table
    rows_over: bool  # more rows than the row cap: only the first row_cap are kept
    bytes_over: bool  # the byte cap was reached first: only the rows that fit are kept
    seconds: float


def open_locked(source: Path, tables, *, memory_limit: str, threads: int):
    """The sandbox's connection over the workbench file ``source``."""
    con = duckdb.connect(":memory:", config={
        "threads": threads,
        "memory_limit": memory_limit,
        "python_enable_replacements": False,
    })
    named_sql.run(con, "workbench_source_attach", {"path": str(source)})
    named_sql.run(con, "workbench_source_views")
    if "usage_by_category" in tables:
        named_sql.run(con, "workbench_source_views_categories")
    if "usage_by_segment" in tables:
        named_sql.run(con, "workbench_source_views_segments")
    named_sql.run(con, "workbench_lockdown")  # external access off from here on
    return con


def sandbox_info(con) -> dict:
    """What the page states about the sandbox: its locked settings and its tables."""
    cur = con.cursor()
    try:
        settings = {str(k): str(v) for k, v in named_sql.run(cur, "workbench_settings").fetchall()}
        schema = [list(map(str, row)) for row in named_sql.run(cur, "workbench_schema").fetchall()]
    finally:
        cur.close()
    return {"settings": settings, "schema": schema}


def run_capped(con, statement: str, *, row_cap: int, byte_cap: int, time_limit: float) -> Capped:
    """Run one checked statement; Refused for anything the engine stops."""
    cur = con.cursor()
    timer = threading.Timer(time_limit, cur.interrupt)
    t0 = time.perf_counter()
    try:
        cur.begin()
        timer.start()
        rel = cur.sql(statement)
        if rel is None:  # not a query after all: nothing to show
            raise Refused("The statement returned no rows to show.")
        table, rows_over, bytes_over = _read_capped(rel, row_cap, byte_cap)
    except duckdb.InterruptException:
        raise Refused(f"Stopped after the workbench's time limit of {time_limit:g} s. "
                      "Aggregate more, or narrow the dates.") from None
    except duckdb.PermissionException as exc:
        raise Refused(f"Refused by the sandbox: {code(first_line(exc))}") from None
    except (duckdb.OutOfMemoryException, MemoryError):
        raise Refused(memory_message()) from None
    except duckdb.Error as exc:
        raise Refused(f"DuckDB error: {code(first_line(exc))}") from None
    except OSError as exc:  # Arrow's allocator past the process's address-space limit
        if "out of memory" in str(exc).lower():
            raise Refused(memory_message()) from None
        raise
    finally:
        timer.cancel()
        try:
            cur.rollback()
        except duckdb.Error:
            pass
        cur.close()
    seconds = time.perf_counter() - t0
    table = displayable(table)
    if table.nbytes > byte_cap:  # text can be longer than the values it stands for
        table, bytes_over = _fit(table, byte_cap), True
    return Capped(table, rows_over, bytes_over, seconds)


def memory_message() -> str:
    return ("Stopped: the query needs more memory than the workbench allows each query. "
            "Aggregate more, or return fewer or shorter values.")


def _read_capped(rel, row_cap: int, byte_cap: int) -> tuple[pa.Table, bool, bool]:
    reader = rel.limit(row_cap + 1).to_arrow_reader(BATCH_ROWS)
    batches, rows, size = [], 0, 0
    bytes_over = False
    try:
        for batch in reader:
            if size + batch.nbytes > byte_cap:
                part = _fit(pa.Table.from_batches([batch]), byte_cap - size)
                batches.extend(part.to_batches())
                rows += part.num_rows
                bytes_over = True
                break
            batches.append(batch)
            rows += batch.num_rows
            size += batch.nbytes
        table = pa.Table.from_batches(batches, schema=reader.schema)
    finally:
        reader.close()
    rows_over = table.num_rows > row_cap
    if rows_over:
        table = table.slice(0, row_cap)
    return table, rows_over, bytes_over


def _fit(table: pa.Table, budget: int) -> pa.Table:
    """The longest head of ``table`` within ``budget`` bytes (a bisection over rows)."""
    lo, hi = 0, table.num_rows
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if table.slice(0, mid).nbytes <= budget:
            lo = mid
        else:
            hi = mid - 1
    return table.slice(0, lo)


# --------------------------------------------------------------------------- display-safe types


def _plain(t: pa.DataType) -> bool:
    return (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t)
            or pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)
            or pa.types.is_decimal(t) or pa.types.is_timestamp(t) or pa.types.is_time(t))


def displayable(table: pa.Table) -> pa.Table:
    """``table`` with every column of a type that converts to pandas and the page
    without fail, and unique, readable column names."""
    columns, names, seen = [], [], set()
    for name, col in zip(table.column_names, table.columns):
        columns.append(_safe_column(col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)))
        names.append(_unique_name(name, seen))
    return pa.table(columns, names=names) if columns else table


def _unique_name(name: str, seen: set) -> str:
    base = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"
    out, n = base, 2
    while out in seen:
        out, n = f"{base} ({n})", n + 1
    seen.add(out)
    return out


def _safe_column(arr: pa.Array) -> pa.Array:
    t = arr.type
    if pa.types.is_date32(t) or pa.types.is_date64(t):
        days = arr.cast(pa.date32()).cast(pa.int32())
        low, high = pc.min_max(days).values()
        if low.as_py() is None or (_DATE_MIN <= low.as_py() and high.as_py() <= _DATE_MAX):
            return arr.cast(pa.date32())
        # numpy's dates reach far past year 9999: write each date as ISO text
        values = days.to_numpy(zero_copy_only=False)
        text = [None if ok is False else str(np.datetime64(int(v), "D"))
                for v, ok in zip(values, arr.is_valid().to_pylist())]
        return pa.array(text, pa.string())
    if _plain(t):
        return arr
    try:
        return arr.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    out = []
    for i in range(len(arr)):
        try:
            v = arr[i].as_py()
        except (ValueError, OverflowError, pa.ArrowException):
            v = "(a value the workbench cannot show)"
        out.append(None if v is None else str(v))
    return pa.array(out, pa.string())


def to_ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def from_ipc(payload: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.py_buffer(payload)).read_all()
