-- launch_impact: for each launch in [$start, $end] under the filters (launch day as in
-- launches.sql, after the first day of data), its lab's mean daily tokens (all of the
-- lab's models, days without rows count as 0) in the 14 days before the launch
-- (days -14..-1), in the launch week (days 0..6) and in weeks 1 to 6 after it (week k =
-- days 7k..7k+6). A window not wholly inside the data is NULL (too little history).
--   jump     = week 1 / before (NULL when before is NULL or 0)
--   plateau  = median of weeks 3, 4, 5 and 6
--   peak     = the highest of the launch week and weeks 1 to 6
--   hold     = plateau / peak
--   share_w4 = the model's own tokens / its lab's tokens in week 4
-- Returns: model_permaslug, model_name, author, lab_name, country_code, openness,
--          launch_day, released_at, first_seen, data_first_day, data_last_day, before,
--          w0, w1, w2, w3, w4, w5, w6, jump, plateau, peak, hold, share_w4.
-- The figures are computed once per snapshot (queries/setup_launch_facts.sql); this
-- query picks the launches in view.
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs.
SELECT l.model_permaslug, l.model_name, l.author, l.lab_name, l.country_code, l.openness,
       l.launch_day, l.released_at, l.first_seen, f.data_first_day, f.data_last_day,
       f.before, f.w0, f.w1, f.w2, f.w3, f.w4, f.w5, f.w6,
       f.jump, f.plateau, f.peak, f.hold, f.share_w4
FROM launched_models($openness, $countries, $labs) l
JOIN launch_facts f USING (model_key)
WHERE f.measured
  AND l.launch_day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY l.launch_day, l.model_permaslug
