-- validate_usage_duplicates: the first (date, model_permaslug) that appears more than once.
-- Returns: at most one row: date, model_permaslug, copies. Parameters: $p.
-- Grouped first on (date, hash of the permaslug), two fixed-width columns, so the big
-- hash table holds no strings (about half the memory at 10M rows); only the candidate
-- (date, hash) pairs are then checked on the permaslug itself, so a hash collision
-- never reports a false duplicate.
WITH candidates AS (
    SELECT date, hash(model_permaslug) AS h
    FROM read_parquet($p)
    GROUP BY ALL
    HAVING count(*) > 1
)
SELECT u.date, u.model_permaslug, count(*) AS copies
FROM read_parquet($p) u
SEMI JOIN candidates c ON c.date = u.date AND c.h = hash(u.model_permaslug)
GROUP BY ALL
HAVING count(*) > 1
ORDER BY date, model_permaslug
LIMIT 1
