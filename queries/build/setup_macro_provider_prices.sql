-- setup_macro_provider_prices: provider_prices(pricing, rank_prompt_share) gives, per
-- model in model_endpoints, the provider price the Spend queries use for open-weight
-- tokens: 'cheapest', the first endpoint by blended price at rank_prompt_share (prompt
-- share s: s x prompt + (1 - s) x completion; no cache; ties by endpoint_tag); 'median',
-- the middle one (the mean of the two middle ones' prices for an even count);
-- 'catalogue', no rows. Free endpoints (no prompt and no completion price) are left out:
-- a free endpoint is no price. Returns: model_permaslug, prov_p (prompt), prov_c
-- (completion), prov_k (cache read, the prompt price where the endpoint has none),
-- prov_has_k (every chosen endpoint has a cache-read price); USD per million tokens.
-- Creates: macro provider_prices. Parameters: none.
CREATE MACRO provider_prices(p_pricing, p_rank_prompt_share) AS TABLE
WITH prov AS (
    SELECT model_permaslug, price_prompt_usd_per_mtok AS pp, price_completion_usd_per_mtok AS pc,
           coalesce(price_input_cache_read_usd_per_mtok, price_prompt_usd_per_mtok) AS pk,
           price_input_cache_read_usd_per_mtok IS NOT NULL AS has_pk,
           row_number() OVER (PARTITION BY model_permaslug ORDER BY p_rank_prompt_share * price_prompt_usd_per_mtok
               + (1 - p_rank_prompt_share) * price_completion_usd_per_mtok, endpoint_tag) AS rn,
           count(*) OVER (PARTITION BY model_permaslug) AS n
    FROM model_endpoints
    WHERE price_prompt_usd_per_mtok > 0 OR price_completion_usd_per_mtok > 0
)
SELECT model_permaslug, avg(pp) AS prov_p, avg(pc) AS prov_c, avg(pk) AS prov_k, bool_and(has_pk) AS prov_has_k
FROM prov
WHERE (p_pricing = 'cheapest' AND rn = 1) OR (p_pricing = 'median' AND rn IN ((n + 1) // 2, (n + 2) // 2))
GROUP BY model_permaslug
