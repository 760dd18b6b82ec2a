-- value_models: one row per named model (open or closed) with tokens in [$start, $end]:
-- its tokens (base model with its `:free` variant, the tier filter applied), the days it
-- was ranked (in the daily top 50) and the days it was live (days with data on or after
-- its live_from: the catalogue's release date, or its first day in usage if earlier, as
-- in docs/tail.md), whether it is in the focus
-- ($countries / $labs; never when neither is set), its benchmark score on $index
-- ('intelligence' | 'coding' | 'agentic'; NULL when the model has no benchmark row or
-- the row has no such index) and its blended price in USD per million tokens:
-- $prompt_share x prompt price + (1 - $prompt_share) x completion price, from the
-- catalogue (models.parquet), else from the benchmark row's own pricing (NULL when
-- neither has both prices). A benchmark row matches the model by permaslug, else by the
-- catalogue id (an exact permaslug wins). Tokens count only the days a model was
-- ranked: the tail outside the top 50 is not attributed (docs/tail.md).
-- Returns: model_permaslug, model_name, lab_name, author, country_code, openness,
--          tokens, ranked_days, live_days, in_focus, has_benchmark, score, price, price_from
--          ('catalogue' | 'benchmark' | NULL).
-- Parameters: $start, $end (DATE), $openness ('all' | 'open' | 'closed'), $countries,
--             $labs, $tier, $index, $prompt_share (DOUBLE, 0-1).
WITH sel AS (
    SELECT model_key, model_permaslug, model_name, lab_name, author, country_code, released_at,
           arg_max(openness, period) AS openness,  -- the openness in force at the end of the range
           price_prompt_usd_per_mtok AS p, price_completion_usd_per_mtok AS c,
           sum(total_tokens)::BIGINT AS tokens
    FROM selected_periods($start, $end, 'month', 'named', [], [], p_tier := $tier)
    GROUP BY model_key, model_permaslug, model_name, lab_name, author, country_code, released_at, p, c
), ranked AS (
    SELECT model_key,
           count(DISTINCT date) FILTER (WHERE date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE))::INTEGER
               AS ranked_days,
           min(date) AS first_day
    FROM fact_usage
    WHERE total_tokens > 0
    GROUP BY model_key
), matched AS (
    SELECT s.model_key, b.*, b.model_permaslug = s.model_permaslug AS exact
    FROM sel s
    LEFT JOIN models m ON m.model_permaslug = s.model_permaslug
    JOIN benchmarks b ON b.model_permaslug = s.model_permaslug OR b.model_permaslug = m.model_id
    QUALIFY row_number() OVER (PARTITION BY s.model_key ORDER BY exact DESC, b.model_permaslug) = 1
)
SELECT s.model_permaslug, s.model_name, s.lab_name, s.author, s.country_code, s.openness, s.tokens,
       coalesce(r.ranked_days, 0) AS ranked_days,
       (SELECT count(*) FROM day_coverage dc
        WHERE dc.date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
          AND dc.date >= coalesce(least(s.released_at, r.first_day), r.first_day))::INTEGER AS live_days,
       (len($countries) > 0 OR len($labs) > 0)
           AND (len($countries) = 0 OR list_contains($countries, s.country_code))
           AND (len($labs) = 0 OR list_contains($labs, s.author)) AS in_focus,
       b.model_key IS NOT NULL AS has_benchmark,
       CASE $index WHEN 'intelligence' THEN b.intelligence_index WHEN 'coding' THEN b.coding_index
                   WHEN 'agentic' THEN b.agentic_index END AS score,
       CASE WHEN s.p IS NOT NULL AND s.c IS NOT NULL THEN $prompt_share * s.p + (1 - $prompt_share) * s.c
            ELSE $prompt_share * b.price_prompt_usd_per_mtok + (1 - $prompt_share) * b.price_completion_usd_per_mtok
            END AS price,
       CASE WHEN s.p IS NOT NULL AND s.c IS NOT NULL THEN 'catalogue'
            WHEN b.price_prompt_usd_per_mtok IS NOT NULL AND b.price_completion_usd_per_mtok IS NOT NULL
            THEN 'benchmark' END AS price_from
FROM sel s
LEFT JOIN ranked r USING (model_key)
LEFT JOIN matched b USING (model_key)
WHERE s.tokens > 0 AND ($openness = 'all' OR s.openness = $openness)
ORDER BY s.tokens DESC, s.model_permaslug
