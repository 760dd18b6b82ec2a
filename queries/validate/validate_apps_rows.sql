-- validate_apps_rows: the first app_rankings row with an empty value, an unknown sort, a rank
-- below 1, or a negative count; with the problem named.
-- Returns: at most one row: end_date, sort, category, subcategory, rank, problem. Parameters: $p.
SELECT end_date, sort, category, subcategory, rank, problem FROM (
    SELECT *, CASE
        WHEN end_date IS NULL OR start_date IS NULL OR sort IS NULL OR category IS NULL
          OR subcategory IS NULL OR rank IS NULL OR app_id IS NULL OR app_name IS NULL
          OR total_tokens IS NULL OR total_requests IS NULL OR fetched_on IS NULL THEN 'empty value'
        WHEN sort NOT IN ('popular', 'trending') THEN 'sort is not popular or trending'
        WHEN rank < 1 THEN 'rank below 1'
        WHEN total_tokens < 0 OR total_requests < 0 THEN 'negative count'
        WHEN start_date > end_date THEN 'start_date after end_date'
        END AS problem
    FROM read_parquet($p)
)
WHERE problem IS NOT NULL
ORDER BY end_date, sort, category, subcategory, rank
LIMIT 1
