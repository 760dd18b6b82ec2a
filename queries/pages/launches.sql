-- launches: every model's launch day: the first day it appears in the usage data, or its
-- released_at when that is earlier. Launches on or before the first day of data are
-- "before the data" (the model was already out when the snapshot starts).
-- Returns: model_key, model_permaslug, model_name, author, lab_name, country_code,
--          openness, released_at, first_seen, launch_day, before_data (BOOLEAN),
--          first_4w_tokens (the model's tokens in its first 28 days from launch_day,
--          computed once per snapshot: queries/setup_launch_facts.sql).
-- Parameters: $start, $end (launch_day between them; models out before the data are
--             always listed), $openness ('all' | 'open' | 'closed'), $countries, $labs
--             (lists; empty = all).
SELECT l.model_key, l.model_permaslug, l.model_name, l.author, l.lab_name, l.country_code,
       l.openness, l.released_at, l.first_seen, l.launch_day,
       l.launch_day <= f.data_first_day AS before_data,
       f.first_4w_tokens
FROM launched_models($openness, $countries, $labs) l
JOIN launch_facts f USING (model_key)
WHERE l.launch_day <= f.data_first_day
   OR l.launch_day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY l.launch_day, l.model_permaslug
