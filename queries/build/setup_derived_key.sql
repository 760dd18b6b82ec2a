-- setup_derived_key: the build key of the attached query database (see setup_derived_meta).
-- Returns: build_key. Parameters: none.
SELECT build_key FROM snap.derived_meta
