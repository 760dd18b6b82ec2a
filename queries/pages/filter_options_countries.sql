-- filter_options_countries: every lab country in the snapshot with its total tokens, for
-- the country filter (largest first). XX is "Unknown country".
-- Returns: country_code, country_name, tokens, labs. Parameters: none.
-- Page: Sidebar — every lab country and its tokens
SELECT d.country_code, any_value(d.country_name) AS country_name,
       coalesce(sum(f.total_tokens), 0)::BIGINT AS tokens,
       count(DISTINCT d.lab_name)::INTEGER AS labs
FROM dim_model d
LEFT JOIN fact_month f USING (model_key)
WHERE d.country_code IS NOT NULL
GROUP BY d.country_code
ORDER BY tokens DESC, d.country_code
