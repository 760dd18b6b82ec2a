-- workbench_lockdown: closes the SQL workbench's sandbox database once the snapshot's
-- tables are loaded into it: no file system or network access, no extension loading,
-- and no further configuration changes (SET / RESET then fail in the engine itself).
-- Returns: nothing. Parameters: none.
SET enable_external_access = false;
SET allow_community_extensions = false;
SET autoinstall_known_extensions = false;
SET autoload_known_extensions = false;
SET lock_configuration = true;
