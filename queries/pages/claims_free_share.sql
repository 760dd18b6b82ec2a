-- claims_free_share: per period, open-weight tokens and the part of them carried by
-- `:free` variants (OpenRouter's free variants, e.g. deepseek/deepseek-r1:free), for
-- the Claims page's objection card "much open-model use is free traffic". A snapshot
-- without `:free` rows gives free_models = 0 everywhere (the card then says the claim
-- cannot be tested with this data).
-- Returns: period, period_end, is_partial, open_tokens, free_open_tokens, free_models
--          (models with free tokens in the period).
-- Parameters: $start, $end (DATE), $grain ('day' | 'week' | 'month'), $countries, $labs.
-- Page: Claims — the free share of open-weight tokens
WITH sums AS (
    SELECT period,
           sum(total_tokens) AS open_tokens,
           sum(free_tokens) AS free_open_tokens,
           count(DISTINCT model_key) FILTER (WHERE free_tokens > 0) AS free_models
    -- a `:free` variant counts under its base model, its tokens in free_tokens; both tiers
    FROM selected_periods($start, $end, $grain, 'open', $countries, $labs, p_tier := 'all')
    GROUP BY period
)
SELECT p.period,
       p.period_end,
       p.is_partial,
       coalesce(s.open_tokens, 0)::BIGINT AS open_tokens,
       coalesce(s.free_open_tokens, 0)::BIGINT AS free_open_tokens,
       coalesce(s.free_models, 0)::INTEGER AS free_models
FROM period_flags($start, $end, $grain) p
LEFT JOIN sums s USING (period)
ORDER BY p.period
