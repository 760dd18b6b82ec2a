-- unclassified_models: models whose openness is not known (missing from the model
-- catalogue, or in it without an open-weights signal), with their tokens. They are
-- outside named volume but never dropped.
-- Returns: model_permaslug, author, lab_name, in_catalogue, tokens, first_seen, last_seen.
-- Parameters: none.
SELECT d.model_permaslug, d.author, d.lab_name, d.in_catalogue,
       coalesce(sum(f.total_tokens), 0)::BIGINT AS tokens,
       min(f.date) AS first_seen, max(f.date) AS last_seen
FROM dim_model d
LEFT JOIN fact_usage f USING (model_key)
WHERE d.openness = 'unclassified'
GROUP BY ALL
ORDER BY tokens DESC, d.model_permaslug
