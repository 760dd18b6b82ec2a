-- launches_before_data: how many models under the filters were already out on the first
-- day of data (launch day on or before it, as in launches.sql): the Launches page's
-- count of launches it cannot measure, without fetching every launch.
-- Returns: one row: before_data (BIGINT).
-- Parameters: $openness ('all' | 'open' | 'closed'), $countries, $labs (lists; empty = all).
SELECT count(*) AS before_data
FROM launched_models($openness, $countries, $labs) l
JOIN launch_facts f USING (model_key)
WHERE NOT f.measured
