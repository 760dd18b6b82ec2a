-- workbench_example_headline: the Share page's headline reproduced: open-weight share of
-- named volume (models classified open or closed) in the last complete ISO week.
-- Returns: week_start, week_end, open_tokens, named_tokens, open_share. Parameters: none.
WITH bounds AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM usage
), week AS (
    -- the last Monday-to-Sunday week that lies wholly inside the data
    SELECT CAST(date_trunc('week', last_day - 6) AS DATE) AS week_start FROM bounds
)
SELECT week_start,
       week_start + 6 AS week_end,
       sum(u.total_tokens) FILTER (WHERE m.open_weights) AS open_tokens,
       sum(u.total_tokens) AS named_tokens,
       round(100.0 * sum(u.total_tokens) FILTER (WHERE m.open_weights) / sum(u.total_tokens), 1) AS open_share_pct
FROM usage u
JOIN models m USING (model_permaslug)
CROSS JOIN week
WHERE m.open_weights IS NOT NULL
  AND u.date BETWEEN week_start AND week_start + 6
GROUP BY week_start
