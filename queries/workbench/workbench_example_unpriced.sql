-- workbench_example_unpriced: models with usage but no price in the catalogue (the spend
-- estimate leaves them out rather than pricing them at zero).
-- Returns: model_permaslug, open_weights, tokens. Parameters: none.
SELECT u.model_permaslug, m.open_weights, sum(u.total_tokens) AS tokens
FROM usage u
LEFT JOIN models m USING (model_permaslug)
WHERE u.model_permaslug <> 'other'
  AND (m.price_prompt_usd_per_mtok IS NULL OR m.price_completion_usd_per_mtok IS NULL)
GROUP BY ALL
ORDER BY tokens DESC
