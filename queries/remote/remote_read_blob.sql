-- remote_read_blob: the bytes of one file of a published snapshot, read by DuckDB (for
-- s3:// URLs, through the httpfs extension).
-- Returns: content (BLOB). Parameters: $url.
SELECT content FROM read_blob($url)
