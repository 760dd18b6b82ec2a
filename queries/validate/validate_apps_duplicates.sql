-- validate_apps_duplicates: the first (end_date, sort, category, subcategory, rank) listed twice.
-- Returns: at most one row: key, copies. Parameters: $p.
SELECT concat_ws(' / ', end_date, sort, category, subcategory, rank) AS key, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY key
LIMIT 1
