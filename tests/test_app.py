"""The app run headless with Streamlit's AppTest: every page, at defaults and with URL
parameters (valid, unknown, malformed), on the tiny snapshot (figures known by hand)
and on the bundled sample (figures recomputed independently from its files)."""

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import chart_row_counts, metric
from tokenshare.app import state

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["views/share.py", "views/race.py", "views/countries.py", "views/data.py"]


def run_app(query_params=None, page=None):
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query_params or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def on_tiny(tiny_snapshot, monkeypatch):
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(tiny_snapshot.path))
    return tiny_snapshot


@pytest.fixture
def on_sample(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "no-snapshots")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_tiny(on_tiny, page):
    at = run_app(page=page)
    assert_clean(at)
    assert at.title, "each page has a title"
    # every page ends with the source line and its as-of time
    assert any("Source: OpenRouter (openrouter.ai/rankings), as of 2026-01-28T02:00:00Z." in c.value
               for c in at.caption)


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


def test_race_on_tiny(on_tiny):
    at = run_app(page="views/race.py")
    assert_clean(at)
    assert metric(at, "Leader") == "DeepSeek"
    assert metric(at, "Lead changes") == "2"


def test_url_filters_set_the_widgets(on_tiny):
    at = run_app({"country": "US", "lab": "arcee-ai", "grain": "week"}, page="views/race.py")
    assert_clean(at)
    assert at.multiselect(key="country").value == ["US"]
    assert at.multiselect(key="lab").value == ["arcee-ai"]
    assert metric(at, "Leader") == "Arcee AI"
    assert not at.warning


def test_url_country_narrows_lab_choices(on_tiny):
    at = run_app({"country": "FR"})
    assert_clean(at)
    assert at.multiselect(key="lab").options == ["mistralai"]


def test_share_with_country_filter(on_tiny):
    at = run_app({"country": "US"})
    assert_clean(at)
    # US in W3: open 20 + 30 = 50 a day, closed 150: 25.0%
    assert metric(at, "Open-weight share") == "25.0%"


@pytest.mark.parametrize("params, fragment", [
    ({"lab": "no-such-lab"}, "unknown lab `no-such-lab`"),
    ({"country": "ZZ"}, "unknown country code `ZZ`"),
    ({"grain": "fortnight"}, "`grain=fortnight`"),
    ({"top": "many"}, "`top=many`"),
    ({"start": "not-a-date"}, "YYYY-MM-DD"),
    ({"by": "vibes"}, "`by=vibes`"),
    ({"lab": "'; DROP TABLE usage; --"}, "unknown lab"),
])
def test_bad_url_values_give_a_notice_and_the_view_still_works(on_tiny, params, fragment):
    at = run_app(params)
    assert_clean(at)
    assert any(fragment in w.value for w in at.warning), [w.value for w in at.warning]
    assert metric(at, "Open-weight share") == "62.0%"


def test_empty_selection_shows_friendly_state(on_tiny):
    # arcee-ai has no tokens in week 1 alone
    at = run_app({"lab": "arcee-ai", "start": "2026-01-05", "end": "2026-01-11"})
    assert_clean(at)
    assert any("No " in i.value for i in at.info)


def test_broken_snapshot_falls_back_with_a_message(tmp_path, monkeypatch, tiny_snapshot):
    import shutil
    broken = tmp_path / "broken"
    shutil.copytree(tiny_snapshot.path, broken)
    (broken / "models.parquet").write_bytes(b"not parquet")
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(broken))
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "none")
    monkeypatch.setattr(state, "SAMPLE_DIR", tiny_snapshot.path)
    at = run_app()
    assert_clean(at)
    assert any("models.parquet" in w.value and "could not be opened" in w.value for w in at.warning)
    assert metric(at, "Open-weight share") == "62.0%"


def test_no_valid_snapshot_at_all(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(tmp_path / "missing"))
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "none")
    monkeypatch.setattr(state, "SAMPLE_DIR", tmp_path / "no-sample")
    at = run_app()
    assert_clean(at)
    assert any("No valid snapshot" in e.value for e in at.error)


# ---------------------------------------------------------------- the bundled sample


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_the_sample(on_sample, page):
    at = run_app(page=page)
    assert_clean(at)
    assert any("Synthetic sample data" in i.value for i in at.info), "the synthetic notice is shown"
    rows = chart_row_counts(at)
    assert all(0 < n <= 5000 for n in rows), rows


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


def test_sample_race_page_with_shared_url(on_sample):
    at = run_app({"country": "US", "lab": "arcee-ai", "grain": "week"}, page="views/race.py")
    assert_clean(at)
    assert metric(at, "Leader").startswith("Arcee")


def test_data_page_explains_how_to_get_real_data_without_a_key(on_tiny, monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    at = run_app(page="views/data.py")
    assert_clean(at)
    assert not [b for b in at.button if b.label == "Refresh data"]
    assert any("No OpenRouter API key is configured" in m.value for m in at.markdown)


def test_data_page_offers_refresh_with_a_key(on_tiny, monkeypatch):
    fake = "sk-or-v1-" + "F" * 40
    monkeypatch.setenv("OPENROUTER_API_KEY", fake)
    at = run_app(page="views/data.py")
    assert_clean(at)
    assert [b for b in at.button if b.label == "Refresh data"]
    rendered = " ".join(str(e) for e in at.main) + " ".join(str(e) for e in at.sidebar)
    assert fake not in rendered
