"""No chart sends more than 5,000 data points to the browser, on any page, at the widest
settings a URL can ask for (grain=day over the whole range, breakdown by model, top 25,
all volume, all labs), on the bundled sample and on a scaled synthetic snapshot.

Streamlit moves an Altair chart's data out of the Vega-Lite spec into Arrow datasets
beside it, so the points are counted there (tokenshare.app.charts.budget.chart_points), not in the
spec's own ``datasets`` (which Streamlit leaves empty)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tokenshare.app import state
from benchmarks.common import discover_pages
from tokenshare.app.charts.budget import CHART_POINT_BUDGET, chart_grain, chart_points, periods_in
from tokenshare.data.sample.make import generate_sample

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = list(dict.fromkeys(p["path"] for p in discover_pages()))
WIDEST = {"grain": "day", "top": "25", "by": "model", "volume": "all", "scope": "all"}


@pytest.fixture(autouse=True)
def validated_charts(monkeypatch):
    """The app skips Altair's schema checks (tokenshare/app/charts/finished.py); here every
    chart of every page is checked against the Vega-Lite schema again, so a broken spec
    fails."""
    from tokenshare.app.charts import finished

    monkeypatch.setenv("TOKENSHARE_VALIDATE_CHARTS", "1")
    finished.follow_schema_setting()
    yield
    monkeypatch.delenv("TOKENSHARE_VALIDATE_CHARTS")
    finished.follow_schema_setting()


@pytest.fixture(scope="module")
def scaled_snapshot(tmp_path_factory):
    return generate_sample(tmp_path_factory.mktemp("scaled") / "scale-5", scale=5)


def _charts(at) -> list[tuple[str, int]]:
    out = []
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        title = spec.get("title") or spec.get("mark") or next(iter(spec.get("encoding", {})), "") or "chart"
        out.append((str(title)[:40], chart_points(c.proto)))
    return out


def _visit_every_page(extra: dict) -> dict[str, list[tuple[str, int]]]:
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in {**WIDEST, **extra}.items():
        at.query_params[k] = v
    at.run()
    seen = {}
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        seen[page] = _charts(at)
    return seen


def _assert_within_budget(seen: dict) -> None:
    over = {page: [c for c in charts if c[1] > CHART_POINT_BUDGET] for page, charts in seen.items()}
    over = {p: c for p, c in over.items() if c}
    assert not over, f"charts over {CHART_POINT_BUDGET:,} points: {over}"
    assert any(charts for charts in seen.values()), "no chart was drawn at all"


@pytest.mark.parametrize("extra", [{}, {"country": "US"}], ids=["all-countries", "country-US"])
def test_sample_charts_stay_within_the_budget(monkeypatch, tmp_path, extra):
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "no-snapshots")
    _assert_within_budget(_visit_every_page(extra))


@pytest.mark.parametrize("extra", [{}, {"country": "US"}], ids=["all-countries", "country-US"])
def test_scaled_snapshot_charts_stay_within_the_budget(monkeypatch, scaled_snapshot, extra):
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(scaled_snapshot.path))
    _assert_within_budget(_visit_every_page(extra))


def test_a_coarsened_chart_says_so(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "no-snapshots")
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in WIDEST.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert any(c.value.startswith("Drawn by week:") for c in at.caption), [c.value for c in at.caption]


def test_a_day_grain_that_fits_is_kept(monkeypatch, tmp_path):
    # 8 weeks of days by openness: 56 days x 4 series = 224 points, drawn by day
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "no-snapshots")
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in {"grain": "day", "start": "2026-09-28", "end": "2026-11-22", "volume": "all"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    assert not any(c.value.startswith("Drawn by") for c in at.caption)
    area = max(chart_points(c.proto) for c in at.get("vega_lite_chart"))
    assert area >= 56 * 2


def test_periods_and_grain_choice():
    start, end = dt.date(2025, 1, 1), dt.date(2026, 11, 22)
    assert periods_in(start, end, "day") == 691
    assert periods_in(start, end, "week") == 99  # Mon 30 Dec 2024 .. Mon 16 Nov 2026
    assert periods_in(start, end, "month") == 23
    assert chart_grain(start, end, "day", 7) == "day"  # 691 x 7 = 4,837
    assert chart_grain(start, end, "day", 8) == "week"
    assert chart_grain(start, end, "day", 28) == "week"
    assert chart_grain(start, end, "week", 60) == "month"
    assert chart_grain(start, end, "month", 10_000) == "month"  # nothing coarser
    assert chart_grain(dt.date(2026, 1, 5), dt.date(2026, 1, 11), "day", 28) == "day"


def test_charts_of_points_have_their_own_budget():
    """Lines with a symbol per period (Share's free-tier lines, Data's coverage charts)
    are drawn by week once periods x series would pass POINT_MARK_BUDGET (1,000)."""
    from tokenshare.app.charts.budget import POINT_MARK_BUDGET, coarsened_note

    start, end = dt.date(2025, 1, 1), dt.date(2026, 11, 22)
    assert POINT_MARK_BUDGET == 1000
    assert chart_grain(start, end, "day", 1, POINT_MARK_BUDGET) == "day"  # 691 x 1
    assert chart_grain(start, end, "day", 2, POINT_MARK_BUDGET) == "week"  # 691 x 2 = 1,382
    # 2026-01-01 to 2026-05-15: 31 + 28 + 31 + 30 + 15 = 135 days; from 2025-01-01, 365 more
    assert periods_in(dt.date(2025, 1, 1), dt.date(2026, 5, 15), "day") == 500
    assert chart_grain(dt.date(2025, 1, 1), dt.date(2026, 5, 15), "day", 2, POINT_MARK_BUDGET) == "day"  # 1,000: at it
    assert chart_grain(dt.date(2024, 12, 31), dt.date(2026, 5, 15), "day", 2, POINT_MARK_BUDGET) == "week"  # 1,002
    assert chart_grain(dt.date(2025, 1, 2), dt.date(2026, 5, 15), "day", 2, POINT_MARK_BUDGET) == "day"  # 998
    note = coarsened_note(start, end, "day", "week", 2, POINT_MARK_BUDGET)
    assert note == ("Drawn by week: 691 days × up to 2 series would be 1,382 points, more than a chart of points "
                    "draws (1,000). Narrow the dates to see days.")


def test_share_and_data_draw_their_point_charts_by_week_over_the_sample(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "no-snapshots")
    for page, drawn, tab in (("views/share.py", 1, {}), ("views/data.py", 2, {"part": "Coverage"})):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["grain"] = "day"
        for k, v in tab.items():  # the Data page's charts are on its Coverage tab
            at.query_params[k] = v
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception
        notes = [c.value for c in at.caption if "more than a chart of points draws (1,000)" in c.value]
        assert len(notes) == 1, (page, notes)
        # about 100 weeks x at most 2 series per chart (a day grain would be 691 x 2)
        small = [n for n in (chart_points(c.proto) for c in at.get("vega_lite_chart")) if n <= 2 * 100]
        assert len(small) >= drawn, (page, small)
