-- workbench_example_launches: each model's launch day as the Launches page defines it
-- (first day in the usage data, or released_at when earlier), newest first.
-- Returns: model_permaslug, name, released_at, first_seen, launch_day. Parameters: none.
WITH first_seen AS (
    SELECT model_permaslug, min(date) AS first_seen
    FROM usage
    WHERE model_permaslug <> 'other'
    GROUP BY model_permaslug
)
SELECT f.model_permaslug, m.name, m.released_at, f.first_seen,
       least(f.first_seen, coalesce(m.released_at, f.first_seen)) AS launch_day
FROM first_seen f
LEFT JOIN models m USING (model_permaslug)
ORDER BY launch_day DESC, f.model_permaslug
