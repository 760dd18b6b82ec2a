-- validate_segment_duplicates: the first (dimension, segment, date, model_permaslug) listed twice.
-- Returns: at most one row: dimension, segment, date, model_permaslug, copies. Parameters: $p.
SELECT dimension, segment, date, model_permaslug, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY dimension, segment, date, model_permaslug
LIMIT 1
