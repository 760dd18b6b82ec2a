-- validate_segment_rows: the first segment row with an empty value or a negative token count.
-- Returns: at most one row of usage_by_segment.parquet. Parameters: $p.
SELECT * FROM read_parquet($p)
WHERE dimension IS NULL OR segment IS NULL OR date IS NULL OR model_permaslug IS NULL
   OR total_tokens IS NULL OR is_estimate IS NULL OR total_tokens < 0
LIMIT 1
