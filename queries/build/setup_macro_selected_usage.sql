-- setup_macro_selected_usage: selected_usage(start, end, grain, openness, countries, labs)
-- is the usage rows that pass the global filters, each with its period and model facts.
--   openness: 'all' (every row, `other` included), 'named' (open + closed models only),
--             'open', 'closed', 'unclassified' or 'other'.
--   countries, labs: lists of country codes / author slugs; an empty list means all.
--   A country or lab filter leaves out `other`, which has neither.
--   p_tier (named, default 'all'): 'all', 'paid' or 'free' (the `:free` variants): the
--     tokens counted. 'paid' and 'free' leave out `other`, whose tier is not known, and
--     rows with no tokens of that tier. Page queries pass the global filter:
--     `p_tier := $tier`.
-- Each row carries its base model's facts (a variant's tokens count under its base
-- model, see setup_fact_usage), the openness in force on its day (open_weights_since),
-- which the openness filter also uses, and free_tokens: the part of total_tokens that is
-- free (a free token costs nothing: the Spend queries price total - free).
-- Creates: macro selected_usage. Parameters: none.
CREATE MACRO selected_usage(p_start, p_end, p_grain, p_openness, p_countries, p_labs, p_tier := 'all') AS TABLE
SELECT
    CAST(date_trunc(p_grain, f.date) AS DATE) AS period,
    f.date,
    CASE p_tier WHEN 'free' THEN f.free_tokens WHEN 'paid' THEN f.total_tokens - f.free_tokens
                ELSE f.total_tokens END AS total_tokens,
    CASE WHEN p_tier = 'paid' THEN 0 ELSE f.free_tokens END AS free_tokens,
    d.* EXCLUDE (tier) REPLACE (f.openness AS openness)
FROM fact_usage f
JOIN dim_model d ON d.model_key = f.model_key
WHERE f.date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND (p_openness = 'all'
       OR f.openness = p_openness
       OR (p_openness = 'named' AND f.openness IN ('open', 'closed')))
  AND (p_tier = 'all'
       OR (f.model_key <> 0 AND CASE WHEN p_tier = 'free' THEN f.free_tokens
                                     ELSE f.total_tokens - f.free_tokens END > 0))
  AND (len(p_countries) = 0 OR list_contains(p_countries, d.country_code))
  AND (len(p_labs) = 0 OR list_contains(p_labs, d.author))
