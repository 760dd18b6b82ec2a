-- model_ranks: models ranked by tokens in each period (1 = most tokens; ties broken by
-- permaslug), the top $top of each period. $scope = 'open' counts open-weight models
-- only, 'all' every named model. Shares are of the period's total over the ranked
-- models (all of them, not only the top $top).
-- Returns: period, period_end, is_partial, model_permaslug, model_name, lab_name,
--          tokens, free_tokens, share, rank. A model's `:free` variant is part of the model
--          (free_tokens of its tokens).
-- Parameters: $start, $end, $grain, $scope ('open' | 'all'), $countries, $labs,
--             $top (INTEGER), $tier.
WITH model_tokens AS (
    SELECT period, model_key, any_value(model_permaslug) AS model_permaslug,
           any_value(model_name) AS model_name, any_value(lab_name) AS lab_name,
           sum(total_tokens)::BIGINT AS tokens,
           coalesce(sum(free_tokens), 0)::BIGINT AS free_tokens
    FROM selected_usage($start, $end, $grain, CASE WHEN $scope = 'open' THEN 'open' ELSE 'named' END,
                        $countries, $labs, p_tier := $tier)
    GROUP BY period, model_key
    HAVING sum(total_tokens) > 0
), ranked AS (
    SELECT *, tokens / sum(tokens) OVER (PARTITION BY period) AS share,
           row_number() OVER (PARTITION BY period ORDER BY tokens DESC, model_permaslug)::INTEGER AS rank
    FROM model_tokens
)
SELECT r.period, p.period_end, p.is_partial, r.model_permaslug, r.model_name, r.lab_name,
       r.tokens, r.free_tokens, r.share, r.rank
FROM ranked r
JOIN period_flags($start, $end, $grain) p USING (period)
WHERE r.rank <= $top
ORDER BY r.period, r.rank
