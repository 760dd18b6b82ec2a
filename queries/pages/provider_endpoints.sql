-- provider_endpoints: every named model with tokens in [$start, $end] under the filters,
-- with each provider endpoint OpenRouter listed for it when the providers were fetched
-- (model_endpoints.parquet, a state on its fetched_on day, not a history): one row per
-- (model, endpoint), or one row with an empty provider for a model without provider
-- data. blended_usd_per_mtok = $prompt_share x prompt price + (1 - $prompt_share) x
-- completion price (USD per million tokens, no cache). Tokens are the model's in the
-- range: OpenRouter does not say which provider served them.
-- Returns: model_permaslug, model_name, lab_name, author, openness, tokens,
--          catalogue_prompt_usd_per_mtok, catalogue_completion_usd_per_mtok, provider,
--          endpoint_tag, quantization, context_length, price_prompt_usd_per_mtok,
--          price_completion_usd_per_mtok, price_input_cache_read_usd_per_mtok,
--          blended_usd_per_mtok, uptime_last_30m, latency_p50_ms, throughput_p50_tps,
--          fetched_on.
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs,
--             $prompt_share (DOUBLE, 0-1), $tier.
WITH m AS (
    SELECT model_permaslug, any_value(model_name) AS model_name, any_value(lab_name) AS lab_name,
           any_value(author) AS author, any_value(openness) AS openness,
           sum(total_tokens)::BIGINT AS tokens,
           any_value(price_prompt_usd_per_mtok) AS catalogue_prompt_usd_per_mtok,
           any_value(price_completion_usd_per_mtok) AS catalogue_completion_usd_per_mtok
    -- any grain sums the same range; by month, whole months come pre-summed
    FROM selected_periods($start, $end, 'month', 'named', $countries, $labs, p_tier := $tier)
    WHERE $openness = 'all' OR openness = $openness
    GROUP BY model_permaslug
)
SELECT m.*, e.provider, e.endpoint_tag, e.quantization, e.context_length,
       e.price_prompt_usd_per_mtok, e.price_completion_usd_per_mtok, e.price_input_cache_read_usd_per_mtok,
       $prompt_share * e.price_prompt_usd_per_mtok
           + (1 - $prompt_share) * e.price_completion_usd_per_mtok AS blended_usd_per_mtok,
       e.uptime_last_30m, e.latency_p50_ms, e.throughput_p50_tps, e.fetched_on
FROM m
LEFT JOIN model_endpoints e USING (model_permaslug)
ORDER BY m.tokens DESC, m.model_permaslug, blended_usd_per_mtok, e.endpoint_tag
