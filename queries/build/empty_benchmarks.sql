-- empty_benchmarks: an empty benchmarks view with the columns of benchmarks.parquet, for a snapshot without
-- it, so the queries that read it run on any snapshot (the Value page finds no scores).
-- Creates: view benchmarks. Parameters: none.
CREATE VIEW benchmarks AS
SELECT NULL::VARCHAR AS model_permaslug, NULL::VARCHAR AS display_name, NULL::DOUBLE AS intelligence_index,
       NULL::DOUBLE AS coding_index, NULL::DOUBLE AS agentic_index,
       NULL::DOUBLE AS price_prompt_usd_per_mtok, NULL::DOUBLE AS price_completion_usd_per_mtok,
       NULL::DATE AS fetched_on
WHERE false
