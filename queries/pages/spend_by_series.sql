-- spend_by_series: named tokens and estimated spend in [$start, $end], split by openness
-- or by lab (top $top labs by tokens, the rest folded into "Rest"). Estimated spend =
-- tokens x the model's blended price (USD per million tokens), blended = s x ((1 - c) x
-- prompt price + c x cache-read price) + (1 - s) x completion price, where s is the
-- prompt share of tokens (the model's own prompt_token_share where the snapshot has
-- it, else $prompt_share) and c is $cached_share, the share of prompt tokens read from
-- cache (a model without a cache-read price pays the prompt price for them). Models
-- without a price (prompt or completion price missing) are not priced at zero: their
-- tokens are counted in unpriced_tokens / unpriced_models and left out of spend.
-- Shares are of the selection: token_share of all its named tokens, spend_share of its
-- estimated spend. The k_* columns give spend at any (s, c) without running the query
-- again: spend = k_const + k_split x s + k_cached x c + k_both x s x c (tokens/1e6 x
-- prices; models with a known split count in k_const and k_cached only).
-- $pricing prices open-weight models' tokens at the catalogue's price ('catalogue'), or at
-- the model's cheapest or median provider in model_endpoints ('cheapest' | 'median';
-- providers ranked by blended price at $rank_prompt_share, no cache; the median of an
-- even count is the mean of the two middle providers' prices; free endpoints left
-- out); an open model without
-- provider data, and every closed model, keeps the catalogue's price.
-- Returns: series, series_order, tokens, priced_tokens, unpriced_tokens, models,
--          unpriced_models, known_split_tokens, cache_priced_tokens, spend_usd,
--          token_share, spend_share, k_const, k_split, k_cached, k_both,
--          provider_priced_tokens (tokens priced at a provider's price).
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs,
--             $breakdown ('openness' | 'lab'), $top (INTEGER), $prompt_share (DOUBLE,
--             0-1), $cached_share (DOUBLE, 0-1), $pricing, $rank_prompt_share (DOUBLE, 0-1),
--             $tier (a free token costs nothing).
WITH chosen AS (
    -- the provider price of each open model (none for 'catalogue'); see setup_macro_provider_prices
    SELECT * FROM provider_prices($pricing, $rank_prompt_share)
), sel AS (
    SELECT s.*, ch.prov_p, ch.prov_c, ch.prov_k, ch.prov_has_k
    -- any grain sums the same range; by month, whole months come pre-summed
    FROM selected_periods($start, $end, 'month', 'named', $countries, $labs, p_tier := $tier) s
    LEFT JOIN chosen ch ON ch.model_permaslug = s.model_permaslug AND s.openness = 'open'
    WHERE $openness = 'all' OR s.openness = $openness
), rows AS (
    -- one row per model (everything below is per model or a sum of tokens)
    SELECT model_key, sum(total_tokens) AS total_tokens, sum(free_tokens) AS free_tokens, lab_name,
           CASE WHEN $breakdown = 'openness'
                THEN CASE openness WHEN 'open' THEN 'Open weights' ELSE 'Closed' END
                ELSE lab_name END AS raw_series,
           coalesce(prov_p, price_prompt_usd_per_mtok) IS NOT NULL
               AND coalesce(prov_c, price_completion_usd_per_mtok) IS NOT NULL AS priced,
           prov_p IS NOT NULL AS provider_priced,
           prompt_token_share AS known_s,
           coalesce(prov_p, price_prompt_usd_per_mtok) AS p,
           coalesce(prov_c, price_completion_usd_per_mtok) AS c,
           CASE WHEN prov_p IS NOT NULL THEN prov_k
                ELSE coalesce(price_input_cache_read_usd_per_mtok, price_prompt_usd_per_mtok) END AS k,
           CASE WHEN prov_p IS NOT NULL THEN prov_has_k
                ELSE price_input_cache_read_usd_per_mtok IS NOT NULL END AS has_cache_price
    FROM sel
    GROUP BY ALL
), priced_rows AS (
    SELECT *,
           coalesce(known_s, $prompt_share) AS s,
           (total_tokens - free_tokens) / 1e6 AS mtok  -- a free token costs nothing
    FROM rows
), ranked AS (
    SELECT raw_series, row_number() OVER (ORDER BY sum(total_tokens) DESC, raw_series) AS rnk
    FROM rows GROUP BY raw_series
), labelled AS (
    SELECT r.*,
           CASE WHEN $breakdown = 'openness' OR k.rnk <= $top THEN r.raw_series ELSE 'Rest' END AS series,
           CASE WHEN $breakdown = 'openness' THEN CASE r.raw_series WHEN 'Open weights' THEN 1 ELSE 2 END
                WHEN k.rnk <= $top THEN k.rnk ELSE 1000000 END AS series_order
    FROM priced_rows r JOIN ranked k USING (raw_series)
), grouped AS (
    SELECT series, min(series_order) AS series_order,
           sum(total_tokens)::BIGINT AS tokens,
           coalesce(sum(total_tokens) FILTER (WHERE priced), 0)::BIGINT AS priced_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE NOT priced), 0)::BIGINT AS unpriced_tokens,
           count(DISTINCT model_key)::INTEGER AS models,
           count(DISTINCT model_key) FILTER (WHERE NOT priced)::INTEGER AS unpriced_models,
           coalesce(sum(total_tokens) FILTER (WHERE priced AND known_s IS NOT NULL), 0)::BIGINT AS known_split_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE priced AND has_cache_price), 0)::BIGINT AS cache_priced_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE provider_priced), 0)::BIGINT AS provider_priced_tokens,
           coalesce(sum(mtok * (s * ((1 - $cached_share) * p + $cached_share * k) + (1 - s) * c))
                    FILTER (WHERE priced), 0) AS spend_usd,
           coalesce(sum(mtok * CASE WHEN known_s IS NULL THEN c ELSE c + known_s * (p - c) END)
                    FILTER (WHERE priced), 0) AS k_const,
           coalesce(sum(mtok * (p - c)) FILTER (WHERE priced AND known_s IS NULL), 0) AS k_split,
           coalesce(sum(mtok * known_s * (k - p)) FILTER (WHERE priced AND known_s IS NOT NULL), 0) AS k_cached,
           coalesce(sum(mtok * (k - p)) FILTER (WHERE priced AND known_s IS NULL), 0) AS k_both
    FROM labelled
    GROUP BY series
)
SELECT series, series_order, tokens, priced_tokens, unpriced_tokens, models, unpriced_models,
       known_split_tokens, cache_priced_tokens, spend_usd,
       tokens / nullif(sum(tokens) OVER (), 0) AS token_share,
       spend_usd / nullif(sum(spend_usd) OVER (), 0) AS spend_share,
       k_const, k_split, k_cached, k_both, provider_priced_tokens
FROM grouped
ORDER BY series_order
