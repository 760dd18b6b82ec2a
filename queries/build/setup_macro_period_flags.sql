-- setup_macro_period_flags: period_flags(start, end, grain) lists every period that
-- overlaps the data inside [start, end], with its first and last day and is_partial:
-- true when the period starts before the first day of data in range or ends after the
-- last one (an incomplete week or month at either edge).
-- Creates: macro period_flags. Parameters: none.
CREATE MACRO period_flags(p_start, p_end, p_grain) AS TABLE
WITH data AS (
    SELECT min(date) AS first_day, max(date) AS last_day FROM fact_usage
), bounds AS (
    SELECT greatest(CAST(p_start AS DATE), first_day) AS lo,
           least(CAST(p_end AS DATE), last_day) AS hi
    FROM data
), periods AS (
    SELECT DISTINCT CAST(date_trunc(p_grain, CAST(g.d AS DATE)) AS DATE) AS period, b.lo, b.hi
    FROM bounds b, generate_series(b.lo, b.hi, INTERVAL 1 DAY) AS g(d)
    WHERE b.lo <= b.hi
)
SELECT period,
       period_last_day(period, p_grain) AS period_end,
       period < lo OR period_last_day(period, p_grain) > hi AS is_partial
FROM periods
