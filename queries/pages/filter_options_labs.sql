-- filter_options_labs: every author in the snapshot with its lab, country and total
-- tokens, for the lab filter (largest first).
-- Returns: author, lab_name, country_code, country_name, tokens, open_models, closed_models.
-- Parameters: none.
-- Page: Sidebar — every lab, its country and tokens
SELECT d.author, any_value(d.lab_name) AS lab_name, any_value(d.country_code) AS country_code,
       any_value(d.country_name) AS country_name,
       coalesce(sum(f.total_tokens), 0)::BIGINT AS tokens,
       count(DISTINCT d.model_key) FILTER (WHERE d.openness = 'open')::INTEGER AS open_models,
       count(DISTINCT d.model_key) FILTER (WHERE d.openness = 'closed')::INTEGER AS closed_models
FROM dim_model d
LEFT JOIN fact_month f USING (model_key)
WHERE d.author IS NOT NULL
GROUP BY d.author
ORDER BY tokens DESC, d.author
