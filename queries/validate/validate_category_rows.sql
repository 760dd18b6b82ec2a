-- validate_category_rows: the first category row with an empty key or a negative or
-- empty token count.
-- Returns: at most one row of usage_by_category.parquet. Parameters: $p.
SELECT * FROM read_parquet($p)
WHERE week IS NULL OR category IS NULL OR model_permaslug IS NULL
   OR total_tokens IS NULL OR total_tokens < 0
LIMIT 1
