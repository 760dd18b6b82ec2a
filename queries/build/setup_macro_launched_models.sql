-- setup_macro_launched_models: launched_models(openness, countries, labs) is every model
-- under those filters with its launch day: the first day it appears in the usage data,
-- or its released_at when that is earlier. The one definition of a launch, shared by
-- launches, launch_impact and launch_markers. A variant (`:free`, `:extended`, ...) is
-- not a launch of its own: its tokens count under its base model (setup_fact_usage).
-- openness is the classification in force on the launch day (a model whose weights
-- opened later launched closed), and the openness filter uses it.
-- Creates: macro launched_models. Parameters: none.
CREATE MACRO launched_models(p_openness, p_countries, p_labs) AS TABLE
WITH l AS (
    SELECT d.model_key, d.model_permaslug, d.model_name, d.author, d.lab_name, d.country_code,
           d.openness AS openness_now, d.open_weights_since, d.released_at, m.first_day AS first_seen,
           least(m.first_day, coalesce(d.released_at, m.first_day)) AS launch_day
    FROM dim_model d
    JOIN model_days m USING (model_key)
    WHERE d.model_key <> 0
      AND d.base_key = d.model_key
      AND (len(p_countries) = 0 OR list_contains(p_countries, d.country_code))
      AND (len(p_labs) = 0 OR list_contains(p_labs, d.author))
)
SELECT model_key, model_permaslug, model_name, author, lab_name, country_code,
       CASE WHEN openness_now = 'open' AND launch_day < open_weights_since THEN 'closed'
            ELSE openness_now END AS openness,
       released_at, first_seen, launch_day
FROM l
WHERE p_openness = 'all'
   OR (CASE WHEN openness_now = 'open' AND launch_day < open_weights_since THEN 'closed'
            ELSE openness_now END) = p_openness
