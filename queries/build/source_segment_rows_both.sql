-- source_segment_rows_both: the view segment_rows, every segment of every dimension in one
-- shape, for a snapshot with both the category and the segment tables: the categories as
-- dimension 'category' (weekly estimates) and usage_by_segment as it is.
-- Creates: view segment_rows(dimension, segment, date, model_permaslug, total_tokens,
-- is_estimate). Parameters: none. Run on each connection, beside the source views.
CREATE OR REPLACE VIEW segment_rows AS
SELECT 'category' AS dimension, category AS segment, week AS date, model_permaslug, total_tokens,
       true AS is_estimate
FROM usage_by_category
UNION ALL
SELECT dimension, segment, date, model_permaslug, total_tokens, is_estimate FROM usage_by_segment
