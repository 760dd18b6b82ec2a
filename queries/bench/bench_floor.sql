-- bench_floor: the benchmark's floor, the least work any weekly view can do: the
-- usage table's tokens summed by ISO week, with no joins and no filters.
-- Returns: period (week start), tokens. Parameters: none.
SELECT CAST(date_trunc('week', date) AS DATE) AS period, sum(total_tokens)::BIGINT AS tokens
FROM fact_usage
GROUP BY 1
ORDER BY 1
