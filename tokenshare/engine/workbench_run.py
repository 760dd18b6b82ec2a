"""Inside a workbench worker process: the locked DuckDB database and one capped query.

``open_locked`` opens an in-memory DuckDB database over the snapshot's workbench file
(attached READ_ONLY), with Python replacement scans off, a memory limit and one thread,
then switches off external access and extensions and locks the configuration
(``queries/workbench/workbench_lockdown.sql``), so no statement can loosen any of it.

``run_capped`` runs one statement on its own cursor, inside a transaction that is rolled
back, with a timer that interrupts it at the time limit. It reads the result as Arrow
record batches and stops at the row cap, the cell cap or the byte cap, whichever comes
first, and keeps at most the column cap of columns, before anything is converted; then
every column becomes a type the page can always show (a date outside years 1-9999, an
interval, a list or a union becomes text), so no conversion can fail later in the server.

Cells and bytes are counted by what a result becomes on the server, not by its Arrow
size alone (issue 26, finding 1): a column of SQL NULL has Arrow type ``null`` and takes
0 bytes, but pandas or a CSV holds one object per cell, so every cell counts (rows x
columns, plus every element nested in a list, map or struct) and a null cell counts
``NULL_CELL_BYTES`` bytes."""

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

NULL_CELL_BYTES = 8  # an Arrow ``null`` cell is 0 bytes; as a pandas object it is a pointer (8 bytes)
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
    cells_over: bool = False  # the cell cap was reached first: only the rows that fit are kept
    columns: int = 0  # how many columns the query returned (more than the table holds past the column cap)


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


def run_capped(con, statement: str, *, row_cap: int, byte_cap: int, time_limit: float,
               cell_cap: int = 10**12, column_cap: int = 10**6) -> Capped:
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
        caps = Caps(row_cap, byte_cap, cell_cap, column_cap)
        table, rows_over, bytes_over, cells_over, columns = _read_capped(rel, caps)
    except duckdb.InterruptException:
        raise Refused(time_message(time_limit)) from None
    except duckdb.PermissionException as exc:
        raise Refused(f"Refused by the sandbox: {code(first_line(exc))}") from None
    except (duckdb.OutOfMemoryException, MemoryError):
        raise Refused(memory_message()) from None
    except duckdb.Error as exc:
        raise Refused(f"DuckDB error: {code(first_line(exc))}") from None
    except OSError as exc:  # Arrow's allocator past the process's address-space limit, or
        if "out of memory" in str(exc).lower():  # the timer's interrupt while Arrow reads
            raise Refused(memory_message()) from None
        if "interrupt" in str(exc).lower():
            raise Refused(time_message(time_limit)) from None
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
    if server_bytes(table) > byte_cap:  # text can be longer than the values it stands for
        table, bytes_over = _fit(table, byte_cap, cell_cap), True
    return Capped(table, rows_over, bytes_over, seconds, cells_over, columns)


def time_message(time_limit: float) -> str:
    return f"Stopped after the workbench's time limit of {time_limit:g} s. Aggregate more, or narrow the dates."


def memory_message() -> str:
    return ("Stopped: the query needs more memory than the workbench allows each query. "
            "Aggregate more, or return fewer or shorter values.")


@dataclass(frozen=True)
class Caps:
    rows: int
    bytes: int
    cells: int
    columns: int


def cell_count(arr) -> int:
    """The values ``arr`` becomes on the server: one per row, plus every element nested
    in it (a list's items, a map's keys and values, a struct's fields), recursively."""
    if isinstance(arr, pa.ChunkedArray):
        return sum(cell_count(chunk) for chunk in arr.chunks)
    t = arr.type
    n = len(arr)
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return n + cell_count(arr.flatten())
    if pa.types.is_map(t):  # its keys and values (``.keys``/``.items`` would ignore a slice)
        if n == 0:
            return 0
        start, end = arr.offsets[0].as_py(), arr.offsets[n].as_py()
        entries = arr.values.slice(start, end - start)  # the struct of key and value, this slice's only
        return n + sum(cell_count(child) for child in entries.flatten())
    if pa.types.is_struct(t):
        return n + sum(cell_count(child) for child in arr.flatten())
    return n


def server_bytes(data) -> int:
    """Arrow's bytes, plus what a ``null`` column becomes in pandas (a pointer per cell)."""
    nulls = sum(1 for f in data.schema if pa.types.is_null(f.type))
    return data.nbytes + NULL_CELL_BYTES * nulls * data.num_rows


def _cells(data) -> int:
    return sum(cell_count(c) for c in data.columns) if data.num_columns else data.num_rows


def _read_capped(rel, caps: Caps) -> tuple[pa.Table, bool, bool, bool, int]:
    columns = len(rel.columns)
    if columns > caps.columns:  # the first ``caps.columns`` columns, by position (names may repeat)
        rel = rel.project(", ".join(f"#{i + 1}" for i in range(caps.columns)))
    # the rows the cells allow, when every cell is flat (nested items only lower it further)
    rows = min(caps.rows, caps.cells // max(min(columns, caps.columns), 1))
    reader = rel.limit(rows + 1).to_arrow_reader(BATCH_ROWS)
    keep = list(range(min(columns, caps.columns)))
    schema = pa.schema([reader.schema.field(i) for i in keep])
    batches, rows, size, cells = [], 0, 0, 0
    bytes_over = cells_over = False
    try:
        for batch in reader:
            if columns > len(keep):
                batch = batch.select(keep)
            batch_bytes, batch_cells = server_bytes(batch), _cells(batch)
            if size + batch_bytes > caps.bytes or cells + batch_cells > caps.cells:
                part = _fit(pa.Table.from_batches([batch]), caps.bytes - size, caps.cells - cells)
                batches.extend(part.to_batches())
                rows += part.num_rows
                one_more = pa.Table.from_batches([batch]).slice(0, part.num_rows + 1)
                bytes_over = server_bytes(one_more) > caps.bytes - size  # which cap the next row passes
                cells_over = not bytes_over
                break
            batches.append(batch)
            rows += batch.num_rows
            size += batch_bytes
            cells += batch_cells
        table = pa.Table.from_batches(batches, schema=schema)
    finally:
        reader.close()
    rows_over = table.num_rows > caps.rows
    if rows_over:
        table, bytes_over, cells_over = table.slice(0, caps.rows), False, False
    return table, rows_over, bytes_over, cells_over, columns


def _fit(table: pa.Table, budget: int, cell_budget: int = 10**12) -> pa.Table:
    """The longest head of ``table`` within ``budget`` bytes and ``cell_budget`` cells
    (a bisection over rows)."""
    lo, hi = 0, table.num_rows
    while lo < hi:
        mid = (lo + hi + 1) // 2
        head = table.slice(0, mid)
        if server_bytes(head) <= budget and _cells(head) <= cell_budget:
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
