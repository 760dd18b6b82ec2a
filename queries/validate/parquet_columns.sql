-- parquet_columns: the columns of one Parquet file and their DuckDB types.
-- Returns: column_name, column_type. Parameters: $p (path of the Parquet file).
SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet($p))
