"""The sample's four extra tables (issue 23): present, labelled synthetic, and shaped as
the published examples are (checked here by recomputing their sums, not by reading the
generator's figures back)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tokenshare.data.snapshot.extra_tables import APPS_FILE, BENCHMARKS_FILE, SESSION_COST_FILE, TASKS_FILE
from tokenshare.data.snapshot.validate import load_snapshot

SAMPLE = Path(__file__).resolve().parent.parent.parent / "sample_data"


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def q(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_the_four_tables_are_in_the_sample_and_labelled_synthetic():
    s = load_snapshot(SAMPLE)
    assert s.synthetic
    for name, f in (("benchmarks", BENCHMARKS_FILE), ("session_cost", SESSION_COST_FILE), ("tasks", TASKS_FILE),
                    ("apps", APPS_FILE)):
        assert f in s.manifest["files"] and s.manifest["files"][f]["rows"] > 0
        assert s.manifest["extras"][name]["synthetic"] is True
        assert "not OpenRouter data" in s.manifest["extras"][name]["meta"]["note"]


def test_benchmarks_name_models_of_the_sample_and_leave_some_unscored(con):
    p, m = str(SAMPLE / BENCHMARKS_FILE), str(SAMPLE / "models.parquet")
    (unknown,), = q(con, "SELECT count(*) FROM read_parquet(?) b ANTI JOIN read_parquet(?) m USING (model_permaslug)", p, m)
    assert unknown == 0
    (opens, closeds), = q(con, "SELECT count(*) FILTER (m.open_weights), count(*) FILTER (NOT m.open_weights) "
                              "FROM read_parquet(?) b JOIN read_parquet(?) m USING (model_permaslug)", p, m)
    assert opens >= 5 and closeds >= 5
    (null_coding,), = q(con, "SELECT count(*) FROM read_parquet(?) WHERE coding_index IS NULL", p)
    assert null_coding >= 1


def test_session_cost_grows_with_the_turn_range(con):
    p = str(SAMPLE / SESSION_COST_FILE)
    assert q(con, "SELECT count(DISTINCT app_slug), count(DISTINCT turn_range) FROM read_parquet(?)", p) == [(6, 4)]
    # per harness and model, the 50+ turn median beats the 1-turn median
    (worse,), = q(con, """SELECT count(*) FROM (SELECT app_slug, model_permaslug,
        max(median_session_cost_usd) FILTER (turn_range = '1-turn') AS one,
        max(median_session_cost_usd) FILTER (turn_range = '50-plus-turns') AS many
        FROM read_parquet(?) GROUP BY ALL) WHERE many <= one""", p)
    assert worse == 0


def test_task_windows_are_kept_and_category_shares_add_up(con):
    p = str(SAMPLE / TASKS_FILE)
    assert q(con, "SELECT count(DISTINCT window_end) FROM read_parquet(?)", p) == [(6,)]
    sums = q(con, """SELECT window_end, macro_category, sum(category_token_share) FROM
        (SELECT DISTINCT window_end, tag, macro_category, category_token_share FROM read_parquet(?)) GROUP BY ALL""", p)
    assert all(abs(s - 1) < 0.002 for _, _, s in sums)
    tops = q(con, "SELECT window_end, tag, sum(tag_token_share) FROM read_parquet(?) GROUP BY ALL", p)
    assert all(0 < s <= 1 for _, _, s in tops)


def test_app_rankings_keep_four_fetches_of_ten_rankings(con):
    p = str(SAMPLE / APPS_FILE)
    assert q(con, "SELECT count(DISTINCT end_date), count(DISTINCT (sort, category)) FROM read_parquet(?)", p) == [(4, 10)]
    # trending per category: only the category's apps, each with the same tokens and requests as in the
    # category's popular ranking of the same fetch
    (stray,), = q(con, """SELECT count(*) FROM read_parquet(?) t WHERE t.sort = 'trending' AND t.category <> ''
        AND NOT EXISTS (SELECT 1 FROM read_parquet(?) p WHERE p.sort = 'popular' AND p.category = t.category
                        AND p.end_date = t.end_date AND p.app_id = t.app_id AND p.total_tokens = t.total_tokens
                        AND p.total_requests = t.total_requests)""", p, p)
    assert stray == 0
    # popular: ranks follow tokens
    (bad,), = q(con, """SELECT count(*) FROM (SELECT total_tokens < lead(total_tokens) OVER
        (PARTITION BY end_date, sort, category ORDER BY rank) AS out_of_order FROM read_parquet(?)
        WHERE sort = 'popular') WHERE out_of_order""", p)
    assert bad == 0
