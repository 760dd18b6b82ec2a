-- validate_category_duplicates: the first (week, category, model_permaslug) listed twice.
-- Returns: at most one row: week, category, model_permaslug, copies. Parameters: $p.
SELECT week, category, model_permaslug, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY week, category, model_permaslug
LIMIT 1
