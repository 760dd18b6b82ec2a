"""The four Data API tables beyond usage (issue 23), each an optional Parquet file of a
snapshot, written by ``refresh --benchmarks --session-cost --tasks --apps`` and carried
over from the previous snapshot when not asked for:

- ``benchmarks.parquet``: Artificial Analysis's indices per model permaslug
  (``GET /benchmarks?source=artificial-analysis``), the latest fetch only. An index is
  NULL when the source has none for the model; prices in USD per million tokens.
- ``session_cost.parquet``: median USD per session by harness (``app_slug``), model and
  turn range (``GET /datasets/session-cost``), over a 30-day window ending
  ``window_end_date``; the latest fetch only.
- ``task_shares.parquet``: per 7-day window (``window_end``) and task tag, the tag's
  shares of classified traffic and one row per listed top model (``model_rank`` 1..N;
  a tag listing no model has one row with ``model_rank`` 0 and no model). One window
  per fetch, kept, so the daily runs build a history.
- ``app_rankings.parquet``: the apps by tokens per fetched ranking (``end_date``,
  ``sort``, ``category``, ``subcategory``; '' = all), kept per fetch like the tasks.

Each row carries its ``fetched_on`` date; each table's ``meta`` block and how it was got
(fetched, carried over, failed) are in the manifest's ``extras`` entry. This module only
names the files and columns (``layout`` lists them among the optional files); the checks
are in ``extra_checks``.
"""

from __future__ import annotations

BENCHMARKS_FILE = "benchmarks.parquet"
SESSION_COST_FILE = "session_cost.parquet"
TASKS_FILE = "task_shares.parquet"
APPS_FILE = "app_rankings.parquet"

BENCHMARKS_COLUMNS = {
    "model_permaslug": "VARCHAR",
    "display_name": "VARCHAR",
    "intelligence_index": "DOUBLE",
    "coding_index": "DOUBLE",
    "agentic_index": "DOUBLE",
    "price_prompt_usd_per_mtok": "DOUBLE",
    "price_completion_usd_per_mtok": "DOUBLE",
    "fetched_on": "DATE",
}
TURN_RANGES = ("1-turn", "2-9-turns", "10-49-turns", "50-plus-turns")
SESSION_COST_COLUMNS = {
    "app_slug": "VARCHAR",
    "app_name": "VARCHAR",
    "model_permaslug": "VARCHAR",
    "turn_range": "VARCHAR",
    "median_session_cost_usd": "DOUBLE",
    "window_days": "BIGINT",
    "window_end_date": "DATE",
    "fetched_on": "DATE",
}
TASKS_COLUMNS = {
    "window_end": "DATE",
    "window_days": "BIGINT",
    "tag": "VARCHAR",
    "display_name": "VARCHAR",
    "macro_category": "VARCHAR",
    "usage_share": "DOUBLE",
    "token_share": "DOUBLE",
    "category_usage_share": "DOUBLE",
    "category_token_share": "DOUBLE",
    "model_rank": "BIGINT",
    "model_permaslug": "VARCHAR",
    "tag_usage_share": "DOUBLE",
    "tag_token_share": "DOUBLE",
    "fetched_on": "DATE",
}
APPS_COLUMNS = {
    "end_date": "DATE",
    "start_date": "DATE",
    "sort": "VARCHAR",
    "category": "VARCHAR",
    "subcategory": "VARCHAR",
    "rank": "BIGINT",
    "app_id": "BIGINT",
    "app_name": "VARCHAR",
    "total_tokens": "BIGINT",
    "total_requests": "BIGINT",
    "fetched_on": "DATE",
}
# file -> (columns, sort keys for a stable write, the validation queries' stem)
EXTRA_TABLES = {
    BENCHMARKS_FILE: (BENCHMARKS_COLUMNS, ("model_permaslug",), "benchmarks"),
    SESSION_COST_FILE: (SESSION_COST_COLUMNS, ("app_slug", "model_permaslug", "turn_range"), "session_cost"),
    TASKS_FILE: (TASKS_COLUMNS, ("window_end", "tag", "model_rank"), "tasks"),
    APPS_FILE: (APPS_COLUMNS, ("end_date", "sort", "category", "subcategory", "rank"), "apps"),
}
EXTRA_FILES = tuple(EXTRA_TABLES)
# the refresh option (and manifest name) of each table
EXTRA_NAMES = {"benchmarks": BENCHMARKS_FILE, "session_cost": SESSION_COST_FILE, "tasks": TASKS_FILE,
               "apps": APPS_FILE}
BENCHMARK_CITATION = "Source: Artificial Analysis (artificialanalysis.ai) via OpenRouter (openrouter.ai/rankings)."


def has_table(snapshot, fname: str) -> bool:
    """Whether a snapshot (``layout.Snapshot``) carries the extra table ``fname``."""
    return fname in snapshot.manifest.get("files", {})
