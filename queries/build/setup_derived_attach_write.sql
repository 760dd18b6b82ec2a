-- setup_derived_attach_write: attaches a new query database file as `snap` to build it
-- (tables and macros go there; the views over the snapshot's files stay in memory).
-- Parameters: $path (the database file, a temporary name until it is complete).
ATTACH $path AS snap
