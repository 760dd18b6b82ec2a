-- segment_mix: what share of open-weight tokens, and of closed tokens, each segment of
-- $dimension holds over the range (the segment mix of open vs closed). Range: as in
-- segment_open_share (weekly estimates: weeks from $start's week to $end; daily series:
-- days in [$start, $end]). The yardstick ("all open tokens"): for modality, whose
-- segments overlap (a tool call can carry an image), the open (closed) tokens of the
-- usage over the same days; for the other dimensions, whose segments split the tokens,
-- the sum over the dimension's segments (for the estimates: the estimated tokens).
-- A model whose weights opened later (open_weights_since) counts as open from that day
-- (for the weekly estimates: from the first week starting on or after it), closed before.
-- Returns: segment, is_estimate, open_tokens, closed_tokens, open_total, closed_total,
--          open_mix, closed_mix, yardstick ('usage' | 'segments').
-- Parameters: $dimension, $start, $end, $countries, $labs (lists; empty = all).
WITH rows AS (
    -- the dimension's rows in range, with the classification in force on each date
    SELECT segment, is_estimate, total_tokens, openness
    FROM segment_usage($dimension, $start, $end)
    WHERE (len($countries) = 0 OR list_contains($countries, country_code))
      AND (len($labs) = 0 OR list_contains($labs, author))
), seg AS (
    SELECT segment, bool_or(is_estimate) AS is_estimate,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'open'), 0)::BIGINT AS open_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'closed'), 0)::BIGINT AS closed_tokens
    FROM rows GROUP BY segment
), usage_totals AS (
    SELECT coalesce(sum(f.total_tokens) FILTER (WHERE f.openness = 'open'), 0)::BIGINT AS open_total,
           coalesce(sum(f.total_tokens) FILTER (WHERE f.openness = 'closed'), 0)::BIGINT AS closed_total
    FROM fact_usage f
    JOIN dim_model d USING (model_key)
    WHERE f.date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
      AND (len($countries) = 0 OR list_contains($countries, d.country_code))
      AND (len($labs) = 0 OR list_contains($labs, d.author))
), totals AS (
    SELECT CASE WHEN $dimension = 'modality' THEN u.open_total ELSE (SELECT sum(open_tokens) FROM seg) END AS open_total,
           CASE WHEN $dimension = 'modality' THEN u.closed_total ELSE (SELECT sum(closed_tokens) FROM seg) END AS closed_total
    FROM usage_totals u
)
SELECT s.segment, s.is_estimate, s.open_tokens, s.closed_tokens,
       t.open_total::BIGINT AS open_total, t.closed_total::BIGINT AS closed_total,
       s.open_tokens / nullif(t.open_total, 0) AS open_mix,
       s.closed_tokens / nullif(t.closed_total, 0) AS closed_mix,
       CASE WHEN $dimension = 'modality' THEN 'usage' ELSE 'segments' END AS yardstick
FROM seg s
CROSS JOIN totals t
ORDER BY s.segment
