-- validate_models_optional: the first model whose optional columns are out of range: a
-- negative price_input_cache_read_usd_per_mtok, a prompt_token_share outside 0 to 1
-- (NaN included), or an open_weights_since on a model whose open_weights is not true.
-- Any of them may be missing from the file (older snapshots): the UNION ALL BY NAME
-- with an empty row adds a missing column as NULL, so the check runs on any snapshot.
-- Returns: at most one row: model_permaslug, price_input_cache_read_usd_per_mtok,
--          prompt_token_share, open_weights, open_weights_since.
-- Parameters: $p (path of models.parquet).
WITH m AS (
    SELECT * FROM read_parquet($p)
    UNION ALL BY NAME
    SELECT NULL::DOUBLE AS price_input_cache_read_usd_per_mtok, NULL::DOUBLE AS prompt_token_share,
           NULL::DATE AS open_weights_since WHERE false
)
SELECT model_permaslug, price_input_cache_read_usd_per_mtok, prompt_token_share, open_weights,
       open_weights_since
FROM m
WHERE price_input_cache_read_usd_per_mtok < 0
   OR NOT (prompt_token_share BETWEEN 0 AND 1)
   OR isnan(prompt_token_share)
   OR (open_weights_since IS NOT NULL AND open_weights IS DISTINCT FROM true)
ORDER BY model_permaslug
LIMIT 1
