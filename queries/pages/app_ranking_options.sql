-- app_ranking_options: the app rankings the snapshot keeps (sort, category, subcategory;
-- '' = all) with how many fetches of each end in [$start, $end] and the last one's end.
-- Returns: sort, category, subcategory, fetches, last_end.
-- Page: Apps — the app rankings kept and their fetches
-- Parameters: $start, $end (DATE).
SELECT sort, category, subcategory, count(DISTINCT end_date)::BIGINT AS fetches, max(end_date) AS last_end
FROM app_rankings
WHERE end_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY sort, category, subcategory
ORDER BY sort, category, subcategory
