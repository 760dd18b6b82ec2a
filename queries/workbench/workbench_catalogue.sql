-- workbench_catalogue: the names the workbench's gate checks a query against: the
-- engine's own views and tables (its catalogue: duckdb_*, pg_catalog, information_schema,
-- sqlite_master, ...) and every function the engine knows, with its kind.
-- Returns: name (lower case), kind (view, table, table_function, pragma or function).
-- Parameters: none.
SELECT DISTINCT lower(view_name) AS name, 'view' AS kind
FROM duckdb_views()
WHERE internal OR database_name IN ('system', 'temp')
UNION
SELECT DISTINCT lower(table_name), 'table'
FROM duckdb_tables()
WHERE internal OR database_name IN ('system', 'temp')
UNION
SELECT DISTINCT lower(function_name),
       CASE WHEN function_type IN ('table', 'table_macro') THEN 'table_function'
            WHEN function_type = 'pragma' THEN 'pragma'
            ELSE 'function' END
FROM duckdb_functions()
