-- models_of_labs: the models of the selected labs and countries in the date range, with
-- their tokens, share of their lab's tokens, launch and first day in the data.
-- Returns: model_permaslug, model_name, lab_name, author, country_code, openness,
--          released_at, first_seen, tokens, share_of_lab, peak_day_tokens (its largest
--          day, all its tiers), free_tokens (a
--          model's `:free` variant is part of it: free_tokens of its tokens).
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs,
--             $limit (INTEGER), $tier.
-- Page: Countries — models of the chosen labs
WITH m AS (
    SELECT model_key, any_value(model_permaslug) AS model_permaslug,
           any_value(model_name) AS model_name, any_value(lab_name) AS lab_name,
           any_value(author) AS author, any_value(country_code) AS country_code,
           max(openness) AS openness, any_value(released_at) AS released_at,  -- 'open' once its weights are out
           sum(total_tokens)::BIGINT AS tokens, max(peak_day_tokens)::BIGINT AS peak_day_tokens,
           coalesce(sum(free_tokens), 0)::BIGINT AS free_tokens
    -- any grain sums the same range; by month, whole months come pre-summed
    FROM selected_periods($start, $end, 'month', CASE WHEN $openness = 'all' THEN 'all' ELSE $openness END,
                          $countries, $labs, p_tier := $tier)
    WHERE openness <> 'other'
    GROUP BY model_key
), first_seen AS (
    SELECT model_key, first_day AS first_seen FROM model_days
)
SELECT m.model_permaslug, m.model_name, m.lab_name, m.author, m.country_code, m.openness,
       m.released_at, f.first_seen, m.tokens,
       m.tokens / sum(m.tokens) OVER (PARTITION BY m.lab_name) AS share_of_lab,
       m.peak_day_tokens, m.free_tokens
FROM m LEFT JOIN first_seen f USING (model_key)
ORDER BY m.tokens DESC, m.model_permaslug
LIMIT $limit
