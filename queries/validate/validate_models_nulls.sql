-- validate_models_nulls: the first model row missing a value that must be present.
-- Returns: at most one row: model_permaslug, author, open_weights_basis. Parameters: $p.
SELECT model_permaslug, author, open_weights_basis
FROM read_parquet($p)
WHERE model_permaslug IS NULL OR author IS NULL OR open_weights_basis IS NULL
LIMIT 1
