-- setup_fact_month: tokens per calendar month and model, summed from fact_usage once
-- when the database is built (whole months only are read from here; see the
-- selected_periods macro).
-- peak_day_tokens is the model's largest day in the period.
-- One row per (period, model_key, tier, openness): a model whose weights open inside a
-- period has a closed and an open row there (see setup_fact_usage).
-- Creates: fact_month(period, model_key, tier, openness, total_tokens, peak_day_tokens).
-- Parameters: none.
CREATE TABLE fact_month AS
SELECT CAST(date_trunc('month', date) AS DATE) AS period, model_key, tier, openness, sum(total_tokens)::BIGINT AS total_tokens,
       max(total_tokens)::BIGINT AS peak_day_tokens
FROM fact_usage
GROUP BY ALL
ORDER BY period, model_key, tier, openness
