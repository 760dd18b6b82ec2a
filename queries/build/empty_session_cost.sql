-- empty_session_cost: an empty session_cost view with the columns of session_cost.parquet, for a snapshot without
-- it, so the queries that read it run on any snapshot (the measured session cost is absent).
-- Creates: view session_cost. Parameters: none.
CREATE VIEW session_cost AS
SELECT NULL::VARCHAR AS app_slug, NULL::VARCHAR AS app_name, NULL::VARCHAR AS model_permaslug,
       NULL::VARCHAR AS turn_range, NULL::DOUBLE AS median_session_cost_usd, NULL::BIGINT AS window_days,
       NULL::DATE AS window_end_date, NULL::DATE AS fetched_on
WHERE false
