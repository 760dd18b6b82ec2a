-- open_share_by_period: per period, open-weight and closed tokens and the open-weight
-- share of named volume (open / (open + closed)); `other` and unclassified models are
-- outside named volume and reported beside it.
-- Returns: period, period_end, is_partial, open_tokens, closed_tokens, named_tokens,
--          unclassified_tokens, other_tokens, open_share (NULL when named_tokens = 0).
-- Parameters: $start, $end (DATE), $grain ('day' | 'week' | 'month'),
--             $countries, $labs (lists; empty = all), $tier ('all' | 'paid' | 'free').
-- Page: Share — open-weight share by period (headline)
WITH sums AS (
    SELECT period,
           sum(total_tokens) FILTER (WHERE openness = 'open') AS open_tokens,
           sum(total_tokens) FILTER (WHERE openness = 'closed') AS closed_tokens,
           sum(total_tokens) FILTER (WHERE openness = 'unclassified') AS unclassified_tokens,
           sum(total_tokens) FILTER (WHERE openness = 'other') AS other_tokens
    FROM selected_periods($start, $end, $grain, 'all', $countries, $labs, p_tier := $tier)
    GROUP BY period
)
SELECT p.period,
       p.period_end,
       p.is_partial,
       coalesce(s.open_tokens, 0)::BIGINT AS open_tokens,
       coalesce(s.closed_tokens, 0)::BIGINT AS closed_tokens,
       (coalesce(s.open_tokens, 0) + coalesce(s.closed_tokens, 0))::BIGINT AS named_tokens,
       coalesce(s.unclassified_tokens, 0)::BIGINT AS unclassified_tokens,
       coalesce(s.other_tokens, 0)::BIGINT AS other_tokens,
       coalesce(s.open_tokens, 0)
           / nullif(coalesce(s.open_tokens, 0) + coalesce(s.closed_tokens, 0), 0) AS open_share
FROM period_flags($start, $end, $grain) p
LEFT JOIN sums s USING (period)
ORDER BY p.period
