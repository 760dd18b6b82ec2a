-- validate_session_cost_duplicates: the first (app_slug, model_permaslug, turn_range) listed twice.
-- Returns: at most one row: key, copies. Parameters: $p.
SELECT concat_ws(' / ', app_slug, model_permaslug, turn_range) AS key, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY key
LIMIT 1
