-- validate_benchmarks_rows: the first benchmarks row with an empty key, name or fetch date,
-- an index outside 0 to 100 (or NaN), or a negative or NaN price; with the problem named.
-- Returns: at most one row: model_permaslug, problem. Parameters: $p.
SELECT model_permaslug, problem FROM (
    SELECT model_permaslug, CASE
        WHEN model_permaslug IS NULL OR model_permaslug = '' THEN 'empty model_permaslug'
        WHEN display_name IS NULL THEN 'empty display_name'
        WHEN fetched_on IS NULL THEN 'empty fetched_on'
        WHEN NOT coalesce(intelligence_index BETWEEN 0 AND 100, true) OR isnan(intelligence_index)
            THEN 'intelligence_index outside 0 to 100'
        WHEN NOT coalesce(coding_index BETWEEN 0 AND 100, true) OR isnan(coding_index)
            THEN 'coding_index outside 0 to 100'
        WHEN NOT coalesce(agentic_index BETWEEN 0 AND 100, true) OR isnan(agentic_index)
            THEN 'agentic_index outside 0 to 100'
        WHEN price_prompt_usd_per_mtok < 0 OR isnan(price_prompt_usd_per_mtok)
          OR price_completion_usd_per_mtok < 0 OR isnan(price_completion_usd_per_mtok)
            THEN 'negative or NaN price'
        END AS problem
    FROM read_parquet($p)
)
WHERE problem IS NOT NULL
ORDER BY model_permaslug NULLS FIRST
LIMIT 1
