-- claims_week_launches: the models launched between $start and $end (launch day as in
-- launches.sql; models out before the first day of data are not launches), with the
-- model's own tokens in its first week (days 0 to 6 from the launch day) and how many
-- of those 7 days the data covers.
-- Returns: model_permaslug, model_name, lab_name, openness, launch_day,
--          first_week_tokens, days_counted.
-- Parameters: $start, $end (DATE), $openness ('all' | 'open' | 'closed'), $countries,
--             $labs.
-- Page: Claims — what changed: launches in the week
WITH data AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM fact_usage
)
SELECT l.model_permaslug, l.model_name, l.lab_name, l.openness, l.launch_day,
       coalesce(sum(f.total_tokens), 0)::BIGINT AS first_week_tokens,
       (least(l.launch_day + 6, d.last_day) - l.launch_day + 1)::INTEGER AS days_counted
FROM launched_models($openness, $countries, $labs) l
CROSS JOIN data d
LEFT JOIN fact_usage f
       ON f.model_key = l.model_key AND f.date BETWEEN l.launch_day AND l.launch_day + 6
WHERE l.launch_day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
  AND l.launch_day > d.first_day
GROUP BY l.model_permaslug, l.model_name, l.lab_name, l.openness, l.launch_day, d.last_day
ORDER BY first_week_tokens DESC, l.model_permaslug
