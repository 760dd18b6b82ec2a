-- setup_fact_week: tokens per ISO week (Monday start) and model, summed from fact_usage
-- once when the database is built, so that weekly views read about a seventh of the
-- rows. Only whole weeks inside a date range are read from here; the days of a week the
-- range cuts come from fact_usage (see the selected_periods macro).
-- peak_day_tokens is the model's largest day in the period (free part included).
-- One row per (period, model_key, openness): a model whose weights open inside a period
-- has a closed and an open row there (see setup_fact_usage); free_tokens as there.
-- Creates: fact_week(period, model_key, openness, total_tokens, free_tokens, peak_day_tokens).
-- Parameters: none.
CREATE TABLE fact_week AS
SELECT CAST(date_trunc('week', date) AS DATE) AS period, model_key, openness, sum(total_tokens)::BIGINT AS total_tokens,
       sum(free_tokens)::BIGINT AS free_tokens,
       max(total_tokens)::BIGINT AS peak_day_tokens
FROM fact_usage
GROUP BY ALL
ORDER BY period, model_key
