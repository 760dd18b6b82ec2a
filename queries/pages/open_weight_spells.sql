-- open_weight_spells: the models whose weights were published after they launched
-- (open_weights_since set), one row per spell: closed from their first day in the data
-- to the day before open_weights_since, open from it on. Every open-vs-closed figure
-- counts a model's tokens in the spell of their day.
-- Returns: model_permaslug, model_name, lab_name, open_weights_since, open_weights_basis,
--          spell ('closed' | 'open'), first_day, last_day, tokens (variants included).
-- Parameters: none.
-- Page: Data — models whose weights opened later, and their two spells
SELECT d.model_permaslug, d.model_name, d.lab_name, d.open_weights_since, d.open_weights_basis,
       f.openness AS spell, min(f.date) AS first_day, max(f.date) AS last_day,
       sum(f.total_tokens)::BIGINT AS tokens
FROM dim_model d
JOIN fact_usage f ON f.model_key = d.model_key
WHERE d.open_weights_since IS NOT NULL AND d.base_key = d.model_key
GROUP BY ALL
ORDER BY d.model_permaslug, first_day
