-- segment_open_share: per segment of $dimension and period, the open-weight and closed
-- tokens and the open-weight share of their named volume. Weekly estimates (category,
-- language) are by ISO week whatever $grain says: weeks from $start's week to $end, a week
-- reaching outside the usage data's days is_partial. Exact daily series (modality,
-- context) are summed by $grain over the days in [$start, $end], a period cut by the
-- range or the data is_partial. Models missing from the catalogue count as unclassified;
-- `other` (outside the segment's top 50) is in none of the three.
-- A model whose weights opened later (open_weights_since) counts as open from that day
-- (for the weekly estimates: from the first week starting on or after it), closed before.
-- Returns: period, period_end, is_partial, is_estimate, segment, open_tokens,
--          closed_tokens, named_tokens, unclassified_tokens, open_share.
-- Parameters: $dimension, $start, $end, $grain, $countries, $labs (lists; empty = all).
WITH bounds AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM fact_usage
), rows AS (
    -- the dimension's rows in range, with the classification in force on each date
    SELECT CASE WHEN is_estimate THEN date ELSE CAST(date_trunc($grain, date) AS DATE) END AS period,
           is_estimate, segment, total_tokens, openness
    FROM segment_usage($dimension, $start, $end)
    WHERE (len($countries) = 0 OR list_contains($countries, country_code))
      AND (len($labs) = 0 OR list_contains($labs, author))
), sums AS (
    SELECT period, is_estimate, segment,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'open'), 0)::BIGINT AS open_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'closed'), 0)::BIGINT AS closed_tokens,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'unclassified'), 0)::BIGINT AS unclassified_tokens
    FROM rows
    GROUP BY period, is_estimate, segment
)
SELECT s.period,
       CASE WHEN s.is_estimate THEN s.period + 6 ELSE period_last_day(s.period, $grain) END AS period_end,
       CASE WHEN s.is_estimate THEN s.period < b.first_day OR s.period + 6 > b.last_day
            ELSE s.period < greatest(CAST($start AS DATE), b.first_day)
                 OR period_last_day(s.period, $grain) > least(CAST($end AS DATE), b.last_day) END AS is_partial,
       s.is_estimate, s.segment, s.open_tokens, s.closed_tokens,
       (s.open_tokens + s.closed_tokens)::BIGINT AS named_tokens, s.unclassified_tokens,
       s.open_tokens / nullif(s.open_tokens + s.closed_tokens, 0) AS open_share
FROM sums s
CROSS JOIN bounds b
ORDER BY s.period, s.segment
