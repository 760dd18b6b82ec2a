-- workbench_example_categories: open-weight share of named volume in each use-case
-- category's estimates, week by week (needs usage_by_category in the snapshot).
-- Returns: week, category, open_share_pct. Parameters: none.
SELECT c.week, c.category,
       round(100.0 * sum(c.total_tokens) FILTER (WHERE m.open_weights)
             / sum(c.total_tokens), 1) AS open_share_pct
FROM usage_by_category c
JOIN models m USING (model_permaslug)
WHERE m.open_weights IS NOT NULL
  AND c.category IN ('programming', 'roleplay')
GROUP BY ALL
ORDER BY c.week DESC, c.category
