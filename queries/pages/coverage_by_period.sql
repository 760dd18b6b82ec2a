-- coverage_by_period: per period, the share of the period's tokens that the ranked
-- lists (the Data API's daily top 50) name, and the daily cut over the period: its
-- median, smallest and largest (docs/tail.md). Every period overlapping the data in
-- range is listed, with is_partial as in the other period queries.
-- The whole market: the country, lab and tier filters do not apply.
-- Returns: period, period_end, is_partial, days (days with data in range),
--          ranked_tokens, other_tokens, total_tokens, ranked_share (ranked / total;
--          NULL when total is 0), other_share, median_cut, min_cut, max_cut (NULL when
--          no day of the period has a ranked row).
-- Parameters: $start, $end (DATE), $grain ('day' | 'week' | 'month').
WITH days AS (
    SELECT CAST(date_trunc($grain, date) AS DATE) AS period, *
    FROM day_coverage
    WHERE date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
), sums AS (
    SELECT period,
           count(*)::INTEGER AS days,
           sum(ranked_tokens)::BIGINT AS ranked_tokens,
           sum(other_tokens)::BIGINT AS other_tokens,
           sum(total_tokens)::BIGINT AS total_tokens,
           median(cut) AS median_cut,
           min(cut)::BIGINT AS min_cut,
           max(cut)::BIGINT AS max_cut
    FROM days
    GROUP BY period
)
SELECT p.period, p.period_end, p.is_partial,
       coalesce(s.days, 0)::INTEGER AS days,
       coalesce(s.ranked_tokens, 0)::BIGINT AS ranked_tokens,
       coalesce(s.other_tokens, 0)::BIGINT AS other_tokens,
       coalesce(s.total_tokens, 0)::BIGINT AS total_tokens,
       s.ranked_tokens / nullif(s.total_tokens, 0) AS ranked_share,
       s.other_tokens / nullif(s.total_tokens, 0) AS other_share,
       s.median_cut, s.min_cut, s.max_cut
FROM period_flags($start, $end, $grain) p
LEFT JOIN sums s USING (period)
ORDER BY p.period
