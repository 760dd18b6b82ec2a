-- workbench_source_views_segments: the per-segment usage view, for a snapshot that has
-- that table (see workbench_source_views).
-- Returns: nothing. Parameters: none.
CREATE VIEW usage_by_segment AS FROM workbench_source.main.usage_by_segment
