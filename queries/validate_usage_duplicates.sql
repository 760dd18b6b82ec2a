-- validate_usage_duplicates: the first (date, model_permaslug) that appears more than once.
-- Returns: at most one row: date, model_permaslug, copies. Parameters: $p.
SELECT date, model_permaslug, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY date, model_permaslug
LIMIT 1
