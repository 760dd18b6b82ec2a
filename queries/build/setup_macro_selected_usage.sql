-- setup_macro_selected_usage: selected_usage(start, end, grain, openness, countries, labs)
-- is the usage rows that pass the global filters, each with its period and model facts.
--   openness: 'all' (every row, `other` included), 'named' (open + closed models only),
--             'open', 'closed', 'unclassified' or 'other'.
--   countries, labs: lists of country codes / author slugs; an empty list means all.
--   A country or lab filter leaves out `other`, which has neither.
-- Creates: macro selected_usage. Parameters: none.
CREATE MACRO selected_usage(p_start, p_end, p_grain, p_openness, p_countries, p_labs) AS TABLE
SELECT
    CAST(date_trunc(p_grain, f.date) AS DATE) AS period,
    f.date,
    f.total_tokens,
    d.*
FROM fact_usage f
JOIN dim_model d ON d.model_key = f.model_key
WHERE f.date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND (p_openness = 'all'
       OR d.openness = p_openness
       OR (p_openness = 'named' AND d.openness IN ('open', 'closed')))
  AND (len(p_countries) = 0 OR list_contains(p_countries, d.country_code))
  AND (len(p_labs) = 0 OR list_contains(p_labs, d.author))
