-- validate_usage_nulls: the first usage row with an empty value in any column.
-- Returns: at most one row of usage.parquet. Parameters: $p (path of usage.parquet).
SELECT * FROM read_parquet($p)
WHERE date IS NULL OR model_permaslug IS NULL OR total_tokens IS NULL
LIMIT 1
