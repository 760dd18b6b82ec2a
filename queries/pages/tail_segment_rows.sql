-- tail_segment_rows: the daily segment lists (modality and context bucket: exact
-- figures, the Data API's own top 50 per segment plus its `other` row) of a date range,
-- the input of the segment lower bounds (tokenshare/analysis/tail_segments.py). The
-- weekly language estimates and the use-case categories are left out: estimates from a
-- sample bound nothing. Empty for a snapshot without usage_by_segment.parquet.
-- Returns: dimension ('modality' | 'context'), segment, date, model_permaslug,
--          total_tokens.
-- Parameters: $start, $end (DATE).
SELECT dimension, segment, date, model_permaslug, total_tokens
FROM segment_rows
WHERE dimension IN ('modality', 'context')
  AND NOT is_estimate
  AND date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY dimension, segment, date, total_tokens DESC, model_permaslug
