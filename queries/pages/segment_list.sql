-- segment_list: every segment of every dimension in the snapshot (categories, modality,
-- context bucket, language type), with its tokens, whether its figures are estimates,
-- and its first and last date (a week start for the weekly estimates).
-- Returns: dimension, segment, tokens, is_estimate, first_date, last_date. Parameters: none.
SELECT dimension, segment, sum(total_tokens)::BIGINT AS tokens, bool_or(is_estimate) AS is_estimate,
       min(date) AS first_date, max(date) AS last_date
FROM segment_rows
GROUP BY dimension, segment
ORDER BY dimension, tokens DESC, segment
