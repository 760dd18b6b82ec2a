"""The deeper-analysis pages run headless with AppTest: each at its defaults and with its
URL parameters (valid and malformed), on hand-computable fixtures and on the sample."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import chart_row_counts, metric
from tests.tiny_launches import build_category_snapshot, build_launch_snapshot, build_priced_snapshot
from tokenshare.app import state

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["views/launches.py", "views/spend.py", "views/categories.py", "views/race_animated.py",
         "views/workbench.py", "views/compare.py"]


def run_app(page, query_params=None):
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query_params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def warnings(at):
    return [w.value for w in at.warning]


def text_of(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


@pytest.fixture
def on_tiny(tiny_snapshot, monkeypatch):
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(tiny_snapshot.path))
    return tiny_snapshot


@pytest.fixture(scope="module")
def launch_snapshot(tmp_path_factory):
    return build_launch_snapshot(tmp_path_factory.mktemp("launch-app") / "snap")


@pytest.fixture(scope="module")
def category_snapshot(tmp_path_factory):
    return build_category_snapshot(tmp_path_factory.mktemp("cat-app") / "snap")


@pytest.fixture
def on_snapshot(monkeypatch):
    def use(snapshot):
        monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(snapshot.path))
        return snapshot
    return use


@pytest.fixture
def on_sample(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "no-snapshots")


# ---------------------------------------------------------------- every page, both snapshots


def assert_page_basics(at):
    """A title, and the source line with its as-of time at the end (tiny snapshot)."""
    assert at.title
    assert any("Source: OpenRouter (openrouter.ai/rankings), as of 2026-01-28T02:00:00Z." in c.value
               for c in at.caption)


# Spend, categories, the race and the workbench get this check in their own default
# tests below (one app run fewer each).
@pytest.mark.parametrize("page", ["views/launches.py", "views/compare.py"])
def test_every_new_page_on_tiny(on_tiny, page):
    assert_page_basics(run_app(page))


@pytest.mark.parametrize("page", PAGES)
def test_every_new_page_on_the_sample(on_sample, page):
    at = run_app(page)
    assert any("Synthetic sample data" in i.value for i in at.info)
    assert all(n <= 5000 for n in chart_row_counts(at)), chart_row_counts(at)


# ---------------------------------------------------------------- launches


def test_launches_page_by_hand(on_snapshot, launch_snapshot):
    on_snapshot(launch_snapshot)
    at = run_app("views/launches.py")
    assert metric(at, "Largest jump") == "×3.00"  # DeepSeek V4: 300 / 100
    assert metric(at, "Of which held") == "60%"  # 180 / 300
    assert metric(at, "Launches measured") == "1 of 4"
    assert at.selectbox(key="launch").value == "deepseek/deepseek-v4"
    assert metric(at, "Share of lab, week 4") == "56%"
    table = next(d.value for d in at.dataframe if "Jump" in d.value.columns)
    assert table.iloc[0]["Jump"] == "×3.00"
    assert "too little history" in set(table["Jump"])
    assert "Definitions" in text_of(at) and "median of weeks 3, 4, 5 and 6" in text_of(at)


def test_launch_in_the_url(on_snapshot, launch_snapshot):
    on_snapshot(launch_snapshot)
    at = run_app("views/launches.py", {"launch": "qwen/qwen3-next"})
    assert at.selectbox(key="launch").value == "qwen/qwen3-next"
    assert metric(at, "Jump") == "–"
    assert "Too little history: only 10 days of data before the launch (needs 14)" in text_of(at)
    assert not warnings(at)


def test_unknown_launch_in_the_url(on_snapshot, launch_snapshot):
    on_snapshot(launch_snapshot)
    at = run_app("views/launches.py", {"launch": "no/such-model"})
    assert any("Ignored `launch=no/such-model`" in w for w in warnings(at))
    assert at.selectbox(key="launch").value == "deepseek/deepseek-v4"


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


# ---------------------------------------------------------------- spend


def test_spend_page_defaults(on_tiny):
    at = run_app("views/spend.py")
    assert_page_basics(at)
    # W3 at 3:1: open 310 x 0.525 vs GPT-5 150 x 3.4375 + Mistral 40 x 0.8 (a day)
    assert metric(at, "Open-weight share of estimated spend") == "22.9%"
    assert metric(at, "Open-weight share of tokens") == "62.0%"
    assert at.select_slider(key="split").value == "3:1"
    assert "estimate at a 3:1 prompt:completion split" in text_of(at)


def test_spend_split_in_the_url(on_tiny):
    at = run_app("views/spend.py", {"split": "1:1"})
    # 1:1: open 310 x 0.75 = 232.5; closed 150 x 5.625 + 40 x 1.2 = 891.75 -> 20.7%
    assert metric(at, "Open-weight share of estimated spend") == "20.7%"
    assert "estimate at a 1:1 prompt:completion split" in text_of(at)


def test_spend_bad_split_in_the_url(on_tiny):
    at = run_app("views/spend.py", {"split": "7:2"})
    assert any("Ignored `split=7:2`" in w for w in warnings(at))
    assert metric(at, "Open-weight share of estimated spend") == "22.9%"


def test_spend_shows_unpriced_models(on_snapshot, tmp_path):
    on_snapshot(build_priced_snapshot(tmp_path / "priced"))
    at = run_app("views/spend.py")
    assert any("1 model without a price" in w and "not priced at zero" in w for w in warnings(at))
    # Mistral Medium is out of the estimate: open 162.75 / (162.75 + 515.625)
    assert metric(at, "Open-weight share of estimated spend") == "24.0%"
    assert not at.dataframe or all("model_permaslug" not in d.value.columns for d in at.dataframe)
    at.session_state["unpriced_list"] = True  # opening the expander lists them
    at.run()
    listed = next(d.value for d in at.dataframe if "model_permaslug" in d.value.columns)
    assert listed["model_permaslug"].tolist() == ["mistralai/mistral-medium"]  # the one model priced None


# ---------------------------------------------------------------- categories


def test_categories_without_a_category_table(on_tiny):
    at = run_app("views/categories.py")
    assert_page_basics(at)
    assert any("no category table" in i.value for i in at.info)


def test_categories_page(on_snapshot, category_snapshot):
    on_snapshot(category_snapshot)
    at = run_app("views/categories.py")
    assert metric(at, "Programming (estimate)") == "90.0%"
    assert metric(at, "Roleplay (estimate)") == "80.0%"
    assert at.multiselect(key="category").value == ["programming", "roleplay"]


def test_categories_in_the_url(on_snapshot, category_snapshot):
    on_snapshot(category_snapshot)
    at = run_app("views/categories.py", {"category": ["roleplay", "astrology"]})
    assert at.multiselect(key="category").value == ["roleplay"]
    assert any("`astrology`" in w for w in warnings(at))
    with pytest.raises(AssertionError):
        metric(at, "Programming")


# ---------------------------------------------------------------- the race, animated


def test_race_frame_round_trip(on_tiny):
    at = run_app("views/race_animated.py", {"frame": "2026-01-12"})
    assert at.select_slider(key="frame").value == "2026-01-12"
    assert "Qwen (Alibaba) leads the week of 12 Jan 2026" in text_of(at)
    assert not warnings(at)


def test_race_default_frame_is_the_latest_complete_period(on_tiny):
    at = run_app("views/race_animated.py")
    assert_page_basics(at)
    assert at.select_slider(key="frame").value == "2026-01-19"
    assert "DeepSeek leads the week of 19 Jan 2026" in text_of(at)
    assert "took the lead from **Qwen (Alibaba)**" in text_of(at)


def test_race_frame_inside_a_period_snaps(on_tiny):
    at = run_app("views/race_animated.py", {"frame": "2026-01-14"})
    assert at.select_slider(key="frame").value == "2026-01-12"
    assert "falls in the week starting 2026-01-12" in text_of(at)


@pytest.mark.parametrize("bad", ["yesterday", "2024-01-01"])
def test_race_bad_frame(on_tiny, bad):
    at = run_app("views/race_animated.py", {"frame": bad})
    assert any(f"Ignored `frame={bad}`" in w for w in warnings(at))
    assert at.select_slider(key="frame").value == "2026-01-19"


def test_race_of_models_and_bad_race_by(on_tiny):
    at = run_app("views/race_animated.py", {"race_by": "models", "scope": "all", "frame": "2026-01-05"})
    assert "OpenAI: GPT-5 leads the week of 5 Jan 2026" in text_of(at)
    at = run_app("views/race_animated.py", {"race_by": "cars"})
    assert any("Ignored `race_by=cars`" in w for w in warnings(at))


def test_race_play_advances_a_frame(on_tiny):
    at = run_app("views/race_animated.py", {"frame": "2026-01-05"})
    at.button(key="race_play").click().run()
    assert not at.exception
    # pressing play moves on one frame at once; the timer moves it on in the browser
    assert at.select_slider(key="frame").value == "2026-01-12"
    assert at.button(key="race_play").label == "Pause"


# ---------------------------------------------------------------- workbench


def test_workbench_default_is_the_headline(on_tiny):
    at = run_app("views/workbench.py")
    assert_page_basics(at)
    df = at.dataframe[0].value
    assert df["open_share_pct"].iloc[0] == 62.0


def test_workbench_query_round_trip(on_tiny):
    q = "SELECT model_permaslug, sum(total_tokens) AS tokens FROM usage GROUP BY ALL ORDER BY tokens DESC LIMIT 3"
    at = run_app("views/workbench.py", {"sql": q})
    assert at.text_area(key="sql").value == q
    df = at.dataframe[0].value
    assert df["model_permaslug"].tolist() == ["openai/gpt-5", "deepseek/deepseek-v3", "qwen/qwen3-235b"]
    assert any("3 rows" in m.value for m in at.markdown)


def test_workbench_refusal_from_the_url(on_tiny):
    at = run_app("views/workbench.py", {"sql": "COPY usage TO '/tmp/x.csv'"})
    assert any("`COPY` reads or writes files" in e.value for e in at.error)
    at = run_app("views/workbench.py", {"sql": "SELECT * FROM read_parquet('/etc/passwd.parquet')"})
    assert any("reads files" in e.value for e in at.error)


def test_workbench_load_example(on_tiny):
    at = run_app("views/workbench.py")
    at.selectbox(key="_wb_example").set_value("workbench_example_labs").run()
    at.button[0].click().run()
    assert at.text_area(key="sql").value.startswith("-- workbench_example_labs")
    assert "lab_name" in at.dataframe[0].value.columns


# ---------------------------------------------------------------- compare


@pytest.fixture
def two_snapshots(tmp_path, monkeypatch, tiny_snapshot):
    import shutil

    from tests.tiny_launches import build_restated_snapshot

    snaps = tmp_path / "snapshots"
    snaps.mkdir()
    shutil.copytree(tiny_snapshot.path, snaps / "2026-01-28")
    build_restated_snapshot(snaps / "2026-01-30")
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", snaps)
    monkeypatch.setattr(state, "SAMPLE_DIR", tiny_snapshot.path)
    return snaps


def test_compare_page(two_snapshots):
    at = run_app("views/compare.py")
    assert at.selectbox(key="old").value == "2026-01-28"
    assert at.selectbox(key="new").value == "2026-01-30"
    assert metric(at, "Days added") == "2"
    assert metric(at, "Figures restated") == "3"
    assert metric(at, "Models reclassified") == "2"


def test_compare_in_the_url(two_snapshots):
    at = run_app("views/compare.py", {"old": "2026-01-30", "new": "sample"})
    assert at.selectbox(key="old").value == "2026-01-30" and at.selectbox(key="new").value == "sample"
    assert metric(at, "Days added") == "0"  # the newer one has two more days, not fewer


def test_compare_bad_url_and_same_snapshot(two_snapshots):
    at = run_app("views/compare.py", {"old": "../../etc", "new": "2026-01-28"})
    assert any("Ignored `old=../../etc`" in w for w in warnings(at))
    at = run_app("views/compare.py", {"old": "2026-01-28", "new": "2026-01-28"})
    assert any("same snapshot" in i.value for i in at.info)


# ---------------------------------------------------------------- the data behind a chart


def test_the_data_behind_a_chart_is_made_when_opened(on_tiny):
    """A closed "data behind" expander renders nothing inside it (it costs nothing on
    every rerun); opened, it shows the named query, its bound parameters, the table the
    chart drew and the CSV download."""
    at = run_app("views/share.py", {"grain": "week"})
    key = "behind-open_share_by_period-The data behind this chart"
    assert at.session_state[key] is False
    assert not any("open_share_by_period.sql" in m.value for m in at.markdown)
    tables_closed = len(at.dataframe)
    at.session_state[key] = True  # what a click on the expander does
    at.run()
    assert not at.exception
    assert any("queries/pages/open_share_by_period.sql" in m.value for m in at.markdown)
    assert len(at.dataframe) == tables_closed + 1
    shown = at.dataframe[-1].value if tables_closed == 0 else next(
        d.value for d in at.dataframe if "period" in d.value.columns)
    # the tiny snapshot's four weeks (tests/tiny.py), the last one incomplete
    assert len(shown) == 4
    assert any(b.label == "Download CSV (with citation)" for b in at.get("download_button"))
