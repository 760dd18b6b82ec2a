-- workbench_build_attach: attaches a new, empty file (a temporary name beside the
-- snapshot) as `workbench_build`, to receive the workbench's copy of the snapshot's
-- tables (see tokenshare/workbench.py, workbench_file).
-- Returns: nothing. Parameters: $path (the new database file).
ATTACH $path AS workbench_build
