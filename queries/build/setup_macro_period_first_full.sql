-- setup_macro_period_first_full: period_first_full(start, grain) is the first day of the
-- first period (day / ISO week / month) that lies wholly on or after `start`. The days
-- from `start` up to it are the edge of a date range that cuts a period.
-- Creates: macro period_first_full. Parameters: none.
CREATE MACRO period_first_full(p_start, p_grain) AS
    CASE WHEN CAST(date_trunc(p_grain, CAST(p_start AS DATE)) AS DATE) = CAST(p_start AS DATE)
         THEN CAST(p_start AS DATE)
         ELSE period_last_day(date_trunc(p_grain, CAST(p_start AS DATE)), p_grain) + 1 END
