-- compare_restated: (date, model) figures that differ between two snapshots on the days
-- both cover: old and new tokens (NULL = no row in that snapshot, e.g. the model left
-- the day's top 50), the change and the relative change; largest changes first, at most
-- $limit rows. Views old_usage, new_usage.
-- Returns: date, model_permaslug, old_tokens, new_tokens, change, pct_change.
-- Parameters: $limit (INTEGER).
WITH common AS (
    SELECT DISTINCT date FROM old_usage
    INTERSECT
    SELECT DISTINCT date FROM new_usage
)
SELECT coalesce(o.date, n.date) AS date,
       coalesce(o.model_permaslug, n.model_permaslug) AS model_permaslug,
       o.total_tokens AS old_tokens,
       n.total_tokens AS new_tokens,
       coalesce(n.total_tokens, 0) - coalesce(o.total_tokens, 0) AS change,
       (n.total_tokens - o.total_tokens) / nullif(o.total_tokens, 0) AS pct_change
FROM (SELECT * FROM old_usage WHERE date IN (SELECT date FROM common)) o
FULL OUTER JOIN (SELECT * FROM new_usage WHERE date IN (SELECT date FROM common)) n
     ON o.date = n.date AND o.model_permaslug = n.model_permaslug
WHERE o.total_tokens IS DISTINCT FROM n.total_tokens
ORDER BY abs(change) DESC, date, model_permaslug
LIMIT $limit
