-- launch_lab_daily: one lab's daily tokens (all its models) and one model's own daily
-- tokens from $days_before days before a launch day to $days_after days after it; days
-- without rows inside the data are 0, days outside the data are left out.
-- Returns: date, day (days from the launch), lab_tokens, model_tokens.
-- Parameters: $lab_name, $model_permaslug, $launch_day (DATE), $days_before, $days_after
--             (INTEGER).
WITH bounds AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM fact_usage
), days AS (
    SELECT CAST(g.d AS DATE) AS date
    FROM bounds b,
         generate_series(greatest(CAST($launch_day AS DATE) - $days_before, b.first_day),
                         least(CAST($launch_day AS DATE) + $days_after, b.last_day),
                         INTERVAL 1 DAY) AS g(d)
), lab_rows AS (
    SELECT f.date, sum(f.total_tokens) AS lab_tokens,
           sum(f.total_tokens) FILTER (WHERE d.model_permaslug = $model_permaslug) AS model_tokens
    FROM fact_usage f
    JOIN dim_model d USING (model_key)
    WHERE d.lab_name = $lab_name
      AND f.date BETWEEN CAST($launch_day AS DATE) - $days_before AND CAST($launch_day AS DATE) + $days_after
    GROUP BY f.date
)
SELECT days.date,
       (days.date - CAST($launch_day AS DATE))::INTEGER AS day,
       coalesce(r.lab_tokens, 0)::BIGINT AS lab_tokens,
       coalesce(r.model_tokens, 0)::BIGINT AS model_tokens
FROM days
LEFT JOIN lab_rows r USING (date)
ORDER BY days.date
