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
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs.
WITH bounds AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM fact_usage
), launched AS (
    SELECT * FROM launched_models($openness, $countries, $labs)
), in_view AS (
    SELECT l.* FROM launched l, bounds b
    WHERE l.launch_day > b.first_day
      AND l.launch_day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
), windows(win, lo, hi) AS (
    VALUES ('before', -14, -1), ('w0', 0, 6), ('w1', 7, 13), ('w2', 14, 20),
           ('w3', 21, 27), ('w4', 28, 34), ('w5', 35, 41), ('w6', 42, 48)
), lab_day AS (
    SELECT date, lab_name, tokens FROM lab_days  -- summed when the database is built
), win_means AS (
    SELECT l.model_key, w.win,
           l.launch_day + w.lo >= b.first_day AND l.launch_day + w.hi <= b.last_day AS complete,
           coalesce(sum(ld.tokens), 0) / (w.hi - w.lo + 1) AS lab_mean
    FROM in_view l
    CROSS JOIN windows w
    CROSS JOIN bounds b
    LEFT JOIN lab_day ld
           ON ld.lab_name = l.lab_name AND ld.date BETWEEN l.launch_day + w.lo AND l.launch_day + w.hi
    GROUP BY l.model_key, w.win, w.lo, w.hi, l.launch_day, b.first_day, b.last_day
), pivoted AS (
    SELECT model_key,
           max(lab_mean) FILTER (WHERE win = 'before' AND complete) AS before,
           max(lab_mean) FILTER (WHERE win = 'w0' AND complete) AS w0,
           max(lab_mean) FILTER (WHERE win = 'w1' AND complete) AS w1,
           max(lab_mean) FILTER (WHERE win = 'w2' AND complete) AS w2,
           max(lab_mean) FILTER (WHERE win = 'w3' AND complete) AS w3,
           max(lab_mean) FILTER (WHERE win = 'w4' AND complete) AS w4,
           max(lab_mean) FILTER (WHERE win = 'w5' AND complete) AS w5,
           max(lab_mean) FILTER (WHERE win = 'w6' AND complete) AS w6
    FROM win_means
    GROUP BY model_key
), model_w4 AS (
    SELECT l.model_key, coalesce(sum(u.total_tokens), 0) / 7 AS model_mean
    FROM in_view l
    LEFT JOIN fact_usage u ON u.model_key = l.model_key AND u.date BETWEEN l.launch_day + 28 AND l.launch_day + 34
    GROUP BY l.model_key
), metrics AS (
    SELECT p.*,
           CASE WHEN w3 IS NOT NULL AND w4 IS NOT NULL AND w5 IS NOT NULL AND w6 IS NOT NULL
                THEN list_aggregate([w3, w4, w5, w6], 'median') END AS plateau,
           CASE WHEN w0 IS NOT NULL AND w1 IS NOT NULL AND w2 IS NOT NULL AND w3 IS NOT NULL
                 AND w4 IS NOT NULL AND w5 IS NOT NULL AND w6 IS NOT NULL
                THEN greatest(w0, w1, w2, w3, w4, w5, w6) END AS peak
    FROM pivoted p
)
SELECT l.model_permaslug, l.model_name, l.author, l.lab_name, l.country_code, l.openness,
       l.launch_day, l.released_at, l.first_seen, b.first_day AS data_first_day, b.last_day AS data_last_day,
       m.before, m.w0, m.w1, m.w2, m.w3, m.w4, m.w5, m.w6,
       m.w1 / nullif(m.before, 0) AS jump,
       m.plateau,
       m.peak,
       m.plateau / nullif(m.peak, 0) AS hold,
       CASE WHEN m.w4 IS NOT NULL THEN mw.model_mean / nullif(m.w4, 0) END AS share_w4
FROM in_view l
CROSS JOIN bounds b
JOIN metrics m USING (model_key)
JOIN model_w4 mw USING (model_key)
ORDER BY l.launch_day, l.model_permaslug
