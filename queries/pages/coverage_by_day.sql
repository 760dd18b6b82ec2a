-- coverage_by_day: per day in range, how much of the day's tokens the ranked list (the
-- Data API's daily top 50) names, how much is in `other`, and the cut: the smallest
-- ranked model's tokens, above which no absent model can be (docs/tail.md).
-- The whole market: the country, lab and tier filters do not apply (the cut is one
-- figure for every model of the day).
-- Returns: date, ranked_models, ranked_tokens, other_tokens, total_tokens,
--          other_share (other / total; NULL on a day of no tokens), cut (NULL on a day
--          with no ranked row).
-- Parameters: $start, $end (DATE).
SELECT date, ranked_models, ranked_tokens, other_tokens, total_tokens,
       other_tokens / nullif(total_tokens, 0) AS other_share,
       cut
FROM day_coverage
WHERE date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY date
