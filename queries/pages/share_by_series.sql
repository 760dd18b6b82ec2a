-- share_by_series: each period's tokens split into series (by openness, lab, lab country
-- or model), the top $top series by tokens over the whole range kept and the rest folded
-- into "Rest". Shares are of the period's total: of the selection ($share_of =
-- 'selection') or of the whole market under the same openness and volume rules
-- ($share_of = 'market', which ignores the country and lab filters in the denominator).
-- $volume = 'named' counts open and closed models only; 'all' adds the unclassified
-- models and the `other` row as their own bands ("Unclassified", "Outside the top 50"),
-- never spread over the named models.
-- A model's `:free` variant is part of the model (its tokens count under the base model);
-- free_tokens says how many of a series' tokens are free.
-- Returns: period, period_end, is_partial, series, series_order, tokens, free_tokens, share.
-- Parameters: $start, $end, $grain, $openness ('all' | 'open' | 'closed'),
--             $countries, $labs, $breakdown ('openness' | 'lab' | 'country' | 'model'),
--             $top (INTEGER), $volume ('named' | 'all'), $share_of ('selection' | 'market'),
--             $tier ('all' | 'paid' | 'free').
-- Page: Share — share over time by openness
WITH rows AS (
    -- summed per period and series first: at most periods x series rows from here on
    SELECT period,
           CASE WHEN openness = 'other' THEN 'Outside the top 50'
                WHEN openness = 'unclassified' AND $breakdown = 'openness' THEN 'Unclassified'
                WHEN $breakdown = 'openness' THEN CASE openness WHEN 'open' THEN 'Open weights' ELSE 'Closed' END
                WHEN $breakdown = 'lab' THEN lab_name
                WHEN $breakdown = 'country' THEN country_name
                ELSE model_name END AS raw_series,
           sum(total_tokens) AS total_tokens,
           coalesce(sum(free_tokens), 0) AS free_tokens
    FROM selected_periods($start, $end, $grain, 'all', $countries, $labs, p_tier := $tier)
    WHERE ($volume = 'all' OR openness IN ('open', 'closed'))
      AND ($openness = 'all' OR openness = $openness)
    GROUP BY ALL
), ranked AS (
    SELECT raw_series,
           row_number() OVER (ORDER BY sum(total_tokens) DESC, raw_series) AS rnk
    FROM rows
    WHERE raw_series NOT IN ('Outside the top 50', 'Unclassified')
    GROUP BY raw_series
), labelled AS (
    SELECT r.period, r.total_tokens, r.free_tokens,
           CASE WHEN r.raw_series IN ('Outside the top 50', 'Unclassified') THEN r.raw_series
                WHEN k.rnk <= $top THEN r.raw_series
                ELSE 'Rest' END AS series,
           CASE WHEN r.raw_series = 'Unclassified' THEN 1000001
                WHEN r.raw_series = 'Outside the top 50' THEN 1000002
                WHEN k.rnk <= $top THEN k.rnk
                ELSE 1000000 END AS series_order
    FROM rows r
    LEFT JOIN ranked k USING (raw_series)
), market AS (
    -- the whole market's tokens per period, needed only for $share_of = 'market'
    SELECT period, sum(total_tokens) AS market_tokens
    FROM selected_periods($start, $end, $grain, 'all', [], [], p_tier := $tier)
    WHERE $share_of = 'market'
      AND ($volume = 'all' OR openness IN ('open', 'closed'))
      AND ($openness = 'all' OR openness = $openness)
    GROUP BY period
), grouped AS (
    SELECT period, series, min(series_order) AS series_order, sum(total_tokens)::BIGINT AS tokens,
           sum(free_tokens)::BIGINT AS free_tokens
    FROM labelled
    GROUP BY period, series
)
SELECT g.period, p.period_end, p.is_partial, g.series, g.series_order, g.tokens, g.free_tokens,
       g.tokens / CASE WHEN $share_of = 'market' THEN m.market_tokens
                       ELSE sum(g.tokens) OVER (PARTITION BY g.period) END AS share
FROM grouped g
JOIN period_flags($start, $end, $grain) p USING (period)
LEFT JOIN market m USING (period)
ORDER BY g.period, g.series_order
