-- validate_segment_values: the first segment row whose dimension or segment is not one the
-- format knows, whose is_estimate does not match its dimension (the weekly estimates are
-- estimates, the daily series exact), whose weekly date is not a Monday, or whose date is
-- outside the snapshot (a week may start up to 6 days before its first day).
-- Returns: at most one row: dimension, segment, date, model_permaslug, is_estimate, problem.
-- Parameters: $p, $pairs (list of 'dimension/segment'), $weekly (list of the weekly
--             dimensions), $start, $end (the manifest's dates).
SELECT dimension, segment, date, model_permaslug, is_estimate,
       CASE
           WHEN NOT list_contains($pairs, dimension || '/' || segment) THEN 'segment'
           WHEN is_estimate <> list_contains($weekly, dimension) THEN 'is_estimate'
           WHEN list_contains($weekly, dimension) AND isodow(date) <> 1 THEN 'monday'
           ELSE 'range'
       END AS problem
FROM read_parquet($p)
WHERE NOT list_contains($pairs, dimension || '/' || segment)
   OR is_estimate <> list_contains($weekly, dimension)
   OR (list_contains($weekly, dimension) AND isodow(date) <> 1)
   OR date > CAST($end AS DATE)
   OR date < CAST($start AS DATE) - CASE WHEN list_contains($weekly, dimension) THEN 6 ELSE 0 END
ORDER BY dimension, segment, date, model_permaslug
LIMIT 1
