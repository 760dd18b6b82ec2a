-- spend_open_by_period: per period, the open-weight share of named tokens and of
-- estimated spend (tokens x blended price, USD per million tokens; blended = s x ((1 -
-- c) x prompt price + c x cache-read price) + (1 - s) x completion price, s = the
-- model's prompt_token_share where known, else $prompt_share; c = $cached_share; a
-- model without a cache-read price pays the prompt price; unpriced models left out of
-- spend and counted in unpriced_tokens). The open_k_* / closed_k_* columns give each
-- side's spend at any (s, c): k_const + k_split x s + k_cached x c + k_both x s x c.
-- $pricing prices open-weight models' tokens at the catalogue's price ('catalogue'), or at
-- the model's cheapest or median provider in model_endpoints ('cheapest' | 'median';
-- providers ranked by blended price at $rank_prompt_share, no cache; the median of an
-- even count is the mean of the two middle providers' prices; free endpoints left
-- out); an open model without
-- provider data, and every closed model, keeps the catalogue's price.
-- Returns: period, period_end, is_partial, open_tokens, closed_tokens, open_spend_usd,
--          closed_spend_usd, unpriced_tokens, token_share (open), spend_share (open),
--          open_k_const, open_k_split, open_k_cached, open_k_both, closed_k_const,
--          closed_k_split, closed_k_cached, closed_k_both.
-- Parameters: $start, $end, $grain, $countries, $labs, $prompt_share (DOUBLE, 0-1),
--             $cached_share (DOUBLE, 0-1), $pricing, $rank_prompt_share (DOUBLE, 0-1),
--             $tier (a free token costs nothing).
WITH chosen AS (
    -- the provider price of each open model (none for 'catalogue'); see setup_macro_provider_prices
    SELECT * FROM provider_prices($pricing, $rank_prompt_share)
), rows AS (
    SELECT period, openness, total_tokens,
           coalesce(ch.prov_p, price_prompt_usd_per_mtok) IS NOT NULL
               AND coalesce(ch.prov_c, price_completion_usd_per_mtok) IS NOT NULL AS priced,
           prompt_token_share AS known_s,
           coalesce(prompt_token_share, $prompt_share) AS s,
           coalesce(ch.prov_p, price_prompt_usd_per_mtok) AS p,
           coalesce(ch.prov_c, price_completion_usd_per_mtok) AS c,
           CASE WHEN ch.prov_p IS NOT NULL THEN ch.prov_k
                ELSE coalesce(price_input_cache_read_usd_per_mtok, price_prompt_usd_per_mtok) END AS k,
           (total_tokens - free_tokens) / 1e6 AS mtok  -- a free token costs nothing
    FROM selected_periods($start, $end, $grain, 'named', $countries, $labs, p_tier := $tier) sp
    LEFT JOIN chosen ch ON ch.model_permaslug = sp.model_permaslug AND sp.openness = 'open'
), coeffs AS (
    SELECT period, openness, total_tokens, priced,
           mtok * (s * ((1 - $cached_share) * p + $cached_share * k) + (1 - s) * c) AS spend,
           mtok * CASE WHEN known_s IS NULL THEN c ELSE c + known_s * (p - c) END AS k_const,
           mtok * CASE WHEN known_s IS NULL THEN p - c ELSE 0 END AS k_split,
           mtok * CASE WHEN known_s IS NULL THEN 0 ELSE known_s * (k - p) END AS k_cached,
           mtok * CASE WHEN known_s IS NULL THEN k - p ELSE 0 END AS k_both
    FROM rows
), sums AS (
    SELECT period,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'open'), 0) AS open_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'closed'), 0) AS closed_tokens,
           coalesce(sum(spend) FILTER (WHERE openness = 'open' AND priced), 0) AS open_spend_usd,
           coalesce(sum(spend) FILTER (WHERE openness = 'closed' AND priced), 0) AS closed_spend_usd,
           coalesce(sum(total_tokens) FILTER (WHERE NOT priced), 0) AS unpriced_tokens,
           coalesce(sum(k_const) FILTER (WHERE openness = 'open' AND priced), 0) AS open_k_const,
           coalesce(sum(k_split) FILTER (WHERE openness = 'open' AND priced), 0) AS open_k_split,
           coalesce(sum(k_cached) FILTER (WHERE openness = 'open' AND priced), 0) AS open_k_cached,
           coalesce(sum(k_both) FILTER (WHERE openness = 'open' AND priced), 0) AS open_k_both,
           coalesce(sum(k_const) FILTER (WHERE openness = 'closed' AND priced), 0) AS closed_k_const,
           coalesce(sum(k_split) FILTER (WHERE openness = 'closed' AND priced), 0) AS closed_k_split,
           coalesce(sum(k_cached) FILTER (WHERE openness = 'closed' AND priced), 0) AS closed_k_cached,
           coalesce(sum(k_both) FILTER (WHERE openness = 'closed' AND priced), 0) AS closed_k_both
    FROM coeffs
    GROUP BY period
)
SELECT p.period, p.period_end, p.is_partial,
       coalesce(s.open_tokens, 0)::BIGINT AS open_tokens,
       coalesce(s.closed_tokens, 0)::BIGINT AS closed_tokens,
       coalesce(s.open_spend_usd, 0) AS open_spend_usd,
       coalesce(s.closed_spend_usd, 0) AS closed_spend_usd,
       coalesce(s.unpriced_tokens, 0)::BIGINT AS unpriced_tokens,
       s.open_tokens / nullif(s.open_tokens + s.closed_tokens, 0) AS token_share,
       s.open_spend_usd / nullif(s.open_spend_usd + s.closed_spend_usd, 0) AS spend_share,
       coalesce(s.open_k_const, 0) AS open_k_const, coalesce(s.open_k_split, 0) AS open_k_split,
       coalesce(s.open_k_cached, 0) AS open_k_cached, coalesce(s.open_k_both, 0) AS open_k_both,
       coalesce(s.closed_k_const, 0) AS closed_k_const, coalesce(s.closed_k_split, 0) AS closed_k_split,
       coalesce(s.closed_k_cached, 0) AS closed_k_cached, coalesce(s.closed_k_both, 0) AS closed_k_both
FROM period_flags($start, $end, $grain) p
LEFT JOIN sums s USING (period)
ORDER BY p.period
