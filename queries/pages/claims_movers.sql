-- claims_movers: tokens per lab or per model in each period of [$start, $end] (the
-- "what changed" digest passes two whole ISO weeks), with each one's share of the
-- period's named tokens of the whole market (the yardstick stays the market, whatever
-- the lab and country filters). Named models only (open-weight or closed).
-- Returns: period, series_key (lab name, or model permaslug), series (lab or model
--          name), lab_name, tokens, share.
-- Parameters: $start, $end (DATE), $grain ('day' | 'week' | 'month'), $countries,
--             $labs, $breakdown ('lab' | 'model'), $tier.
-- Page: Claims — what changed: the biggest movers
WITH rows AS (
    SELECT period,
           CASE WHEN $breakdown = 'lab' THEN lab_name ELSE model_permaslug END AS series_key,
           any_value(CASE WHEN $breakdown = 'lab' THEN lab_name ELSE model_name END) AS series,
           any_value(lab_name) AS lab_name,
           sum(total_tokens) AS tokens
    FROM selected_periods($start, $end, $grain, 'named', $countries, $labs, p_tier := $tier)
    GROUP BY period, series_key
), market AS (
    SELECT period, sum(total_tokens) AS named_tokens
    FROM selected_periods($start, $end, $grain, 'named', [], [], p_tier := $tier)
    GROUP BY period
)
SELECT r.period, r.series_key, r.series, r.lab_name, r.tokens::BIGINT AS tokens,
       r.tokens / nullif(m.named_tokens, 0) AS share
FROM rows r
JOIN market m USING (period)
ORDER BY r.period, r.tokens DESC, r.series_key
