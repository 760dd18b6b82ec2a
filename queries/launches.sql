-- launches: every model's launch day: the first day it appears in the usage data, or its
-- released_at when that is earlier. Launches on or before the first day of data are
-- "before the data" (the model was already out when the snapshot starts).
-- Returns: model_key, model_permaslug, model_name, author, lab_name, country_code,
--          openness, released_at, first_seen, launch_day, before_data (BOOLEAN),
--          first_4w_tokens (the model's tokens in its first 28 days from launch_day).
-- Parameters: $start, $end (launch_day between them; models out before the data are
--             always listed), $openness ('all' | 'open' | 'closed'), $countries, $labs
--             (lists; empty = all).
WITH bounds AS (
    SELECT min(date) AS first_day FROM fact_usage
), launched AS (
    SELECT * FROM launched_models($openness, $countries, $labs)
)
SELECT l.model_key, l.model_permaslug, l.model_name, l.author, l.lab_name, l.country_code,
       l.openness, l.released_at, l.first_seen, l.launch_day,
       l.launch_day <= b.first_day AS before_data,
       coalesce(sum(u.total_tokens), 0)::BIGINT AS first_4w_tokens
FROM launched l
CROSS JOIN bounds b
LEFT JOIN fact_usage u
       ON u.model_key = l.model_key AND u.date BETWEEN l.launch_day AND l.launch_day + 27
WHERE l.launch_day <= b.first_day
   OR l.launch_day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY ALL
ORDER BY l.launch_day, l.model_permaslug
