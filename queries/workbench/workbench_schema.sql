-- workbench_schema: the tables of the workbench's sandbox and their columns, for the
-- page's schema list.
-- Returns: table_name, column_name, data_type. Parameters: none.
SELECT table_name, column_name, data_type
FROM duckdb_columns()
WHERE database_name = current_database() AND NOT internal
ORDER BY table_name, column_index
