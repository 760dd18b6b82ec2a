-- setup_derived_search_path: names resolve in the attached query database first, then in
-- memory (the views over the snapshot's Parquet files). Set on every cursor, since each
-- cursor is a connection of its own. Parameters: none.
SET search_path = 'snap.main,memory.main'
