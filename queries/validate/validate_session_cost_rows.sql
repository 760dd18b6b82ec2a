-- validate_session_cost_rows: the first session_cost row with an empty value, an unknown
-- turn range, a negative or NaN median cost, or a window of no days; with the problem named.
-- Returns: at most one row: app_slug, model_permaslug, turn_range, problem. Parameters: $p, $turn_ranges.
SELECT app_slug, model_permaslug, turn_range, problem FROM (
    SELECT *, CASE
        WHEN app_slug IS NULL OR app_name IS NULL OR model_permaslug IS NULL OR turn_range IS NULL
          OR median_session_cost_usd IS NULL OR window_end_date IS NULL OR window_days IS NULL
          OR fetched_on IS NULL THEN 'empty value'
        WHEN NOT list_contains($turn_ranges, turn_range) THEN 'unknown turn_range'
        WHEN median_session_cost_usd < 0 OR isnan(median_session_cost_usd) THEN 'negative or NaN median cost'
        WHEN window_days < 1 THEN 'window_days below 1'
        END AS problem
    FROM read_parquet($p)
)
WHERE problem IS NOT NULL
ORDER BY app_slug, model_permaslug, turn_range
LIMIT 1
