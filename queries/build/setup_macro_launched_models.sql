-- setup_macro_launched_models: launched_models(openness, countries, labs) is every model
-- under those filters with its launch day: the first day it appears in the usage data,
-- or its released_at when that is earlier. The one definition of a launch, shared by
-- launches, launch_impact and launch_markers.
-- Creates: macro launched_models. Parameters: none.
CREATE MACRO launched_models(p_openness, p_countries, p_labs) AS TABLE
SELECT d.model_key, d.model_permaslug, d.model_name, d.author, d.lab_name, d.country_code,
       d.openness, d.released_at, m.first_day AS first_seen,
       least(m.first_day, coalesce(d.released_at, m.first_day)) AS launch_day
FROM dim_model d
JOIN model_days m USING (model_key)
WHERE d.model_key <> 0
  AND (p_openness = 'all' OR d.openness = p_openness)
  AND (len(p_countries) = 0 OR list_contains(p_countries, d.country_code))
  AND (len(p_labs) = 0 OR list_contains(p_labs, d.author))
