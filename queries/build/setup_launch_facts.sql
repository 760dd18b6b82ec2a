-- setup_launch_facts: every launch's figures, computed once when the database is built
-- (they depend on the launch and its lab's daily tokens only, never on the filters, and
-- computing them for the 41,013 launches of a 10M-row snapshot took 1.5-2 s per query).
-- One row per model of launched_models('all', [], []) (launch day as defined there):
--   first_4w_tokens: the model's own tokens in its first 28 days from the launch day;
--   for launches after the first day of data (NULL for those on or before it, which are
--   not measured), its lab's mean daily tokens (all of the lab's models, days without
--   rows count as 0) in the 14 days before the launch (days -14..-1), in the launch week
--   (days 0..6) and in weeks 1 to 6 after it (week k = days 7k..7k+6); a window not
--   wholly inside the data is NULL (too little history), and
--     jump     = week 1 / before (NULL when before is NULL or 0)
--     plateau  = median of weeks 3, 4, 5 and 6
--     peak     = the highest of the launch week and weeks 1 to 6
--     hold     = plateau / peak
--     share_w4 = the model's own tokens / its lab's tokens in week 4.
-- launches, launch_impact and launch_markers read it.
-- Creates: launch_facts(model_key, launch_day, data_first_day, data_last_day, measured,
--          first_4w_tokens, before, w0, w1, w2, w3, w4, w5, w6, jump, plateau, peak,
--          hold, share_w4). Parameters: none.
CREATE TABLE launch_facts AS
WITH bounds AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM fact_usage
), launched AS (
    SELECT * FROM launched_models('all', [], [])
), measured AS (
    SELECT l.* FROM launched l, bounds b WHERE l.launch_day > b.first_day
), windows(win, lo, hi) AS (
    VALUES ('before', -14, -1), ('w0', 0, 6), ('w1', 7, 13), ('w2', 14, 20),
           ('w3', 21, 27), ('w4', 28, 34), ('w5', 35, 41), ('w6', 42, 48)
), win_means AS (
    SELECT l.model_key, w.win,
           l.launch_day + w.lo >= b.first_day AND l.launch_day + w.hi <= b.last_day AS complete,
           coalesce(sum(ld.tokens), 0) / (w.hi - w.lo + 1) AS lab_mean
    FROM measured l
    CROSS JOIN windows w
    CROSS JOIN bounds b
    LEFT JOIN lab_days ld
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
    FROM measured l
    LEFT JOIN fact_usage u ON u.model_key = l.model_key AND u.date BETWEEN l.launch_day + 28 AND l.launch_day + 34
    GROUP BY l.model_key
), first_4w AS (
    SELECT l.model_key, coalesce(sum(u.total_tokens), 0)::BIGINT AS first_4w_tokens
    FROM launched l
    LEFT JOIN fact_usage u
           ON u.model_key = l.model_key AND u.date BETWEEN l.launch_day AND l.launch_day + 27
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
SELECT l.model_key, l.launch_day, b.first_day AS data_first_day, b.last_day AS data_last_day,
       m.model_key IS NOT NULL AS measured,
       f.first_4w_tokens,
       m.before, m.w0, m.w1, m.w2, m.w3, m.w4, m.w5, m.w6,
       m.w1 / nullif(m.before, 0) AS jump,
       m.plateau,
       m.peak,
       m.plateau / nullif(m.peak, 0) AS hold,
       CASE WHEN m.w4 IS NOT NULL THEN mw.model_mean / nullif(m.w4, 0) END AS share_w4
FROM launched l
CROSS JOIN bounds b
JOIN first_4w f USING (model_key)
LEFT JOIN metrics m USING (model_key)
LEFT JOIN model_w4 mw USING (model_key)
ORDER BY l.model_key
