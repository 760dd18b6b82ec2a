-- validate_tasks_duplicates: the first (window_end, tag, model_rank) listed twice in task_shares.
-- Returns: at most one row: key, copies. Parameters: $p.
SELECT concat_ws(' / ', window_end, tag, model_rank) AS key, count(*) AS copies
FROM read_parquet($p)
GROUP BY ALL HAVING count(*) > 1
ORDER BY key
LIMIT 1
