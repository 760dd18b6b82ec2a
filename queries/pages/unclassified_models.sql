-- unclassified_models: models whose openness is not known (missing from the model
-- catalogue, or in it without an open-weights signal), with their tokens. They are
-- outside named volume but never dropped.
-- Returns: model_permaslug, author, lab_name, in_catalogue, tokens, first_seen, last_seen.
-- Parameters: none.
-- Page: Data — models whose openness is unknown
SELECT d.model_permaslug, d.author, d.lab_name, d.in_catalogue,
       coalesce(f.tokens, 0)::BIGINT AS tokens,
       f.first_day AS first_seen, f.last_day AS last_seen
FROM dim_model d
LEFT JOIN model_days f USING (model_key)  -- per-model totals made when the database is built
WHERE d.openness = 'unclassified'
ORDER BY tokens DESC, d.model_permaslug
