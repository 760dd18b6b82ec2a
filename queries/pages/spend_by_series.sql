-- spend_by_series: named tokens and estimated spend in [$start, $end], split by openness
-- or by lab (top $top labs by tokens, the rest folded into "Rest"). Estimated spend =
-- tokens x the model's blended price, blended = $prompt_share x prompt price +
-- (1 - $prompt_share) x completion price (USD per million tokens). Models without a
-- price (either price missing) are not priced at zero: their tokens are counted in
-- unpriced_tokens / unpriced_models and left out of spend. Shares are of the selection:
-- token_share of all its named tokens, spend_share of its estimated spend.
-- Returns: series, series_order, tokens, priced_tokens, unpriced_tokens, models,
--          unpriced_models, spend_usd, token_share, spend_share.
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs,
--             $breakdown ('openness' | 'lab'), $top (INTEGER), $prompt_share (DOUBLE, 0-1).
WITH rows AS (
    -- one row per model (everything below is per model or a sum of tokens)
    SELECT model_key, sum(total_tokens) AS total_tokens, lab_name,
           CASE WHEN $breakdown = 'openness'
                THEN CASE openness WHEN 'open' THEN 'Open weights' ELSE 'Closed' END
                ELSE lab_name END AS raw_series,
           price_prompt_usd_per_mtok IS NOT NULL AND price_completion_usd_per_mtok IS NOT NULL AS priced,
           $prompt_share * price_prompt_usd_per_mtok
               + (1 - $prompt_share) * price_completion_usd_per_mtok AS blended
    -- any grain sums the same range; by month, whole months come pre-summed
    FROM selected_periods($start, $end, 'month', 'named', $countries, $labs)
    WHERE $openness = 'all' OR openness = $openness
    GROUP BY ALL
), ranked AS (
    SELECT raw_series, row_number() OVER (ORDER BY sum(total_tokens) DESC, raw_series) AS rnk
    FROM rows GROUP BY raw_series
), labelled AS (
    SELECT r.*,
           CASE WHEN $breakdown = 'openness' OR k.rnk <= $top THEN r.raw_series ELSE 'Rest' END AS series,
           CASE WHEN $breakdown = 'openness' THEN CASE r.raw_series WHEN 'Open weights' THEN 1 ELSE 2 END
                WHEN k.rnk <= $top THEN k.rnk ELSE 1000000 END AS series_order
    FROM rows r JOIN ranked k USING (raw_series)
), grouped AS (
    SELECT series, min(series_order) AS series_order,
           sum(total_tokens)::BIGINT AS tokens,
           coalesce(sum(total_tokens) FILTER (WHERE priced), 0)::BIGINT AS priced_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE NOT priced), 0)::BIGINT AS unpriced_tokens,
           count(DISTINCT model_key)::INTEGER AS models,
           count(DISTINCT model_key) FILTER (WHERE NOT priced)::INTEGER AS unpriced_models,
           coalesce(sum(total_tokens * blended / 1e6) FILTER (WHERE priced), 0) AS spend_usd
    FROM labelled
    GROUP BY series
)
SELECT series, series_order, tokens, priced_tokens, unpriced_tokens, models, unpriced_models, spend_usd,
       tokens / nullif(sum(tokens) OVER (), 0) AS token_share,
       spend_usd / nullif(sum(spend_usd) OVER (), 0) AS spend_share
FROM grouped
ORDER BY series_order
