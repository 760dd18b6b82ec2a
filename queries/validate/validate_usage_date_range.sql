-- validate_usage_date_range: the first usage row dated outside the manifest's range.
-- Returns: at most one row. Parameters: $p, $start (DATE), $end (DATE).
SELECT * FROM read_parquet($p)
WHERE date < CAST($start AS DATE) OR date > CAST($end AS DATE)
ORDER BY date, model_permaslug
LIMIT 1
