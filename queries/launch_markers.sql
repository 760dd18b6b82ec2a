-- launch_markers: the $limit biggest launches in [$start, $end] under the filters, for
-- markers on time-series charts: biggest = most tokens in the model's first 28 days.
-- Launches before the first day of data are left out (they are not launches in view).
-- Returns: launch_day, model_permaslug, model_name, lab_name, openness, first_4w_tokens.
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs,
--             $limit (INTEGER).
WITH bounds AS (
    SELECT min(date) AS first_day FROM fact_usage
), launched AS (
    SELECT * FROM launched_models($openness, $countries, $labs)
)
SELECT l.launch_day, l.model_permaslug, l.model_name, l.lab_name, l.openness,
       coalesce(sum(u.total_tokens), 0)::BIGINT AS first_4w_tokens
FROM launched l
CROSS JOIN bounds b
LEFT JOIN fact_usage u
       ON u.model_key = l.model_key AND u.date BETWEEN l.launch_day AND l.launch_day + 27
WHERE l.launch_day > b.first_day
  AND l.launch_day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY first_4w_tokens DESC, l.launch_day, l.model_permaslug
LIMIT $limit
