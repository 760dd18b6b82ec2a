-- setup_macro_period_last_day: period_last_day(period, grain) is the last calendar day
-- of a day / ISO week (Monday start) / month period.
-- Creates: macro period_last_day. Parameters: none.
CREATE MACRO period_last_day(p_period, p_grain) AS
    CASE p_grain
        WHEN 'day' THEN CAST(p_period AS DATE)
        WHEN 'week' THEN CAST(p_period AS DATE) + 6
        ELSE CAST(CAST(p_period AS DATE) + INTERVAL 1 MONTH AS DATE) - 1
    END
