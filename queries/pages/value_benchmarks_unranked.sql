-- value_benchmarks_unranked: the benchmark rows that match no model with ranked tokens
-- in [$start, $end] (by permaslug or catalogue id, as value_models matches them): models
-- below the daily top 50 on every day of the range, not yet launched, or not in the
-- snapshot at all. Their tokens are not known, so the Value page can only name them.
-- Returns: model_permaslug, display_name, score (on $index), in_catalogue.
-- Parameters: $start, $end (DATE), $index ('intelligence' | 'coding' | 'agentic').
WITH live AS (
    SELECT DISTINCT d.model_permaslug, m.model_id
    FROM fact_usage f
    JOIN dim_model d ON d.model_key = f.model_key
    LEFT JOIN models m ON m.model_permaslug = d.model_permaslug
    WHERE f.date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE) AND f.total_tokens > 0
)
SELECT b.model_permaslug, b.display_name,
       CASE $index WHEN 'intelligence' THEN b.intelligence_index WHEN 'coding' THEN b.coding_index
                   WHEN 'agentic' THEN b.agentic_index END AS score,
       EXISTS (SELECT 1 FROM models m WHERE b.model_permaslug IN (m.model_permaslug, m.model_id)) AS in_catalogue
FROM benchmarks b
WHERE NOT EXISTS (SELECT 1 FROM live l WHERE b.model_permaslug IN (l.model_permaslug, l.model_id))
ORDER BY score DESC NULLS LAST, b.model_permaslug
