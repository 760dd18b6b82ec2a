-- setup_derived_meta: records what a query database was built from, so that a database
-- built from another snapshot, other setup queries or another DuckDB is never used.
-- Creates: derived_meta(build_key, snapshot_id, duckdb_version, built_at).
-- Parameters: $build_key, $snapshot_id, $duckdb_version.
CREATE TABLE derived_meta AS
SELECT CAST($build_key AS VARCHAR) AS build_key, CAST($snapshot_id AS VARCHAR) AS snapshot_id,
       CAST($duckdb_version AS VARCHAR) AS duckdb_version, now() AS built_at
