-- workbench_source_attach: attaches the workbench's database file read-only as
-- `workbench_source` in the sandbox, before the sandbox is locked down (afterwards no
-- file can be opened; the attached one stays readable, and nothing can write to it).
-- Returns: nothing. Parameters: $path (the database file).
ATTACH $path AS workbench_source (READ_ONLY)
