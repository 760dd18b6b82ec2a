"""The workbench's allowlist and its messages for hostile SQL (issue 15): catalogue
views and functions refused (failure 7), conversion and recursion errors as messages
(failure 5), over-long SQL refused whole with the limit stated (failure 8). Every
input is counted in the hostile-input tally."""

from __future__ import annotations

import numpy as np
import pytest

from tests.hostile import tried
from tokenshare.engine import workbench as wb


@pytest.fixture(scope="module")
def sandbox(tiny_db):
    sb = wb.Sandbox(tiny_db, time_limit=3.0)
    yield sb
    sb.close()


CATALOGUE_READS = [
    "SELECT name, setting FROM pg_catalog.pg_settings",
    "SELECT * FROM pg_settings",
    "SELECT path FROM duckdb_databases",
    "SELECT path FROM duckdb_databases()",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_tables",
    "SELECT * FROM duckdb_columns()",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM duckdb_secrets()",
    "SELECT * FROM duckdb_functions()",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM information_schema.schemata",
    "SELECT * FROM sqlite_master",
    "SELECT * FROM pragma_database_list",
    "SELECT * FROM pragma_database_list()",
    "SELECT * FROM system.main.duckdb_databases",
    "SELECT * FROM workbench_source.main.usage",
    "SELECT * FROM main.usage",
    "SELECT * FROM memory.main.usage",
    "SELECT current_setting('secret_directory')",
    "SELECT current_setting('temp_directory')",
    "SELECT CURRENT_SETTING('home_directory')",
    "SELECT main.current_setting('secret_directory')",
    "SELECT current_database()",
    "SELECT current_schema()",
    "SELECT current_schemas(true)",
    "SELECT current_query()",
    "SELECT version()",
    "SELECT getvariable('x')",
    "SELECT get_block_size('memory')",
    "SELECT pg_typeof(1)",
    "SELECT has_table_privilege('usage', 'select')",
    "SELECT * FROM usage WHERE model_permaslug IN (SELECT path FROM duckdb_databases)",
    "WITH x AS (SELECT * FROM pg_settings) SELECT * FROM x",
    "SELECT (SELECT current_setting('secret_directory')) AS s",
    "SELECT * FROM usage, (SELECT database_name FROM duckdb_databases) d",
    "SELECT * FROM (SELECT * FROM information_schema.columns)",
    "SHOW TABLES",
    "SHOW ALL TABLES",
    "SHOW DATABASES",
    "FROM (SHOW ALL TABLES)",
    "SELECT * FROM (SHOW DATABASES)",
    "DESCRIBE pg_catalog.pg_settings",
    "SUMMARIZE duckdb_databases",
    "SELECT * FROM query_table('pg_settings')",
    "SELECT * FROM query('SELECT * FROM duckdb_databases')",
    "SELECT * FROM duckdb_logs_parsed('x')",
    "SELECT * FROM duckdb_profiling_settings()",
    "SELECT * FROM histogram(usage, total_tokens)",
    "SELECT * FROM (PIVOT pg_catalog.pg_settings ON name USING first(setting))",
    "SELECT current_setting('secret_directory') FROM usage GROUP BY ALL",
    "SELECT list_transform([1], lambda x: current_setting('threads'))",
]


@pytest.mark.parametrize("query", CATALOGUE_READS)
def test_catalogue_views_and_functions_are_refused(sandbox, query):
    with pytest.raises(wb.Refused) as exc:
        sandbox.run(query)
    message = str(exc.value)
    assert "/" not in message.replace("/ LOAD", ""), message  # no path of the server in the answer
    tried("workbench")


@pytest.mark.parametrize("query, expected", [
    ("SELECT current_date IS NOT NULL AS ok", True),
    ("SELECT now() IS NOT NULL AS ok", True),
    ("SELECT count(*) = 3 AS ok FROM range(3)", True),
    ("SELECT sum(x) = 6 AS ok FROM generate_series(1, 3) t(x)", True),
    ("SELECT list_sum(list_transform([1, 2], lambda x: x * 2)) = 6 AS ok", True),
    ("SELECT max(n) = 3 AS ok FROM (SELECT unnest([1, 2, 3]) AS n)", True),
    ("SELECT max(r) = 193 AS ok FROM (SELECT row_number() OVER () AS r FROM usage)", True),
    ("WITH recent AS (SELECT * FROM usage) SELECT count(*) = 193 AS ok FROM recent", True),
    ("SELECT nullif(1, 1) IS NULL AS ok", True),
    ("SELECT count(*) = 3 AS ok FROM (DESCRIBE usage)", True),
])
def test_plain_functions_and_the_tables_still_work(sandbox, query, expected):
    assert bool(sandbox.run(query).df["ok"].iloc[0]) is expected


def _python_date_text(days_from_epoch: int) -> str:
    return str(np.datetime64(days_from_epoch, "D"))


