-- setup_dim_model: one row per model seen in usage or in the catalogue, with its lab,
-- lab country and openness. Usage permaslugs missing from models.parquet stay, as
-- unclassified models of their author (never dropped). Authors missing from labs.csv
-- get country XX, "Unknown country". model_key 0 is the `other` row (outside the top 50).
-- Variants: a permaslug `base:variant` (`:free`, `:extended`, `:beta`, `:thinking`, any
-- suffix) keeps a row of its own (variant, tier 'free' for `:free`, else 'paid') whose
-- base_key is its base model's key when the base is a row here (else its own key): the
-- fact tables count its tokens under base_key, so every per-model view shows the base
-- model with its free part. A variant missing from models.parquet takes its base's name,
-- author, release and classification. The `other` row has tier NULL.
-- open_weights_since (optional models.parquet column): the first day an open-weight model
-- counts as open; before it the model counts as closed (NULL: open on every day).
-- The optional models.parquet columns (price_input_cache_read_usd_per_mtok,
-- prompt_token_share) are NULL when the snapshot lacks them: UNION ALL BY NAME with an
-- empty row adds a missing column as NULL.
-- Creates: dim_model. Parameters: none. Reads views usage, models and table labs.
CREATE TABLE dim_model AS
WITH slugs AS (
    SELECT model_permaslug FROM models
    UNION
    SELECT DISTINCT model_permaslug FROM usage WHERE model_permaslug <> 'other'
), models_all AS (
    SELECT * FROM models
    UNION ALL BY NAME
    SELECT NULL::DOUBLE AS price_input_cache_read_usd_per_mtok, NULL::DOUBLE AS prompt_token_share,
           NULL::DATE AS open_weights_since WHERE false
), described AS (
    SELECT
        s.model_permaslug,
        m.model_permaslug IS NOT NULL AS in_catalogue,
        coalesce(m.name, b.name, s.model_permaslug) AS model_name,
        coalesce(m.author, b.author, split_part(s.model_permaslug, '/', 1)) AS author,
        coalesce(m.released_at, CASE WHEN m.model_permaslug IS NULL THEN b.released_at END) AS released_at,
        CASE WHEN m.model_permaslug IS NULL THEN b.open_weights ELSE m.open_weights END AS open_weights,
        coalesce(m.open_weights_basis, b.open_weights_basis, 'unknown') AS open_weights_basis,
        CASE WHEN m.model_permaslug IS NULL THEN b.open_weights_since ELSE m.open_weights_since END AS open_weights_since,
        coalesce(m.hugging_face_id, CASE WHEN m.model_permaslug IS NULL THEN b.hugging_face_id END) AS hugging_face_id,
        m.context_length,
        m.price_prompt_usd_per_mtok,
        m.price_completion_usd_per_mtok,
        m.price_input_cache_read_usd_per_mtok,
        m.prompt_token_share
    FROM slugs s
    LEFT JOIN models_all m USING (model_permaslug)
    LEFT JOIN models_all b  -- the base model of a variant missing from the catalogue
           ON b.model_permaslug = split_part(s.model_permaslug, ':', 1)
          AND strpos(s.model_permaslug, ':') > 0
), keyed AS (
SELECT
    row_number() OVER (ORDER BY d.model_permaslug)::INTEGER AS model_key,
    d.model_permaslug,
    d.model_name,
    d.author,
    coalesce(nullif(l.lab_name, ''), d.author) AS lab_name,
    CASE WHEN l.author IS NULL OR coalesce(l.country_code, '') = '' THEN 'XX'
         ELSE l.country_code END AS country_code,
    CASE WHEN l.author IS NULL OR coalesce(l.country_code, '') IN ('', 'XX')
         THEN coalesce(nullif(l.country_name, ''), 'Unknown country')
         ELSE coalesce(nullif(l.country_name, ''), l.country_code) END AS country_name,
    CASE WHEN d.open_weights THEN 'open'
         WHEN NOT d.open_weights THEN 'closed'
         ELSE 'unclassified' END AS openness,
    d.in_catalogue,
    d.released_at,
    d.open_weights_basis,
    d.hugging_face_id,
    d.context_length,
    d.price_prompt_usd_per_mtok,
    d.price_completion_usd_per_mtok,
    d.price_input_cache_read_usd_per_mtok,
    d.prompt_token_share,
    d.open_weights_since
FROM described d
LEFT JOIN labs l ON l.author = d.author
)
SELECT k.*,
       coalesce(b.model_key, k.model_key) AS base_key,
       split_part(k.model_permaslug, ':', 1) AS base_permaslug,
       nullif(lower(split_part(k.model_permaslug, ':', 2)), '') AS variant,
       CASE WHEN lower(split_part(k.model_permaslug, ':', 2)) = 'free' THEN 'free' ELSE 'paid' END AS tier
FROM keyed k
LEFT JOIN keyed b
       ON b.model_permaslug = split_part(k.model_permaslug, ':', 1)
      AND strpos(k.model_permaslug, ':') > 0
UNION ALL
SELECT 0, 'other', 'Outside the top 50', NULL, 'Outside the top 50', NULL, NULL, 'other',
       false, NULL, 'unknown', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       0, 'other', NULL, NULL
