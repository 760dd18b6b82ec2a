-- validate_endpoints_rows: the first model_endpoints row with an empty key, an empty or
-- negative or NaN price, a negative context length, an uptime outside 0 to 100, or a
-- negative latency or throughput.
-- Returns: at most one row of model_endpoints.parquet. Parameters: $p.
SELECT * FROM read_parquet($p)
WHERE model_permaslug IS NULL OR model_id IS NULL OR provider IS NULL OR endpoint_tag IS NULL
   OR fetched_on IS NULL
   OR price_prompt_usd_per_mtok IS NULL OR price_completion_usd_per_mtok IS NULL
   OR price_prompt_usd_per_mtok < 0 OR price_completion_usd_per_mtok < 0
   OR isnan(price_prompt_usd_per_mtok) OR isnan(price_completion_usd_per_mtok)
   OR price_input_cache_read_usd_per_mtok < 0 OR isnan(price_input_cache_read_usd_per_mtok)
   OR context_length < 0 OR max_completion_tokens < 0
   OR NOT (uptime_last_30m BETWEEN 0 AND 100) OR isnan(uptime_last_30m)
   OR latency_p50_ms < 0 OR isnan(latency_p50_ms)
   OR throughput_p50_tps < 0 OR isnan(throughput_p50_tps)
ORDER BY model_permaslug, endpoint_tag
LIMIT 1
