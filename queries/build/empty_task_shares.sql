-- empty_task_shares: an empty task_shares view with the columns of task_shares.parquet, for a snapshot without
-- it, so the queries that read it run on any snapshot (no task windows).
-- Creates: view task_shares. Parameters: none.
CREATE VIEW task_shares AS
SELECT NULL::DATE AS window_end, NULL::BIGINT AS window_days, NULL::VARCHAR AS tag,
       NULL::VARCHAR AS display_name, NULL::VARCHAR AS macro_category, NULL::DOUBLE AS usage_share,
       NULL::DOUBLE AS token_share, NULL::DOUBLE AS category_usage_share,
       NULL::DOUBLE AS category_token_share, NULL::BIGINT AS model_rank, NULL::VARCHAR AS model_permaslug,
       NULL::DOUBLE AS tag_usage_share, NULL::DOUBLE AS tag_token_share, NULL::DATE AS fetched_on
WHERE false
