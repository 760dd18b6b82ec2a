-- validate_usage_negative: the first usage row with a negative token count.
-- Returns: at most one row. Parameters: $p (path of usage.parquet).
SELECT * FROM read_parquet($p) WHERE total_tokens < 0 ORDER BY date, model_permaslug LIMIT 1
