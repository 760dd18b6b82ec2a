-- category_list: the use-case categories in the snapshot's category estimates, with
-- their tokens (largest first) and first and last week.
-- Returns: category, tokens, first_week, last_week. Parameters: none.
SELECT category, sum(total_tokens)::BIGINT AS tokens, min(week) AS first_week, max(week) AS last_week
FROM usage_by_category
GROUP BY category
ORDER BY tokens DESC, category
