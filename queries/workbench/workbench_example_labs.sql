-- workbench_example_labs: labs by tokens over the last 28 days of data, with their
-- country and share of named volume.
-- Returns: lab_name, country_code, tokens, share_pct. Parameters: none.
WITH recent AS (
    SELECT u.*, m.author, m.open_weights
    FROM usage u
    JOIN models m USING (model_permaslug)
    WHERE u.date > (SELECT max(date) FROM usage) - 28
      AND m.open_weights IS NOT NULL
)
SELECT coalesce(l.lab_name, r.author) AS lab_name,
       coalesce(l.country_code, 'XX') AS country_code,
       sum(r.total_tokens) AS tokens,
       round(100.0 * sum(r.total_tokens) / sum(sum(r.total_tokens)) OVER (), 1) AS share_pct
FROM recent r
LEFT JOIN labs l USING (author)
GROUP BY ALL
ORDER BY tokens DESC
