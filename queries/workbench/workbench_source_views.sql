-- workbench_source_views: the sandbox's own tables, as views over the attached
-- read-only `workbench_source` (views live in the sandbox's catalogue, so every cursor
-- sees them; a per-connection USE or search_path would not carry over to a cursor).
-- Returns: nothing. Parameters: none.
CREATE VIEW usage AS FROM workbench_source.main.usage;
CREATE VIEW models AS FROM workbench_source.main.models;
CREATE VIEW labs AS FROM workbench_source.main.labs;
CREATE VIEW model_endpoints AS FROM workbench_source.main.model_endpoints;
