-- empty_app_rankings: an empty app_rankings view with the columns of app_rankings.parquet, for a snapshot without
-- it, so the queries that read it run on any snapshot (no app rankings).
-- Creates: view app_rankings. Parameters: none.
CREATE VIEW app_rankings AS
SELECT NULL::DATE AS end_date, NULL::DATE AS start_date, NULL::VARCHAR AS sort, NULL::VARCHAR AS category,
       NULL::VARCHAR AS subcategory, NULL::BIGINT AS rank, NULL::BIGINT AS app_id, NULL::VARCHAR AS app_name,
       NULL::BIGINT AS total_tokens, NULL::BIGINT AS total_requests, NULL::DATE AS fetched_on
WHERE false
