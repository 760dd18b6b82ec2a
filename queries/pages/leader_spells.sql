-- leader_spells: each unbroken spell a lab held #1 in tokens per period (same ranking
-- as lab_ranks), with its first and last day and its length in periods. The number of
-- lead changes is the number of spells minus one. Its days are the data's: from_day and
-- to_day are clipped to the days of data inside [$start, $end] (the first spell does not
-- start on the Monday before the data's first day, nor the current one end on the Sunday
-- after its last); first_partial / last_partial say that its first or last period is cut.
-- Returns: spell, lab_name, from_period, from_day, to_day, periods, is_current, first_partial,
-- last_partial.
-- Parameters: $start, $end, $grain, $scope ('open' | 'all'), $countries, $labs, $tier.
-- Page: Race — spells at #1
WITH lab_tokens AS (
    SELECT period, lab_name, sum(total_tokens) AS tokens
    FROM selected_periods($start, $end, $grain, CASE WHEN $scope = 'open' THEN 'open' ELSE 'named' END,
                        $countries, $labs, p_tier := $tier)
    GROUP BY period, lab_name
    HAVING sum(total_tokens) > 0
), leaders AS (
    SELECT period, lab_name
    FROM lab_tokens
    QUALIFY row_number() OVER (PARTITION BY period ORDER BY tokens DESC, lab_name) = 1
), marked AS (
    SELECT period, lab_name,
           CASE WHEN lab_name IS DISTINCT FROM lag(lab_name) OVER (ORDER BY period) THEN 1 ELSE 0 END AS starts
    FROM leaders
), bounds AS (
    -- the days of data inside the range (what period_flags calls lo and hi)
    SELECT greatest(CAST($start AS DATE), min(date)) AS lo, least(CAST($end AS DATE), max(date)) AS hi
    FROM fact_usage
), numbered AS (
    SELECT period, lab_name, sum(starts) OVER (ORDER BY period) AS spell
    FROM marked
)
SELECT spell::INTEGER AS spell,
       any_value(lab_name) AS lab_name,
       min(period) AS from_period,
       greatest(min(period), any_value(b.lo)) AS from_day,
       least(period_last_day(max(period), $grain), any_value(b.hi)) AS to_day,
       count(*)::INTEGER AS periods,
       spell = max(spell) OVER () AS is_current,
       min(period) < any_value(b.lo) AS first_partial,
       period_last_day(max(period), $grain) > any_value(b.hi) AS last_partial
FROM numbered, bounds b
GROUP BY spell
ORDER BY spell
