-- setup_model_days: per model, its first and last day in the usage data, its days with
-- rows and its tokens, computed once when the database is built (first-seen days were a
-- full scan of fact_usage in every query that needed them).
-- model_key is the base model (a variant's days and tokens count under it).
-- Creates: model_days(model_key, first_day, last_day, days, tokens). Parameters: none.
CREATE TABLE model_days AS
SELECT model_key, min(date) AS first_day, max(date) AS last_day,
       count(DISTINCT date)::INTEGER AS days, sum(total_tokens)::BIGINT AS tokens
FROM fact_usage
GROUP BY model_key
ORDER BY model_key