def test_dates_beyond_year_9999_are_shown_as_text(sandbox):
    """Failure 5: these were ValueError boxes. The figure is checked against numpy's own
    calendar: 10,000,000 days before 2025-01-01."""
    df = sandbox.run("SELECT '20000-01-01'::DATE AS d").df
    assert df["d"].tolist() == ["20000-01-01"]
    before = np.datetime64("2025-01-01", "D") - np.timedelta64(10_000_000, "D")
    df = sandbox.run("SELECT '2025-01-01'::DATE - 10000000 AS d").df
    assert df["d"].tolist() == [str(before)]
    df = sandbox.run("SELECT * FROM (VALUES ('2026-01-05'::DATE), ('20000-01-01'::DATE), (NULL)) t(d)").df
    assert df["d"].tolist()[:2] == ["2026-01-05", "20000-01-01"] and df["d"].isna().tolist()[2]
    tried("workbench", 3)


@pytest.mark.parametrize("query", [
    "SELECT 'infinity'::DATE AS d",
    "SELECT '-infinity'::TIMESTAMP AS t",
    "SELECT '294000-01-01'::TIMESTAMP AS t",
    "SELECT INTERVAL 3 DAY AS i",
    "SELECT union_value(k := 1) AS u",
    "SELECT map([1], ['a']) AS m",
    "SELECT {'a': '20000-01-01'::DATE} AS s",
    "SELECT ['20000-01-01'::DATE] AS l",
    "SELECT 1::HUGEINT * 100000000000000000000 AS h",
    "SELECT '101'::BIT AS b, 'a'::BLOB AS bl, uuid() AS u, '12:00'::TIME AS t",
    "SELECT 1 AS a, 2 AS a, 3 AS a",
    "SELECT 'x' AS \"` [x](http://evil.example) `\"",
    "SELECT 1e308 * 10 AS inf, 'nan'::DOUBLE AS nan",
    "SELECT [1, 2, NULL]::INTEGER[] AS l, ROW(1, 'a') AS r",
])
def test_every_type_becomes_something_the_page_can_show(sandbox, query):
    r = sandbox.run(query)
    assert len(r.df) == 1
    r.df.to_csv()  # the CSV download works too
    tried("workbench")


def test_duplicate_and_huge_column_names_are_made_readable(sandbox):
    assert sandbox.run("SELECT 1 AS a, 2 AS a").df.columns.tolist() == ["a", "a_1"]  # DuckDB's own renaming
    nested_case = "SELECT " + "CASE WHEN 1=1 THEN " * 500 + "1" + " END" * 500
    r = sandbox.run(nested_case)  # failure 5: 500 nested CASE was a RecursionError box
    assert r.df.iloc[0, 0] == 1 and len(r.df.columns[0]) <= 120
    tried("workbench", 2)


@pytest.mark.parametrize("depth", [400, 1000, 2200])
def test_deeply_nested_subqueries_are_a_message(sandbox, depth):
    """Failure 5: 400 nested sub-selects was a RecursionError box."""
    query = "SELECT " + "(SELECT " * depth + "1" + ")" * depth
    assert len(query) <= wb.MAX_SQL_CHARS
    with pytest.raises(wb.Refused, match="expression depth|nests too deeply"):
        sandbox.run(query)
    tried("workbench")


@pytest.mark.parametrize("query", [
    "SELECT " + "[" * 6000 + "1" + "]" * 6000,
    "SELECT " + "(" * 9000 + "1" + ")" * 9000,
    "SELECT " + "-" * 19000 + "1",
    "SELECT " + "NOT " * 4000 + "true",
    "SELECT 1 WHERE " + " AND ".join(["true"] * 3000),
])
def test_other_deep_or_long_expressions_are_answered(sandbox, query):
    try:
        sandbox.run(query)
    except wb.Refused as exc:
        assert str(exc)
    assert sandbox.run("SELECT 42 AS x").df["x"].iloc[0] == 42  # the workbench still answers
    tried("workbench")


def test_over_long_sql_is_refused_whole_with_the_limit(sandbox):
    """Failure 8: a 20,045-character query ran its first 20,000 characters."""
    body = "\nSELECT 1 AS one"
    at_limit = "-- " + "x" * (wb.MAX_SQL_CHARS - 3 - len(body)) + body
    assert len(at_limit) == wb.MAX_SQL_CHARS
    assert sandbox.run(at_limit).df["one"].iloc[0] == 1
    too_long = at_limit + " " * 45
    with pytest.raises(wb.Refused) as exc:
        sandbox.run(too_long)
    assert "20,045 characters" in str(exc.value) and "up to 20,000" in str(exc.value)
    with pytest.raises(wb.Refused, match="characters long"):
        sandbox.run("SELECT 1 " + "x" * 5_000_000)
    tried("workbench", 2)
