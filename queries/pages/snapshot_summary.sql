-- snapshot_summary: what the active snapshot holds.
-- Returns: one row: usage_rows, first_day, last_day, days, models_in_usage,
--          catalogue_models, unclassified_models, labs, countries, total_tokens.
-- usage_rows counts the rows of usage.parquet (every `:free` and other variant row
-- included); models_in_usage counts models, a variant with its base model.
-- Per-model figures come from model_days (made when the database is built).
-- Parameters: none.
SELECT
    (SELECT count(*) FROM usage)::BIGINT AS usage_rows,
    (SELECT min(first_day) FROM model_days) AS first_day,
    (SELECT max(last_day) FROM model_days) AS last_day,
    (SELECT count(DISTINCT date) FROM fact_usage)::INTEGER AS days,
    (SELECT count(*) FROM model_days WHERE model_key <> 0)::INTEGER AS models_in_usage,
    (SELECT count(*) FROM dim_model WHERE in_catalogue)::INTEGER AS catalogue_models,
    (SELECT count(*) FROM dim_model WHERE openness = 'unclassified')::INTEGER AS unclassified_models,
    (SELECT count(DISTINCT lab_name) FROM dim_model WHERE author IS NOT NULL)::INTEGER AS labs,
    (SELECT count(DISTINCT country_code) FROM dim_model WHERE country_code IS NOT NULL)::INTEGER AS countries,
    (SELECT sum(tokens) FROM model_days)::BIGINT AS total_tokens
