-- setup_macro_segment_usage: segment_usage(dimension, start, end) gives the rows of
-- segment_rows for one dimension in range, each with its model's classification in
-- force on its date and the model's lab and country. The range: weekly estimates
-- (category, language) by ISO week, from start's week to end; exact daily series
-- (modality, context) the days in [start, end]. A model whose weights opened later
-- (open_weights_since) counts as open from that day (a weekly estimate: from the first
-- week starting on or after it), closed before; a model missing from the catalogue is
-- 'unclassified'; lab_name is NULL for `other` (outside the segment's top 50).
-- Returns: segment, date, is_estimate, model_permaslug, total_tokens, openness, lab_name,
--          country_code, author.
-- Creates: macro segment_usage. Parameters: none.
CREATE MACRO segment_usage(p_dimension, p_start, p_end) AS TABLE
SELECT s.segment, s.date, s.is_estimate, s.model_permaslug, s.total_tokens,
       CASE WHEN d.openness = 'open' AND s.date < d.open_weights_since THEN 'closed'
            ELSE coalesce(d.openness, 'unclassified') END AS openness,
       CASE WHEN s.model_permaslug = 'other' THEN NULL
            ELSE coalesce(d.lab_name, split_part(s.model_permaslug, '/', 1)) END AS lab_name,
       d.country_code, d.author
FROM segment_rows s
LEFT JOIN dim_model d ON d.model_permaslug = s.model_permaslug
WHERE s.dimension = p_dimension
  AND CASE WHEN s.is_estimate
           THEN s.date BETWEEN CAST(date_trunc('week', CAST(p_start AS DATE)) AS DATE) AND CAST(p_end AS DATE)
           ELSE s.date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE) END
