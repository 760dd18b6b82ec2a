-- workbench_build_copy_segments: the per-segment usage table too, for a snapshot that
-- has one (copied into the attached `workbench_build` file).
-- Returns: nothing. Parameters: none.
CREATE TABLE workbench_build.usage_by_segment AS FROM usage_by_segment
