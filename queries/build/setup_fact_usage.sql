-- setup_fact_usage: the usage rows keyed by model_key (narrow, sorted by date), which
-- every app query reads through the selected_usage macro.
--   model_key: the row's base model (dim_model.base_key): a `:free` or other variant's
--     tokens count under its base model, so a model and its free variant are one model
--     in every view;
--   total_tokens: the model's tokens that day, every variant included; free_tokens: the
--     part of them from its `:free` variant (the selection macros' tier filter reads it);
--   openness: the classification in force on that day: an open-weight model counts as
--     closed before its open_weights_since day (the weights were not out yet), so a
--     catalogue that opens a model later never rewrites the days before.
-- One row per (date, model_key, openness): a variant whose own classification differs
-- from its base model's has a row of its own.
-- Creates: fact_usage(date, model_key, openness, total_tokens, free_tokens). Parameters: none.
CREATE TABLE fact_usage AS
SELECT u.date, d.base_key AS model_key,
       CASE WHEN d.openness = 'open' AND u.date < d.open_weights_since THEN 'closed'
            ELSE d.openness END AS openness,
       sum(u.total_tokens)::BIGINT AS total_tokens,
       coalesce(sum(u.total_tokens) FILTER (WHERE d.tier = 'free'), 0)::BIGINT AS free_tokens
FROM usage u
JOIN dim_model d ON d.model_permaslug = u.model_permaslug
GROUP BY ALL
ORDER BY u.date, model_key
