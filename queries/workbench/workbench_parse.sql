-- workbench_parse: DuckDB's own parse tree of one SELECT statement as JSON (used to find
-- the table functions and table names a workbench query reads before it runs).
-- Returns: one row: ast (JSON text, with error = true when it is not a SELECT).
-- Parameters: $q (the statement text).
SELECT json_serialize_sql(CAST($q AS VARCHAR)) AS ast
