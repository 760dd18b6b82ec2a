-- category_open_share: per use-case category and week, the open-weight and closed tokens
-- of the category estimates (usage_by_category) and the open-weight share of their named
-- volume. Weeks overlapping [$start, $end]; a week reaching outside the usage data's days
-- is flagged is_partial. Models missing from the catalogue count as unclassified.
-- A model whose weights opened later (open_weights_since) counts as open from the first
-- week that starts on or after that day, closed before.
-- Returns: period (week start), period_end, is_partial, category, open_tokens,
--          closed_tokens, named_tokens, unclassified_tokens, open_share.
-- Parameters: $start, $end, $countries, $labs (lists; empty = all).
WITH bounds AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM fact_usage
), rows AS (
    SELECT c.week, c.category, c.total_tokens, CASE WHEN d.openness = 'open' AND c.week < d.open_weights_since THEN 'closed'
                ELSE coalesce(d.openness, 'unclassified') END AS openness  -- in force that week
    FROM usage_by_category c
    LEFT JOIN dim_model d ON d.model_permaslug = c.model_permaslug
    WHERE c.week BETWEEN CAST(date_trunc('week', CAST($start AS DATE)) AS DATE) AND CAST($end AS DATE)
      AND (len($countries) = 0 OR list_contains($countries, d.country_code))
      AND (len($labs) = 0 OR list_contains($labs, d.author))
)
SELECT r.week AS period, r.week + 6 AS period_end,
       r.week < b.first_day OR r.week + 6 > b.last_day AS is_partial,
       r.category,
       coalesce(sum(r.total_tokens) FILTER (WHERE r.openness = 'open'), 0)::BIGINT AS open_tokens,
       coalesce(sum(r.total_tokens) FILTER (WHERE r.openness = 'closed'), 0)::BIGINT AS closed_tokens,
       coalesce(sum(r.total_tokens) FILTER (WHERE r.openness IN ('open', 'closed')), 0)::BIGINT AS named_tokens,
       coalesce(sum(r.total_tokens) FILTER (WHERE r.openness = 'unclassified'), 0)::BIGINT AS unclassified_tokens,
       coalesce(sum(r.total_tokens) FILTER (WHERE r.openness = 'open'), 0)
           / nullif(sum(r.total_tokens) FILTER (WHERE r.openness IN ('open', 'closed')), 0) AS open_share
FROM rows r
CROSS JOIN bounds b
GROUP BY r.week, r.category, b.first_day, b.last_day
ORDER BY r.week, r.category
