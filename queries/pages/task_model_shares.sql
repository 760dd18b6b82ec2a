-- task_model_shares: per kept 7-day task window ending in [$start, $end] and task tag, the
-- tag's share of classified tokens and each model OpenRouter lists as the tag's top, with
-- its share of the tag's tokens and its openness (matched by permaslug, else catalogue id;
-- NULL when it matches no named model: the page counts it, never guesses). Openness is the
-- one in force over the window, as the weekly segment estimates count it: a model whose
-- weights were published (open_weights_since) after the window's first day
-- (window_end - window_days + 1) counts as closed in it, open from the first window that
-- starts on or after that day; openness_now is the catalogue's current one. A tag listing
-- no model has one row with model_rank 0.
-- Returns: window_end, window_days, tag, display_name, macro_category, token_share,
--          model_rank, model_permaslug, model_name, openness, openness_now, open_weights_since,
--          tag_token_share.
-- Page: Segments — task tags: each tag's listed top models and their openness
-- Parameters: $start, $end (DATE).
WITH named AS (
    SELECT d.model_permaslug, m.model_id, d.model_name, d.openness, d.open_weights_since
    FROM dim_model d
    LEFT JOIN models m ON m.model_permaslug = d.model_permaslug
    WHERE d.openness IN ('open', 'closed') AND strpos(d.model_permaslug, ':') = 0
), matched AS (
    SELECT t.*, n.model_name, n.openness AS openness_now, n.open_weights_since,
           CASE WHEN n.openness = 'open'
                 AND n.open_weights_since > CAST(t.window_end AS DATE) - CAST(t.window_days - 1 AS INTEGER)
                THEN 'closed' ELSE n.openness END AS openness
    FROM task_shares t
    LEFT JOIN named n ON t.model_permaslug IN (n.model_permaslug, n.model_id)
    WHERE t.window_end BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
    QUALIFY row_number() OVER (PARTITION BY t.window_end, t.tag, t.model_rank
                               ORDER BY (n.model_permaslug = t.model_permaslug) DESC NULLS LAST,
                                        n.model_permaslug) = 1
)
SELECT window_end, window_days, tag, display_name, macro_category, token_share, model_rank, model_permaslug,
       coalesce(model_name, model_permaslug) AS model_name, openness, openness_now, open_weights_since,
       tag_token_share
FROM matched
ORDER BY window_end, tag, model_rank
