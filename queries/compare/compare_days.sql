-- compare_days: the days one snapshot has and the other does not, with how many rows
-- and tokens each holds there (status 'added' = only in the new snapshot, 'dropped' =
-- only in the old one). Views old_usage, new_usage.
-- Returns: date, status, models, tokens. Parameters: none.
SELECT date, 'added' AS status, count(*)::INTEGER AS models, sum(total_tokens)::BIGINT AS tokens
FROM new_usage
WHERE date NOT IN (SELECT DISTINCT date FROM old_usage)
GROUP BY date
UNION ALL
SELECT date, 'dropped', count(*)::INTEGER, sum(total_tokens)::BIGINT
FROM old_usage
WHERE date NOT IN (SELECT DISTINCT date FROM new_usage)
GROUP BY date
ORDER BY date
