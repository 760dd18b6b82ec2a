-- setup_derived_detach: writes the query database being built to disk (CHECKPOINT) and
-- detaches it, so the file is complete before it is renamed into place.
-- Parameters: none.
CHECKPOINT snap;
USE memory;
DETACH snap
