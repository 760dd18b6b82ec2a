-- setup_fact_usage: the usage rows keyed by model_key (narrow, sorted by date), which
-- every app query reads through the selected_usage macro.
-- Creates: fact_usage(date, model_key, total_tokens). Parameters: none.
CREATE TABLE fact_usage AS
SELECT u.date, d.model_key, u.total_tokens
FROM usage u
JOIN dim_model d ON d.model_permaslug = u.model_permaslug
ORDER BY u.date, d.model_key
