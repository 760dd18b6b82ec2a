-- tail_catalogue: every entry the Data API can rank (each permaslug of the catalogue or
-- of the usage rows; `other` left out), with the groups the bounds are stated for and
-- live_from, the first day it can have had tokens (docs/tail.md):
--   the catalogue's release day (`created`), or its first day in usage when that is
--   earlier; NULL for a model the catalogue does not list (retired: when it went live is
--   not known, so the bounds treat it as live on every day, which only widens them).
-- Returns: model_permaslug, base_permaslug, model_name, author, lab_name, country_code,
--          country_name, openness (the catalogue's: open, closed or unclassified),
--          open_weights_since (an open model counts as closed before it), live_from.
-- Parameters: none.
WITH first_seen AS (
    SELECT model_permaslug, min(date) AS first_day
    FROM usage
    WHERE model_permaslug <> 'other'
    GROUP BY model_permaslug
)
SELECT d.model_permaslug, d.base_permaslug, d.model_name, d.author, d.lab_name,
       d.country_code, d.country_name, d.openness, d.open_weights_since,
       CASE WHEN d.released_at IS NULL THEN NULL
            WHEN f.first_day IS NULL THEN CAST(d.released_at AS DATE)
            ELSE least(CAST(d.released_at AS DATE), f.first_day) END AS live_from
FROM dim_model d
LEFT JOIN first_seen f USING (model_permaslug)
WHERE d.model_key <> 0
ORDER BY d.model_permaslug
