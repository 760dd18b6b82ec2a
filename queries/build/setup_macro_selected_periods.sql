-- setup_macro_selected_periods: selected_periods(start, end, grain, openness, countries,
-- labs) is the same selection as selected_usage (same arguments, same filters) already
-- summed per period and model: one row per (period, model) with its tokens and model
-- facts and peak_day_tokens (its largest day among those rows), but no `date` column. Whole weeks and months inside [start, end] come from the
-- pre-aggregated fact_week / fact_month; the days of a period that the range cuts (and
-- every day, for grain 'day') come from fact_usage. Sums are exactly selected_usage's.
-- p_tier (named, default 'all'), free_tokens and openness per row: as in selected_usage;
-- peak_day_tokens is of all tiers.
-- Creates: macro selected_periods. Parameters: none.
CREATE MACRO selected_periods(p_start, p_end, p_grain, p_openness, p_countries, p_labs, p_tier := 'all') AS TABLE
WITH pre AS (
    SELECT w.period, w.model_key, w.openness, w.total_tokens, w.free_tokens, w.peak_day_tokens
    FROM fact_week w
    WHERE p_grain = 'week'
      AND w.period >= CAST(p_start AS DATE) AND w.period + 6 <= CAST(p_end AS DATE)
    UNION ALL
    SELECT m.period, m.model_key, m.openness, m.total_tokens, m.free_tokens, m.peak_day_tokens
    FROM fact_month m
    WHERE p_grain = 'month'
      AND m.period >= CAST(p_start AS DATE) AND period_last_day(m.period, 'month') <= CAST(p_end AS DATE)
    UNION ALL
    -- grain 'day': every day in range
    SELECT f.date AS period, f.model_key, f.openness, f.total_tokens, f.free_tokens, f.total_tokens AS peak_day_tokens
    FROM fact_usage f
    WHERE p_grain NOT IN ('week', 'month')
      AND f.date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
    UNION ALL
    -- the days of a week or month cut by the start of the range
    SELECT CAST(date_trunc(p_grain, f.date) AS DATE) AS period, f.model_key, f.openness, f.total_tokens, f.free_tokens,
           f.total_tokens AS peak_day_tokens
    FROM fact_usage f
    WHERE p_grain IN ('week', 'month')
      AND f.date BETWEEN CAST(p_start AS DATE)
                     AND least(CAST(p_end AS DATE), period_first_full(p_start, p_grain) - 1)
    UNION ALL
    -- the days of a week or month cut by the end of the range (not already counted)
    SELECT CAST(date_trunc(p_grain, f.date) AS DATE) AS period, f.model_key, f.openness, f.total_tokens, f.free_tokens,
           f.total_tokens AS peak_day_tokens
    FROM fact_usage f
    WHERE p_grain IN ('week', 'month')
      AND f.date BETWEEN greatest(period_last_full(p_end, p_grain) + 1, period_first_full(p_start, p_grain))
                     AND CAST(p_end AS DATE)
)
SELECT pre.period,
       CASE p_tier WHEN 'free' THEN pre.free_tokens WHEN 'paid' THEN pre.total_tokens - pre.free_tokens
                   ELSE pre.total_tokens END AS total_tokens,
       CASE WHEN p_tier = 'paid' THEN 0 ELSE pre.free_tokens END AS free_tokens,
       pre.peak_day_tokens,
       d.* EXCLUDE (tier) REPLACE (pre.openness AS openness)
FROM pre
JOIN dim_model d ON d.model_key = pre.model_key
WHERE (p_openness = 'all'
       OR pre.openness = p_openness
       OR (p_openness = 'named' AND pre.openness IN ('open', 'closed')))
  AND (p_tier = 'all'
       OR (pre.model_key <> 0 AND CASE WHEN p_tier = 'free' THEN pre.free_tokens
                                       ELSE pre.total_tokens - pre.free_tokens END > 0))
  AND (len(p_countries) = 0 OR list_contains(p_countries, d.country_code))
  AND (len(p_labs) = 0 OR list_contains(p_labs, d.author))
