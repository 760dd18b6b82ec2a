-- workbench_example_segments: open-weight share of named volume in each segment (modality,
-- context bucket, language type) over the last complete ISO week of the segment table
-- (needs usage_by_segment in the snapshot; language figures are estimates).
-- Returns: dimension, segment, is_estimate, open_share_pct. Parameters: none.
WITH last_week AS (
    SELECT CAST(date_trunc('week', max(date)) AS DATE) - 7 AS week FROM usage_by_segment
)
SELECT s.dimension, s.segment, bool_or(s.is_estimate) AS is_estimate,
       round(100.0 * coalesce(sum(s.total_tokens) FILTER (WHERE m.open_weights), 0)
             / sum(s.total_tokens), 1) AS open_share_pct
FROM usage_by_segment s
JOIN models m USING (model_permaslug)
CROSS JOIN last_week w
WHERE m.open_weights IS NOT NULL
  AND s.date BETWEEN w.week AND w.week + 6
GROUP BY ALL
ORDER BY s.dimension, s.segment
