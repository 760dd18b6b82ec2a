-- free_share_by_period: per period, how much of the open-weight and of the closed tokens
-- is free (the `:free` variants, counted under their base model), with the openness in
-- force on each day. Both tiers are counted whatever the tier filter (a free share of
-- paid-only tokens would say nothing); the country and lab filters apply.
-- Returns: period, period_end, is_partial, open_tokens, open_free_tokens, closed_tokens,
--          closed_free_tokens, free_share_of_open, free_share_of_closed,
--          free_share_of_named (NULL where the denominator is 0), open_free_models (the
--          open-weight models with free tokens in the period; the Claims page's count).
-- Parameters: $start, $end (DATE), $grain ('day' | 'week' | 'month'),
--             $countries, $labs (lists; empty = all).
-- Page: Share — free share of open-weight and closed tokens (also the Claims page's free-traffic card)
WITH sums AS (
    SELECT period,
           sum(total_tokens) FILTER (WHERE openness = 'open') AS open_tokens,
           sum(free_tokens) FILTER (WHERE openness = 'open') AS open_free_tokens,
           sum(total_tokens) FILTER (WHERE openness = 'closed') AS closed_tokens,
           sum(free_tokens) FILTER (WHERE openness = 'closed') AS closed_free_tokens,
           count(DISTINCT model_key) FILTER (WHERE openness = 'open' AND free_tokens > 0) AS open_free_models
    FROM selected_periods($start, $end, $grain, 'named', $countries, $labs, p_tier := 'all')
    GROUP BY period
)
SELECT p.period, p.period_end, p.is_partial,
       coalesce(s.open_tokens, 0)::BIGINT AS open_tokens,
       coalesce(s.open_free_tokens, 0)::BIGINT AS open_free_tokens,
       coalesce(s.closed_tokens, 0)::BIGINT AS closed_tokens,
       coalesce(s.closed_free_tokens, 0)::BIGINT AS closed_free_tokens,
       coalesce(s.open_free_tokens, 0) / nullif(s.open_tokens, 0) AS free_share_of_open,
       coalesce(s.closed_free_tokens, 0) / nullif(s.closed_tokens, 0) AS free_share_of_closed,
       (coalesce(s.open_free_tokens, 0) + coalesce(s.closed_free_tokens, 0))
           / nullif(coalesce(s.open_tokens, 0) + coalesce(s.closed_tokens, 0), 0) AS free_share_of_named,
       coalesce(s.open_free_models, 0)::INTEGER AS open_free_models
FROM period_flags($start, $end, $grain) p
LEFT JOIN sums s USING (period)
ORDER BY p.period
