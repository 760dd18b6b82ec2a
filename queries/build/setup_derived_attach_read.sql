-- setup_derived_attach_read: attaches a snapshot's built query database (the
-- derived_query.duckdb file beside its data, see tokenshare/engine/db.py) read-only as `snap`.
-- Parameters: $path (the database file).
ATTACH $path AS snap (READ_ONLY)
