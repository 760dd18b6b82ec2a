-- validate_models_duplicates: the first model_permaslug listed more than once.
-- Returns: at most one row: model_permaslug, copies. Parameters: $p.
SELECT model_permaslug, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY model_permaslug
LIMIT 1
