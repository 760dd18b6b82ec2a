-- compare_summary: what changed between two snapshots opened side by side (views
-- old_usage, new_usage, old_models, new_models): their date ranges, days added and
-- dropped, (date, model) figures restated on the days both cover, and models
-- reclassified (open_weights, the day the weights opened, or author changed), added to or
-- dropped from the catalogue.
-- Returns: one row: old_first, old_last, new_first, new_last, days_added, days_dropped,
--          common_days, restated, restated_tokens_old, restated_tokens_new,
--          reclassified, models_added, models_dropped.
-- Parameters: none.
WITH old_days AS (SELECT DISTINCT date FROM old_usage),
new_days AS (SELECT DISTINCT date FROM new_usage),
common AS (SELECT date FROM old_days INTERSECT SELECT date FROM new_days),
restated AS (
    SELECT o.total_tokens AS old_tokens, n.total_tokens AS new_tokens
    FROM (SELECT * FROM old_usage WHERE date IN (SELECT date FROM common)) o
    FULL OUTER JOIN (SELECT * FROM new_usage WHERE date IN (SELECT date FROM common)) n
         ON o.date = n.date AND o.model_permaslug = n.model_permaslug
    WHERE o.total_tokens IS DISTINCT FROM n.total_tokens
),
old_m AS (SELECT * FROM old_models UNION ALL BY NAME SELECT NULL::DATE AS open_weights_since WHERE false),
new_m AS (SELECT * FROM new_models UNION ALL BY NAME SELECT NULL::DATE AS open_weights_since WHERE false),
reclassified AS (
    SELECT o.model_permaslug
    FROM old_m o JOIN new_m n USING (model_permaslug)
    WHERE o.open_weights IS DISTINCT FROM n.open_weights OR o.author IS DISTINCT FROM n.author
       OR (o.open_weights AND n.open_weights AND o.open_weights_since IS DISTINCT FROM n.open_weights_since)
)
SELECT
    (SELECT min(date) FROM old_days) AS old_first,
    (SELECT max(date) FROM old_days) AS old_last,
    (SELECT min(date) FROM new_days) AS new_first,
    (SELECT max(date) FROM new_days) AS new_last,
    (SELECT count(*) FROM new_days WHERE date NOT IN (SELECT date FROM old_days))::INTEGER AS days_added,
    (SELECT count(*) FROM old_days WHERE date NOT IN (SELECT date FROM new_days))::INTEGER AS days_dropped,
    (SELECT count(*) FROM common)::INTEGER AS common_days,
    (SELECT count(*) FROM restated)::INTEGER AS restated,
    (SELECT coalesce(sum(old_tokens), 0) FROM restated)::BIGINT AS restated_tokens_old,
    (SELECT coalesce(sum(new_tokens), 0) FROM restated)::BIGINT AS restated_tokens_new,
    (SELECT count(*) FROM reclassified)::INTEGER AS reclassified,
    (SELECT count(*) FROM new_models WHERE model_permaslug NOT IN (SELECT model_permaslug FROM old_models))::INTEGER AS models_added,
    (SELECT count(*) FROM old_models WHERE model_permaslug NOT IN (SELECT model_permaslug FROM new_models))::INTEGER AS models_dropped
