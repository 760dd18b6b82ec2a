-- validate_models_values: the first model with an unknown open_weights_basis or a
-- negative price or context length.
-- Returns: at most one row. Parameters: $p, $bases (list of allowed bases).
SELECT model_permaslug, open_weights_basis, context_length,
       price_prompt_usd_per_mtok, price_completion_usd_per_mtok
FROM read_parquet($p)
WHERE NOT list_contains($bases, open_weights_basis)
   OR context_length < 0
   OR price_prompt_usd_per_mtok < 0
   OR price_completion_usd_per_mtok < 0
ORDER BY model_permaslug
LIMIT 1
