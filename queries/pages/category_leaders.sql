-- category_leaders: in each use-case category, the labs with the most tokens in the
-- category estimates over the weeks from $start's week to $end, ranked (ties by lab
-- name), with their share of the category's tokens (all models in the estimates) and
-- the open-weight share of the lab's own tokens there. Top $limit labs per category.
-- A model whose weights opened later (open_weights_since) counts as open from the first
-- week that starts on or after that day, closed before.
-- Returns: category, rank, lab_name, tokens, share, lab_open_share, weeks.
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs,
--             $limit (INTEGER).
WITH rows AS (
    SELECT c.week, c.category, c.total_tokens,
           coalesce(d.lab_name, split_part(c.model_permaslug, '/', 1)) AS lab_name,
           CASE WHEN d.openness = 'open' AND c.week < d.open_weights_since THEN 'closed'
                ELSE coalesce(d.openness, 'unclassified') END AS openness,  -- in force that week
           d.country_code, d.author
    FROM usage_by_category c
    LEFT JOIN dim_model d ON d.model_permaslug = c.model_permaslug
    WHERE c.week BETWEEN CAST(date_trunc('week', CAST($start AS DATE)) AS DATE) AND CAST($end AS DATE)
), totals AS (
    SELECT category, sum(total_tokens) AS category_tokens, count(DISTINCT week) AS weeks
    FROM rows GROUP BY category
), labs AS (
    SELECT category, lab_name, sum(total_tokens) AS tokens,
           coalesce(sum(total_tokens) FILTER (WHERE openness = 'open'), 0)
               / nullif(sum(total_tokens) FILTER (WHERE openness IN ('open', 'closed')), 0) AS lab_open_share
    FROM rows
    WHERE ($openness = 'all' OR openness = $openness)
      AND (len($countries) = 0 OR list_contains($countries, country_code))
      AND (len($labs) = 0 OR list_contains($labs, author))
    GROUP BY category, lab_name
)
SELECT l.category,
       row_number() OVER (PARTITION BY l.category ORDER BY l.tokens DESC, l.lab_name)::INTEGER AS rank,
       l.lab_name, l.tokens::BIGINT AS tokens, l.tokens / t.category_tokens AS share, l.lab_open_share,
       t.weeks::INTEGER AS weeks
FROM labs l
JOIN totals t USING (category)
QUALIFY rank <= $limit
ORDER BY l.category, rank
