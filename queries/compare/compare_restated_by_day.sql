-- compare_restated_by_day: on each day both snapshots cover, how many (date, model)
-- figures differ and the day's total tokens in each snapshot (days without a
-- difference are left out). Views old_usage, new_usage.
-- Returns: date, restated, old_total, new_total, change. Parameters: none.
WITH common AS (
    SELECT DISTINCT date FROM old_usage
    INTERSECT
    SELECT DISTINCT date FROM new_usage
), diffs AS (
    SELECT coalesce(o.date, n.date) AS date
    FROM (SELECT * FROM old_usage WHERE date IN (SELECT date FROM common)) o
    FULL OUTER JOIN (SELECT * FROM new_usage WHERE date IN (SELECT date FROM common)) n
         ON o.date = n.date AND o.model_permaslug = n.model_permaslug
    WHERE o.total_tokens IS DISTINCT FROM n.total_tokens
), per_day AS (
    SELECT date, count(*)::INTEGER AS restated FROM diffs GROUP BY date
), old_totals AS (
    SELECT date, sum(total_tokens) AS total FROM old_usage WHERE date IN (SELECT date FROM per_day) GROUP BY date
), new_totals AS (
    SELECT date, sum(total_tokens) AS total FROM new_usage WHERE date IN (SELECT date FROM per_day) GROUP BY date
)
SELECT p.date, p.restated,
       o.total::BIGINT AS old_total,
       n.total::BIGINT AS new_total,
       (n.total - o.total)::BIGINT AS change
FROM per_day p
JOIN old_totals o USING (date)
JOIN new_totals n USING (date)
ORDER BY p.date
