-- tail_usage_rows: the usage rows of a date range exactly as the Data API ranked them:
-- one row per (date, permaslug), a `:free` or other variant as an entry of its own, and
-- the day's `other` row. The input of the censored bounds (tokenshare/analysis/tail.py,
-- entry_days), which needs the entries the API ranked, not the base models the fact
-- tables sum them into.
-- Returns: date, model_permaslug, total_tokens.
-- Parameters: $start, $end (DATE).
SELECT date, model_permaslug, total_tokens
FROM usage
WHERE date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY date, total_tokens DESC, model_permaslug
