"""The Share page: its headline on the tiny snapshot (worked by hand) and on the sample
(recomputed independently from its files), with a country filter, and its launch markers."""

from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from tests.apptest import chart_row_counts, metric
from tests.pages.apprun import run_app, assert_clean, APP, ROOT


def test_share_headline_on_tiny(on_tiny):
    at = run_app()
    assert_clean(at)
    assert metric(at, "Open-weight share") == "62.0%"  # W3: 310 / 500, W4 is incomplete
    assert metric(at, "Open first passed closed") == "week of 12 Jan 2026"
    rows = chart_row_counts(at)
    assert len(rows) == 2
    # open share per week: 4 periods, the 50% rule and the incomplete-week band;
    # share by openness: 4 periods x 2 series, plus the band
    assert rows == [4 + 1 + 1, 4 * 2 + 1], rows


def test_share_with_country_filter(on_tiny):
    at = run_app({"country": "US"})
    assert_clean(at)
    # US in W3: open 20 + 30 = 50 a day, closed 150: 25.0%
    assert metric(at, "Open-weight share") == "25.0%"


def independent_open_share_last_full_week(sample: Path):
    """Open-weight share of named volume in the last complete ISO week, straight from
    the Parquet files with one hand-written query (no app code)."""
    con = duckdb.connect()
    return con.execute(
        """
        WITH u AS (SELECT * FROM read_parquet($u)), m AS (SELECT * FROM read_parquet($m)),
        last_week AS (
            SELECT date_trunc('week', max(date))::DATE AS wk, max(date) AS last_day FROM u
        ), wk AS (
            -- the last week that ends on or before the last day of data
            SELECT CASE WHEN last_day = wk + 6 THEN wk ELSE wk - 7 END AS wk FROM last_week
        )
        SELECT sum(total_tokens) FILTER (WHERE m.open_weights)
               / sum(total_tokens) FILTER (WHERE m.open_weights IS NOT NULL)
        FROM u JOIN m USING (model_permaslug), wk
        WHERE u.date BETWEEN wk.wk AND wk.wk + 6
        """,
        {"u": str(sample / "usage.parquet"), "m": str(sample / "models.parquet")},
    ).fetchone()[0]


def test_sample_headline_equals_independent_computation(on_sample):
    expected = independent_open_share_last_full_week(ROOT / "sample_data")
    at = run_app()
    assert_clean(at)
    assert metric(at, "Open-weight share") == f"{100 * expected:.1f}%"
    assert abs(expected - 0.691) <= 0.01


def test_launch_markers_on_the_share_page(on_snapshot, launch_snapshot):
    on_snapshot(launch_snapshot)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["markers"] = "true"
    at.run()
    assert not at.exception
    assert at.toggle(key="markers").value is True
    import json
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    rules = [lyr for lyr in spec["layer"] if isinstance(lyr.get("mark"), dict) and lyr["mark"].get("type") == "rule"
             and lyr["mark"].get("strokeDash") == [3, 3]]
    assert rules, "launch markers are layered on the open-share line"
