-- setup_fact_week: tokens per ISO week (Monday start) and model, summed from fact_usage
-- once when the database is built, so that weekly views read about a seventh of the
-- rows. Only whole weeks inside a date range are read from here; the days of a week the
-- range cuts come from fact_usage (see the selected_periods macro).
-- Creates: fact_week(period, model_key, total_tokens). Parameters: none.
CREATE TABLE fact_week AS
SELECT CAST(date_trunc('week', date) AS DATE) AS period, model_key, sum(total_tokens)::BIGINT AS total_tokens
FROM fact_usage
GROUP BY ALL
ORDER BY period, model_key
