-- launch_markers: the $limit biggest launches in [$start, $end] under the filters, for
-- markers on time-series charts: biggest = most tokens in the model's first 28 days
-- (computed once per snapshot: queries/setup_launch_facts.sql).
-- Launches before the first day of data are left out (they are not launches in view).
-- Returns: launch_day, model_permaslug, model_name, lab_name, openness, first_4w_tokens.
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs,
--             $limit (INTEGER).
SELECT l.launch_day, l.model_permaslug, l.model_name, l.lab_name, l.openness, f.first_4w_tokens
FROM launched_models($openness, $countries, $labs) l
JOIN launch_facts f USING (model_key)
WHERE f.measured
  AND l.launch_day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY f.first_4w_tokens DESC, l.launch_day, l.model_permaslug
LIMIT $limit
