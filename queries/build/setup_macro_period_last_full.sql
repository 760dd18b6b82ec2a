-- setup_macro_period_last_full: period_last_full(end, grain) is the last day of the last
-- period (day / ISO week / month) that lies wholly on or before `end`. The days after it
-- up to `end` are the edge of a date range that cuts a period. When no period fits
-- wholly inside a range, period_first_full(start) > period_last_full(end).
-- Creates: macro period_last_full. Parameters: none.
CREATE MACRO period_last_full(p_end, p_grain) AS
    CASE WHEN period_last_day(date_trunc(p_grain, CAST(p_end AS DATE)), p_grain) = CAST(p_end AS DATE)
         THEN CAST(p_end AS DATE)
         ELSE CAST(date_trunc(p_grain, CAST(p_end AS DATE)) AS DATE) - 1 END
