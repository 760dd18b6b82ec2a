-- workbench_settings: the sandbox's engine settings as the workbench page states them.
-- Returns: name, value for enable_external_access, lock_configuration, memory_limit,
--          threads, python_enable_replacements. Parameters: none.
SELECT name, value
FROM duckdb_settings()
WHERE name IN ('enable_external_access', 'lock_configuration', 'memory_limit', 'threads',
               'python_enable_replacements')
ORDER BY name
