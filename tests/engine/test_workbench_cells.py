"""Issue 26, finding 1: a result small in Arrow and huge on the server. A column of SQL
NULL has Arrow type ``null`` (0 bytes), so the NULL x1000 cross join passed the 8 MB
Arrow cap with 50 million cells, which the server turned into pandas objects. Now the
worker caps cells (rows x columns, nested elements counted) and columns, and counts a
null cell as the pandas pointer it becomes; the server receives Arrow and converts
nothing until asked (the CSV is built on demand, within a limit).

Every expected figure below is worked out by hand from the query and the caps."""

from __future__ import annotations

import pytest

from tests.hostile import tried
from tokenshare.engine import workbench as wb
from tokenshare.engine.workbench_run import cell_count


def nulls(n: int) -> str:
    return ", ".join(f"NULL AS n{i}" for i in range(n))


# The query: 5 x 1000 NULL columns and range's own column, 10,000 rows.
CROSS_JOIN = (f"WITH c AS (SELECT {nulls(1000)}) "
              "SELECT * FROM c c1, c c2, c c3, c c4, c c5, range(10000)")

# (query, columns the query returns, cells in one row (nested items counted))
WIDE_ZERO_BYTE = [
    (CROSS_JOIN, 5001, None),
    (f"SELECT {nulls(300)} FROM range(100000)", 300, None),
    (f"SELECT {nulls(150)} FROM range(100000)", 150, 150),
    ("SELECT " + ", ".join(f"true AS b{i}" for i in range(150)) + " FROM range(100000)", 150, 150),
    ("SELECT " + ", ".join(f"'' AS s{i}" for i in range(150)) + " FROM range(100000)", 150, 150),
    ("SELECT " + ", ".join(f"NULL::INTEGER AS i{i}" for i in range(150)) + " FROM range(100000)", 150, 150),
    ("SELECT repeat([NULL], 1000) AS l FROM range(100000)", 1, 1 + 1000),
    ("SELECT repeat([[NULL, NULL]], 100) AS l FROM range(100000)", 1, 1 + 100 + 200),
    ("SELECT {'a': NULL, 'b': NULL, 'c': NULL} AS s, " + nulls(100) + " FROM range(100000)", 101, 1 + 3 + 100),
    ("SELECT MAP([1, 2, 3], [NULL, NULL, NULL]) AS m, " + nulls(100) + " FROM range(100000)", 101, 1 + 3 + 3 + 100),
    ("SELECT * FROM (SELECT " + nulls(100) + ") a, (SELECT " + nulls(100) + ") b, range(100000)", 201, None),
    ("SELECT COLUMNS(*) FROM (SELECT " + nulls(400) + ") t, range(50000)", 401, None),
]


@pytest.fixture(scope="module")
def sandbox(tiny_db):
    # the app's caps; a longer time limit, since the 5,001-column join alone takes DuckDB
    # 3-4 s on two busy cores (this file is about the caps, not the clock)
    sb = wb.Sandbox(tiny_db, time_limit=30.0, cpu_s=60.0)
    yield sb
    sb.close()


@pytest.mark.parametrize("query,columns,row_cells", WIDE_ZERO_BYTE, ids=range(len(WIDE_ZERO_BYTE)))
def test_a_wide_zero_byte_result_is_cut_at_the_cells_and_columns(sandbox, query, columns, row_cells):
    r = sandbox.run(query)
    kept_columns = min(columns, wb.COLUMN_CAP)
    assert r.table.num_columns == kept_columns
    assert r.total_columns == columns and r.columns_cut == (columns > wb.COLUMN_CAP)
    per_row = row_cells if columns <= wb.COLUMN_CAP else kept_columns  # the kept columns are flat NULLs
    assert r.table.num_rows == min(wb.ROW_CAP, wb.CELL_CAP // per_row)
    assert r.cells_cut and not r.truncated
    # what the server would hold if it did convert: bounded by the caps, not the query
    assert r.df.memory_usage(deep=True).sum() < 4 * wb.BYTE_CAP
    text = wb.cuts_caption(r)
    assert f"{wb.CELL_CAP:,} values" in text
    assert (f"{wb.COLUMN_CAP:,} of {columns:,} columns" in text) == (columns > wb.COLUMN_CAP)
    tried("workbench")


def test_just_under_the_caps_nothing_is_cut(sandbox):
    rows = wb.CELL_CAP // wb.COLUMN_CAP  # 2,500 rows of 200 NULLs: exactly the cell cap
    r = sandbox.run(f"SELECT {nulls(wb.COLUMN_CAP)} FROM range({rows})")
    assert (r.table.num_rows, r.table.num_columns) == (rows, wb.COLUMN_CAP)
    assert not (r.cells_cut or r.columns_cut or r.bytes_cut or r.truncated)
    assert wb.cuts_caption(r) == ""
    r = sandbox.run(f"SELECT {nulls(wb.COLUMN_CAP)} FROM range({rows + 1})")  # one row past it
    assert r.table.num_rows == rows and r.cells_cut and not r.columns_cut
    tried("workbench", 2)


def test_a_null_cell_counts_as_the_pointer_it_becomes(tiny_db):
    # 1,000 rows x 100 NULL columns: 0 Arrow bytes, 800,000 bytes as pandas pointers
    sb = wb.Sandbox(tiny_db, byte_cap=400_000, cell_cap=10**9, pool_size=1)
    try:
        r = sb.run(f"SELECT {nulls(100)} FROM range(1000)")
    finally:
        sb.close()
    assert r.bytes_cut and not r.cells_cut
    assert r.table.num_rows == 400_000 // (8 * 100)
    tried("workbench")


def test_cell_count_counts_nested_items():
    import pyarrow as pa

    assert cell_count(pa.array([[1, 2], [3], None])) == 3 + 3
    assert cell_count(pa.array([[[1, 2]], [[3], [4, 5]]])) == 2 + 3 + 5
    assert cell_count(pa.array([{"a": 1, "b": [1, 2]}])) == 1 + 1 + (1 + 2)
    assert cell_count(pa.nulls(7)) == 7


def test_the_csv_is_built_on_demand_and_within_its_limit(sandbox):
    r = sandbox.run("SELECT range AS i, 'x' AS s, NULL AS n FROM range(5000)")
    full = wb.csv_bytes(r, "# cite\n").decode()
    lines = full.splitlines()
    assert lines[0] == "# cite" and lines[1].replace('"', "") == "i,s,n"
    assert len(lines) == 2 + 5000 and lines[-1].replace('"', "") == "4999,x,"
    cut = wb.csv_bytes(r, "# cite\n", limit=20_000).decode()
    assert len(cut) <= 20_000 + 200 and cut.rstrip().endswith("are not in it")
    body = [ln for ln in cut.splitlines()[2:] if not ln.startswith("#")]
    assert body == lines[2:2 + len(body)] and len(body) % wb.CSV_BATCH_ROWS == 0  # whole batches only
    tried("workbench")
