-- parquet_row_count: how many rows one Parquet file holds.
-- Returns: one row, n. Parameters: $p (path of the Parquet file).
SELECT count(*) AS n FROM read_parquet($p)
