-- validate_benchmarks_duplicates: the first model_permaslug listed twice in benchmarks.
-- Returns: at most one row: key, copies. Parameters: $p.
SELECT model_permaslug AS key, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY key
LIMIT 1
