-- snapshot_summary: what the active snapshot holds.
-- Returns: one row: usage_rows, first_day, last_day, days, models_in_usage,
--          catalogue_models, unclassified_models, labs, countries, total_tokens.
-- Parameters: none.
SELECT
    (SELECT count(*) FROM fact_usage)::BIGINT AS usage_rows,
    (SELECT min(date) FROM fact_usage) AS first_day,
    (SELECT max(date) FROM fact_usage) AS last_day,
    (SELECT count(DISTINCT date) FROM fact_usage)::INTEGER AS days,
    (SELECT count(DISTINCT model_key) FROM fact_usage WHERE model_key <> 0)::INTEGER AS models_in_usage,
    (SELECT count(*) FROM dim_model WHERE in_catalogue)::INTEGER AS catalogue_models,
    (SELECT count(*) FROM dim_model WHERE openness = 'unclassified')::INTEGER AS unclassified_models,
    (SELECT count(DISTINCT lab_name) FROM dim_model WHERE author IS NOT NULL)::INTEGER AS labs,
    (SELECT count(DISTINCT country_code) FROM dim_model WHERE country_code IS NOT NULL)::INTEGER AS countries,
    (SELECT sum(total_tokens) FROM fact_usage)::BIGINT AS total_tokens
