-- focus_share_by_period: per period, the focus's tokens (the models of the labs and lab
-- countries chosen) beside the whole market's, and the focus's shares of the market:
-- of all named tokens and of open-weight tokens; plus the open-weight share of the
-- focus's own named tokens. The market is every named model, whatever the filters, so
-- a share is never 100% just because the filters removed everyone else.
-- Returns: period, period_end, is_partial, focus_open_tokens, focus_closed_tokens,
--          focus_named_tokens, market_open_tokens, market_closed_tokens,
--          market_named_tokens, share_of_named (focus named / market named),
--          share_of_open (focus open / market open; NULL when the market has none),
--          own_open_share (focus open / focus named; NULL when the focus has no named
--          tokens in the period), market_open_share.
-- Parameters: $start, $end (DATE), $grain ('day' | 'week' | 'month'),
--             $countries, $labs (lists; empty = all, and then the focus is the market),
--             $tier ('all' | 'paid' | 'free').
-- Page: Share — the focus's share of the whole market by period
WITH sums AS (
    SELECT period,
           sum(total_tokens) FILTER (WHERE openness = 'open') AS market_open,
           sum(total_tokens) FILTER (WHERE openness = 'closed') AS market_closed,
           sum(total_tokens) FILTER (WHERE openness = 'open' AND in_focus) AS focus_open,
           sum(total_tokens) FILTER (WHERE openness = 'closed' AND in_focus) AS focus_closed
    FROM (
        SELECT period, openness, total_tokens,
               (len($countries) = 0 OR list_contains($countries, country_code))
               AND (len($labs) = 0 OR list_contains($labs, author)) AS in_focus
        FROM selected_periods($start, $end, $grain, 'named', [], [], p_tier := $tier)
    )
    GROUP BY period
), filled AS (
    SELECT p.period, p.period_end, p.is_partial,
           coalesce(s.focus_open, 0) AS fo, coalesce(s.focus_closed, 0) AS fc,
           coalesce(s.market_open, 0) AS mo, coalesce(s.market_closed, 0) AS mc
    FROM period_flags($start, $end, $grain) p
    LEFT JOIN sums s USING (period)
)
SELECT period, period_end, is_partial,
       fo::BIGINT AS focus_open_tokens,
       fc::BIGINT AS focus_closed_tokens,
       (fo + fc)::BIGINT AS focus_named_tokens,
       mo::BIGINT AS market_open_tokens,
       mc::BIGINT AS market_closed_tokens,
       (mo + mc)::BIGINT AS market_named_tokens,
       (fo + fc) / nullif(mo + mc, 0) AS share_of_named,
       fo / nullif(mo, 0) AS share_of_open,
       fo / nullif(fo + fc, 0) AS own_open_share,
       mo / nullif(mo + mc, 0) AS market_open_share
FROM filled
ORDER BY period
