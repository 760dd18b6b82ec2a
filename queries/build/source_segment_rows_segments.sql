-- source_segment_rows_segments: the view segment_rows (see source_segment_rows_both) for
-- a snapshot with a segment table and no category table.
-- Creates: view segment_rows. Parameters: none.
CREATE OR REPLACE VIEW segment_rows AS
SELECT dimension, segment, date, model_permaslug, total_tokens, is_estimate FROM usage_by_segment
