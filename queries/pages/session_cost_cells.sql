-- session_cost_cells: every session-cost cell (harness, model, turn range, median USD per
-- session over OpenRouter's 30-day window) with the model's openness and name and its
-- tokens in [$start, $end] (named models, the tier filter applied; 0 when it has no
-- ranked tokens then). A cell's model matches by permaslug, else by catalogue id; a
-- cell matching no named model has openness NULL (the page counts it, never guesses).
-- Returns: app_slug, app_name, turn_range, model_permaslug, model_name, openness,
--          median_session_cost_usd, tokens, window_days, window_end_date.
-- Parameters: $start, $end (DATE), $tier.
WITH tokens AS (
    SELECT model_permaslug, sum(total_tokens)::BIGINT AS tokens
    FROM selected_periods($start, $end, 'month', 'named', [], [], p_tier := $tier)
    GROUP BY model_permaslug
), named AS (
    SELECT d.model_permaslug, m.model_id, d.model_name, d.openness
    FROM dim_model d
    LEFT JOIN models m ON m.model_permaslug = d.model_permaslug
    WHERE d.openness IN ('open', 'closed') AND strpos(d.model_permaslug, ':') = 0
), matched AS (
    SELECT c.*, n.model_permaslug AS named_slug, n.model_name, n.openness
    FROM session_cost c
    LEFT JOIN named n ON c.model_permaslug IN (n.model_permaslug, n.model_id)
    QUALIFY row_number() OVER (PARTITION BY c.app_slug, c.model_permaslug, c.turn_range
                               ORDER BY (n.model_permaslug = c.model_permaslug) DESC NULLS LAST,
                                        n.model_permaslug) = 1
)
SELECT m.app_slug, m.app_name, m.turn_range, m.model_permaslug, coalesce(m.model_name, m.model_permaslug) AS model_name,
       m.openness, m.median_session_cost_usd, coalesce(t.tokens, 0)::BIGINT AS tokens, m.window_days,
       m.window_end_date
FROM matched m
LEFT JOIN tokens t ON t.model_permaslug = m.named_slug
ORDER BY m.app_slug, m.turn_range, m.model_permaslug
