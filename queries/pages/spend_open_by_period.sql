-- spend_open_by_period: per period, the open-weight share of named tokens and of
-- estimated spend (tokens x blended price, blended = $prompt_share x prompt +
-- (1 - $prompt_share) x completion, USD per million tokens; unpriced models left out of
-- spend and counted in unpriced_tokens).
-- Returns: period, period_end, is_partial, open_tokens, closed_tokens, open_spend_usd,
--          closed_spend_usd, unpriced_tokens, token_share (open), spend_share (open).
-- Parameters: $start, $end, $grain, $countries, $labs, $prompt_share (DOUBLE, 0-1).
WITH rows AS (
    SELECT period, openness, total_tokens,
           price_prompt_usd_per_mtok IS NOT NULL AND price_completion_usd_per_mtok IS NOT NULL AS priced,
           total_tokens * ($prompt_share * price_prompt_usd_per_mtok
                           + (1 - $prompt_share) * price_completion_usd_per_mtok) / 1e6 AS spend
    FROM selected_periods($start, $end, $grain, 'named', $countries, $labs)
), sums AS (
    SELECT period,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'open'), 0) AS open_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'closed'), 0) AS closed_tokens,
           coalesce(sum(spend) FILTER (WHERE openness = 'open' AND priced), 0) AS open_spend_usd,
           coalesce(sum(spend) FILTER (WHERE openness = 'closed' AND priced), 0) AS closed_spend_usd,
           coalesce(sum(total_tokens) FILTER (WHERE NOT priced), 0) AS unpriced_tokens
    FROM rows
    GROUP BY period
)
SELECT p.period, p.period_end, p.is_partial,
       coalesce(s.open_tokens, 0)::BIGINT AS open_tokens,
       coalesce(s.closed_tokens, 0)::BIGINT AS closed_tokens,
       coalesce(s.open_spend_usd, 0) AS open_spend_usd,
       coalesce(s.closed_spend_usd, 0) AS closed_spend_usd,
       coalesce(s.unpriced_tokens, 0)::BIGINT AS unpriced_tokens,
       s.open_tokens / nullif(s.open_tokens + s.closed_tokens, 0) AS token_share,
       s.open_spend_usd / nullif(s.open_spend_usd + s.closed_spend_usd, 0) AS spend_share
FROM period_flags($start, $end, $grain) p
LEFT JOIN sums s USING (period)
ORDER BY p.period
