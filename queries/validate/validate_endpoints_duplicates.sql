-- validate_endpoints_duplicates: the first (model_permaslug, endpoint_tag) listed twice.
-- Returns: at most one row: model_permaslug, endpoint_tag, copies. Parameters: $p.
SELECT model_permaslug, endpoint_tag, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY model_permaslug, endpoint_tag
LIMIT 1
