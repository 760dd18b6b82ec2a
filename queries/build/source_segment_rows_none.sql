-- source_segment_rows_none: the view segment_rows (see source_segment_rows_both), empty,
-- for a snapshot with neither table, so the segment queries run and find nothing.
-- Creates: view segment_rows. Parameters: none.
CREATE OR REPLACE VIEW segment_rows AS
SELECT NULL::VARCHAR AS dimension, NULL::VARCHAR AS segment, NULL::DATE AS date,
       NULL::VARCHAR AS model_permaslug, NULL::BIGINT AS total_tokens, NULL::BOOLEAN AS is_estimate
WHERE false
