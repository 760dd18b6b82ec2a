-- setup_fact_usage: the usage rows keyed by model_key (narrow, sorted by date), which
-- every app query reads through the selected_usage macro.
--   model_key: the row's base model (dim_model.base_key): a `:free` or other variant's
--     tokens count under its base model, with the variant's tier kept beside them, so a
--     model and its free variant are one model with a free part in every view;
--   tier: 'paid' or 'free' (NULL for `other`);
--   openness: the classification in force on that day: an open-weight model counts as
--     closed before its open_weights_since day (the weights were not out yet), so a
--     catalogue that opens a model later never rewrites the days before.
-- A base model and a paid variant (`:extended`, `:beta`, ...) on one day are summed.
-- Creates: fact_usage(date, model_key, tier, openness, total_tokens). Parameters: none.
CREATE TABLE fact_usage AS
SELECT u.date, d.base_key AS model_key, d.tier,
       CASE WHEN d.openness = 'open' AND u.date < d.open_weights_since THEN 'closed'
            ELSE d.openness END AS openness,
       sum(u.total_tokens)::BIGINT AS total_tokens
FROM usage u
JOIN dim_model d ON d.model_permaslug = u.model_permaslug
GROUP BY ALL
ORDER BY u.date, model_key, d.tier, openness
