-- setup_day_coverage: per day, what the Data API's ranked list covers and where it cuts
-- (docs/tail.md). Read from the raw usage rows, one per permaslug, because the API ranks
-- permaslugs (a `:free` variant is an entry of its own), not base models.
--   ranked_models: the day's ranked rows (every row but `other`);
--   ranked_tokens: their tokens; other_tokens: the `other` row's (0 when the day has
--     none: the tail was empty, so an absent model had no tokens that day);
--   total_tokens: ranked + other, every token of the day;
--   cut: the smallest ranked row's tokens. A model absent that day had at most the cut
--     (fewer, except for a tie broken alphabetically) and the absent models together
--     had exactly other_tokens.
-- Creates: day_coverage(date, ranked_models, ranked_tokens, other_tokens, total_tokens,
--          cut). Parameters: none.
CREATE TABLE day_coverage AS
SELECT date,
       count(*) FILTER (WHERE model_permaslug <> 'other')::INTEGER AS ranked_models,
       coalesce(sum(total_tokens) FILTER (WHERE model_permaslug <> 'other'), 0)::BIGINT AS ranked_tokens,
       coalesce(sum(total_tokens) FILTER (WHERE model_permaslug = 'other'), 0)::BIGINT AS other_tokens,
       sum(total_tokens)::BIGINT AS total_tokens,
       min(total_tokens) FILTER (WHERE model_permaslug <> 'other')::BIGINT AS cut
FROM usage
GROUP BY date
ORDER BY date
