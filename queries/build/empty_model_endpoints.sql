-- empty_model_endpoints: an empty model_endpoints view with the table's columns, for a
-- snapshot without model_endpoints.parquet, so the queries that read providers run on
-- any snapshot (they find no providers and fall back to the catalogue's prices).
-- Creates: view model_endpoints. Parameters: none.
CREATE VIEW model_endpoints AS
SELECT NULL::VARCHAR AS model_permaslug, NULL::VARCHAR AS model_id, NULL::VARCHAR AS provider,
       NULL::VARCHAR AS endpoint_tag, NULL::VARCHAR AS quantization, NULL::BIGINT AS context_length,
       NULL::BIGINT AS max_completion_tokens, NULL::DOUBLE AS price_prompt_usd_per_mtok,
       NULL::DOUBLE AS price_completion_usd_per_mtok, NULL::DOUBLE AS price_input_cache_read_usd_per_mtok,
       NULL::DOUBLE AS uptime_last_30m, NULL::DOUBLE AS latency_p50_ms, NULL::DOUBLE AS throughput_p50_tps,
       NULL::DATE AS fetched_on
WHERE false
