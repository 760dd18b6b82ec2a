-- source_segment_rows_categories: the view segment_rows (see source_segment_rows_both) for
-- a snapshot with a category table and no segment table.
-- Creates: view segment_rows. Parameters: none.
CREATE OR REPLACE VIEW segment_rows AS
SELECT 'category' AS dimension, category AS segment, week AS date, model_permaslug, total_tokens,
       true AS is_estimate
FROM usage_by_category
