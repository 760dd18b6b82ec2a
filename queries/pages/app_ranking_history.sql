-- app_ranking_history: every kept fetch of one app ranking ($sort, $category,
-- $subcategory; '' = all) whose window ends in [$start, $end]: each listed app's rank,
-- tokens, requests and tokens per request (NULL without requests) over the fetch's window.
-- Returns: end_date, start_date, rank, app_id, app_name, total_tokens, total_requests,
--          tokens_per_request.
-- Parameters: $sort, $category, $subcategory (VARCHAR), $start, $end (DATE).
SELECT end_date, start_date, rank, app_id, app_name, total_tokens, total_requests,
       total_tokens / nullif(total_requests, 0) AS tokens_per_request
FROM app_rankings
WHERE sort = $sort AND category = $category AND subcategory = $subcategory
  AND end_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY end_date, rank
