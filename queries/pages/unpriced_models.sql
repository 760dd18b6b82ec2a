-- unpriced_models: named models with tokens in [$start, $end] under the filters that
-- have no price (prompt or completion price missing), so the spend estimate leaves them
-- out; largest first.
-- Returns: model_permaslug, model_name, lab_name, openness, in_catalogue, tokens.
-- Parameters: $start, $end, $openness ('all' | 'open' | 'closed'), $countries, $labs, $tier.
SELECT model_permaslug, any_value(model_name) AS model_name, any_value(lab_name) AS lab_name,
       any_value(openness) AS openness, any_value(in_catalogue) AS in_catalogue,
       sum(total_tokens)::BIGINT AS tokens
-- any grain sums the same range; by month, whole months come pre-summed
FROM selected_periods($start, $end, 'month', 'named', $countries, $labs, p_tier := $tier)
WHERE ($openness = 'all' OR openness = $openness)
  AND (price_prompt_usd_per_mtok IS NULL OR price_completion_usd_per_mtok IS NULL)
GROUP BY model_permaslug
ORDER BY tokens DESC, model_permaslug
