-- validate_token_total: the sum of a Parquet file's total_tokens, exactly (HUGEINT), so a
-- total past the largest BIGINT is seen before any page sums it.
-- Returns: one row, total (NULL for a file with no rows). Parameters: $p (path of the Parquet file).
SELECT sum(total_tokens::HUGEINT) AS total FROM read_parquet($p)
