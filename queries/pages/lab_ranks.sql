-- lab_ranks: labs ranked by tokens in each period (1 = most tokens; ties broken by lab
-- name). $scope = 'open' counts open-weight models only (the default view of the race),
-- 'all' counts every named model. A lab is its lab_name, so authors that are one lab
-- (meta and meta-llama) rank together.
-- Returns: period, period_end, is_partial, lab_name, tokens, share (of the period's
--          total over the ranked labs), rank.
-- Parameters: $start, $end, $grain, $scope ('open' | 'all'), $countries, $labs, $tier.
-- Page: Race — labs ranked per period
WITH lab_tokens AS (
    SELECT period, lab_name, sum(total_tokens)::BIGINT AS tokens
    FROM selected_periods($start, $end, $grain, CASE WHEN $scope = 'open' THEN 'open' ELSE 'named' END,
                        $countries, $labs, p_tier := $tier)
    GROUP BY period, lab_name
    HAVING sum(total_tokens) > 0
)
SELECT l.period, p.period_end, p.is_partial, l.lab_name, l.tokens,
       l.tokens / sum(l.tokens) OVER (PARTITION BY l.period) AS share,
       row_number() OVER (PARTITION BY l.period ORDER BY l.tokens DESC, l.lab_name)::INTEGER AS rank
FROM lab_tokens l
JOIN period_flags($start, $end, $grain) p USING (period)
ORDER BY l.period, rank
