-- compare_reclassified: models whose classification changed between two snapshots:
-- open_weights (open / closed / unknown), its basis, the day the weights opened
-- (open_weights_since, change 'open since': the days counted open moved), or the author
-- (lab); and models only one catalogue has (change = 'added' or 'dropped'). Views
-- old_models, new_models (open_weights_since is optional: missing reads as NULL).
-- Returns: model_permaslug, name, change, old_weights, new_weights, old_basis,
--          new_basis, old_author, new_author, old_since, new_since.
-- Parameters: none.
WITH o AS (
    SELECT * FROM old_models UNION ALL BY NAME SELECT NULL::DATE AS open_weights_since WHERE false
), n AS (
    SELECT * FROM new_models UNION ALL BY NAME SELECT NULL::DATE AS open_weights_since WHERE false
), j AS (
    SELECT coalesce(o.model_permaslug, n.model_permaslug) AS model_permaslug,
           coalesce(n.name, o.name) AS name,
           o.model_permaslug IS NULL AS is_added, n.model_permaslug IS NULL AS is_dropped,
           o.open_weights AS ow, n.open_weights AS nw,
           o.open_weights_basis AS old_basis, n.open_weights_basis AS new_basis,
           o.author AS old_author, n.author AS new_author,
           o.open_weights_since AS old_since, n.open_weights_since AS new_since
    FROM o
    FULL OUTER JOIN n USING (model_permaslug)
)
SELECT model_permaslug, name,
       CASE WHEN is_added THEN 'added'
            WHEN is_dropped THEN 'dropped'
            WHEN ow IS DISTINCT FROM nw AND old_author IS DISTINCT FROM new_author THEN 'weights and author'
            WHEN ow IS DISTINCT FROM nw THEN 'weights'
            WHEN old_author IS DISTINCT FROM new_author THEN 'author'
            ELSE 'open since' END AS change,
       CASE WHEN ow THEN 'open' WHEN NOT ow THEN 'closed' WHEN NOT is_added THEN 'unknown' END AS old_weights,
       CASE WHEN nw THEN 'open' WHEN NOT nw THEN 'closed' WHEN NOT is_dropped THEN 'unknown' END AS new_weights,
       old_basis, new_basis, old_author, new_author, old_since, new_since
FROM j
WHERE is_added OR is_dropped OR ow IS DISTINCT FROM nw OR old_author IS DISTINCT FROM new_author
   OR (ow AND nw AND old_since IS DISTINCT FROM new_since)
ORDER BY CASE WHEN is_added OR is_dropped THEN 1 ELSE 0 END, model_permaslug
