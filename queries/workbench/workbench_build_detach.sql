-- workbench_build_detach: closes the workbench's database file once it is written.
-- Returns: nothing. Parameters: none.
DETACH workbench_build
