"""Every page opens cleanly at its defaults, on the tiny snapshot (figures known by hand)
and on the bundled sample; a broken snapshot falls back with a message; the data
behind a chart is made only when its expander opens."""

import pytest

from tests.apptest import assert_no_markdown_plugin, chart_row_counts, metric
from tests.pages.apprun import run_app, open_page, assert_clean, assert_page_basics, PAGES, NEW_PAGES
from tokenshare.app import state


def synthetic_banners(at) -> list[str]:
    return [b.value for b in [*at.info, *at.warning] if "synthetic sample data" in b.value.lower()]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_tiny(on_tiny, page):
    at = run_app(page=page)
    assert_clean(at)
    assert at.title, "each page has a title"
    # every page ends with the source line and its as-of time (the manifest's 2026-01-28T02:00:00Z)
    assert any("Source: OpenRouter (openrouter.ai/rankings), as of 2026-01-28 02:00 UTC." in c.value
               for c in at.caption)
    assert_no_markdown_plugin(at)  # the real snapshot's citation carries a time too


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_the_sample(on_sample, page):
    at = run_app(page=page)
    assert_clean(at)
    assert any("Synthetic sample data" in i.value for i in at.info), "the synthetic notice is shown"
    assert len(synthetic_banners(at)) == 1, "one synthetic banner a page"
    rows = chart_row_counts(at)
    assert all(0 < n <= 5000 for n in rows), rows
    assert_no_markdown_plugin(at)


# Spend, categories, the race and the workbench get this check in their own default
# tests below (one app run fewer each).
@pytest.mark.parametrize("page", ["views/launches.py", "views/compare.py"])
def test_every_new_page_on_tiny(on_tiny, page):
    assert_page_basics(open_page(page))


@pytest.mark.parametrize("page", NEW_PAGES)
def test_every_new_page_on_the_sample(on_sample, page):
    at = open_page(page)
    assert any("Synthetic sample data" in i.value for i in at.info)
    assert len(synthetic_banners(at)) == 1, "one synthetic banner a page"
    assert all(n <= 5000 for n in chart_row_counts(at)), chart_row_counts(at)
    assert_no_markdown_plugin(at)


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


def test_the_data_behind_a_chart_is_made_when_opened(on_tiny):
    """A closed "data behind" expander renders nothing inside it (it costs nothing on
    every rerun); opened, it shows the named query, its bound parameters, the table the
    chart drew and the CSV download."""
    at = open_page("views/share.py", {"grain": "week"})
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
