-- segment_leaders: in each segment of $dimension, the labs with the most tokens over the
-- range (weekly estimates: the weeks from $start's week to $end; daily series: the days
-- in [$start, $end]), ranked (ties by lab name), with their share of the segment's tokens
-- (every model, `other` included) and the open-weight share of the lab's own tokens
-- there. Top $limit labs per segment.
-- A model whose weights opened later (open_weights_since) counts as open from that day
-- (for the weekly estimates: from the first week starting on or after it), closed before.
-- Returns: segment, rank, lab_name, tokens, share, lab_open_share, first_date, last_date,
--          is_estimate.
-- Parameters: $dimension, $start, $end, $openness ('all' | 'open' | 'closed'), $countries,
--             $labs, $limit (INTEGER).
WITH rows AS (
    -- the dimension's rows in range (every model: the shares' denominator), with the
    -- classification in force on each date
    SELECT segment, date, total_tokens, is_estimate, lab_name, openness, country_code, author
    FROM segment_usage($dimension, $start, $end)
), totals AS (
    SELECT segment, sum(total_tokens) AS segment_tokens, min(date) AS first_date, max(date) AS last_date,
           bool_or(is_estimate) AS is_estimate
    FROM rows GROUP BY segment
), labs AS (
    SELECT segment, lab_name, sum(total_tokens) AS tokens,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'open'), 0)
               / nullif(sum(total_tokens) FILTER (WHERE openness IN ('open', 'closed')), 0) AS lab_open_share
    FROM rows
    WHERE lab_name IS NOT NULL
      AND ($openness = 'all' OR openness = $openness)
      AND (len($countries) = 0 OR list_contains($countries, country_code))
      AND (len($labs) = 0 OR list_contains($labs, author))
    GROUP BY segment, lab_name
)
SELECT l.segment,
       row_number() OVER (PARTITION BY l.segment ORDER BY l.tokens DESC, l.lab_name)::INTEGER AS rank,
       l.lab_name, l.tokens::BIGINT AS tokens, l.tokens / t.segment_tokens AS share, l.lab_open_share,
       t.first_date, t.last_date, t.is_estimate
FROM labs l
JOIN totals t USING (segment)
QUALIFY rank <= $limit
ORDER BY l.segment, rank
