-- model_variants: every variant permaslug in the usage data (`:free`, `:extended`,
-- `:beta`, `:thinking`, or a suffix never seen before) and the base model its tokens
-- count under: tier 'free' for `:free`, 'paid' for any other suffix. base_listed is
-- false when the base model is neither in the catalogue nor in the usage data (the
-- variant then stands for itself, and is unclassified unless the catalogue lists it).
-- Returns: model_permaslug, variant, tier, base_permaslug, base_listed, model_name,
--          openness, tokens, first_seen, last_seen.
-- Parameters: none.
-- Page: Data — model variants (free and others) and their base models
SELECT d.model_permaslug, d.variant, d.tier, d.base_permaslug,
       d.base_key <> d.model_key AS base_listed,
       d.model_name, d.openness,
       sum(u.total_tokens)::BIGINT AS tokens, min(u.date) AS first_seen, max(u.date) AS last_seen
FROM dim_model d
JOIN usage u ON u.model_permaslug = d.model_permaslug
WHERE d.variant IS NOT NULL
GROUP BY ALL
ORDER BY tokens DESC, d.model_permaslug
