-- setup_macro_selected_usage: selected_usage(start, end, grain, openness, countries, labs)
-- is the usage rows that pass the global filters, each with its period and model facts.
--   openness: 'all' (every row, `other` included), 'named' (open + closed models only),
--             'open', 'closed', 'unclassified' or 'other'.
--   countries, labs: lists of country codes / author slugs; an empty list means all.
--   A country or lab filter leaves out `other`, which has neither.
--   p_tier (named, default 'all'): 'all', 'paid' or 'free' (the `:free` variants); 'paid'
--     and 'free' leave out `other`, whose tier is not known. Page queries pass the
--     global filter: `p_tier := $tier`.
-- Each row carries its base model's facts (prices 0 on a free row) (a variant's tokens count under its base
-- model, see setup_fact_usage) with the row's own tier and the openness in force on its
-- day (open_weights_since), which the openness filter also uses.
-- Creates: macro selected_usage. Parameters: none.
CREATE MACRO selected_usage(p_start, p_end, p_grain, p_openness, p_countries, p_labs, p_tier := 'all') AS TABLE
SELECT
    CAST(date_trunc(p_grain, f.date) AS DATE) AS period,
    f.date,
    f.total_tokens,
    d.* REPLACE (f.openness AS openness, f.tier AS tier,
                  -- a free variant's tokens cost nothing
                  CASE WHEN f.tier = 'free' THEN 0 ELSE d.price_prompt_usd_per_mtok END AS price_prompt_usd_per_mtok,
                  CASE WHEN f.tier = 'free' THEN 0 ELSE d.price_completion_usd_per_mtok END AS price_completion_usd_per_mtok,
                  CASE WHEN f.tier = 'free' THEN 0 ELSE d.price_input_cache_read_usd_per_mtok END AS price_input_cache_read_usd_per_mtok)
FROM fact_usage f
JOIN dim_model d ON d.model_key = f.model_key
WHERE f.date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND (p_openness = 'all'
       OR f.openness = p_openness
       OR (p_openness = 'named' AND f.openness IN ('open', 'closed')))
  AND (p_tier = 'all' OR f.tier = p_tier)
  AND (len(p_countries) = 0 OR list_contains(p_countries, d.country_code))
  AND (len(p_labs) = 0 OR list_contains(p_labs, d.author))
