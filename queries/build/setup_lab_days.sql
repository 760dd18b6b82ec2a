-- setup_lab_days: each lab's tokens per day (every model of the lab, `other` left out),
-- summed once when the database is built: the launch windows read it instead of grouping
-- the whole usage table on every query.
-- Creates: lab_days(date, lab_name, tokens). Parameters: none.
CREATE TABLE lab_days AS
SELECT f.date, d.lab_name, sum(f.total_tokens) AS tokens
FROM fact_usage f
JOIN dim_model d USING (model_key)
WHERE f.model_key <> 0
GROUP BY f.date, d.lab_name
ORDER BY d.lab_name, f.date
