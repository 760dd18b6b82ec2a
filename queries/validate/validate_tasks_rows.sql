-- validate_tasks_rows: the first task_shares row with an empty value, a share outside 0 to 1
-- (or NaN), a model without a rank or a rank without a model; with the problem named.
-- Returns: at most one row: window_end, tag, model_rank, problem. Parameters: $p.
SELECT window_end, tag, model_rank, problem FROM (
    SELECT *, CASE
        WHEN window_end IS NULL OR window_days IS NULL OR tag IS NULL OR display_name IS NULL
          OR macro_category IS NULL OR usage_share IS NULL OR token_share IS NULL
          OR category_usage_share IS NULL OR category_token_share IS NULL OR model_rank IS NULL
          OR fetched_on IS NULL THEN 'empty value'
        WHEN NOT (usage_share BETWEEN 0 AND 1 AND token_share BETWEEN 0 AND 1
                  AND category_usage_share BETWEEN 0 AND 1 AND category_token_share BETWEEN 0 AND 1)
            THEN 'a share outside 0 to 1'
        WHEN model_rank < 0 THEN 'negative model_rank'
        WHEN (model_rank = 0) <> (model_permaslug IS NULL) THEN 'model_rank 0 goes with no model, and only then'
        WHEN model_rank > 0 AND NOT (tag_usage_share BETWEEN 0 AND 1 AND tag_token_share BETWEEN 0 AND 1)
            THEN 'a tag share outside 0 to 1'
        END AS problem
    FROM read_parquet($p)
)
WHERE problem IS NOT NULL
ORDER BY window_end, tag, model_rank
LIMIT 1
