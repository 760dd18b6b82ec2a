-- setup_fact_month: tokens per calendar month and model, summed from fact_usage once
-- when the database is built (whole months only are read from here; see the
-- selected_periods macro).
-- peak_day_tokens is the model's largest day in the period (free part included).
-- One row per (period, model_key, openness): a model whose weights open inside a period
-- has a closed and an open row there (see setup_fact_usage); free_tokens as there.
-- Creates: fact_month(period, model_key, openness, total_tokens, free_tokens, peak_day_tokens).
-- Parameters: none.
CREATE TABLE fact_month AS
SELECT CAST(date_trunc('month', date) AS DATE) AS period, model_key, openness, sum(total_tokens)::BIGINT AS total_tokens,
       sum(free_tokens)::BIGINT AS free_tokens,
       max(total_tokens)::BIGINT AS peak_day_tokens
FROM fact_usage
GROUP BY ALL
ORDER BY period, model_key
