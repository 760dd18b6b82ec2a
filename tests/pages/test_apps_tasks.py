"""The Apps page and the Segments page's task split through AppTest on the tiny snapshot
with a task table and app rankings (tests/tiny_extras.py), figures by hand:

Task split, both windows: code 50.0% in the 7 days to 2026-01-25 (coverage 50.0%, -10.0
points since 2026-01-18's 60%); the tie at 50% names Debugging first; acme/unknown is the
one listed row no model places. From 2026-01-20 only the second window counts.

Apps, popular overall: 2026-01-27's 3 apps carry 1,000 tokens, Beta 500 (50.0%); tokens
per request 20, 50, 10 (median 20); 2 kept fetches. Coding: Alpha alone (100.0%), one
fetch. Trending (overall only): Delta, Alpha. Delta's name carries Markdown: shown as
text, never a link."""

from __future__ import annotations

import pytest

from tests.apptest import markdown_tables, metric
from tests.hostile import tried
from tests.pages.apprun import assert_page_basics, open_page, text_of, warnings
from tests.tiny_extras import APP_ROWS, DELTA, OPENED, TRENDING_CATEGORY_ROWS, build_extras_snapshot


@pytest.fixture(scope="module")
def extras_snapshot(tmp_path_factory):
    return build_extras_snapshot(tmp_path_factory.mktemp("extras-app") / "snap")


@pytest.fixture
def on_extras(extras_snapshot, on_snapshot):
    return on_snapshot(extras_snapshot)


def test_task_split_figures(on_extras):
    at = open_page("views/segments.py", {"dimension": "task"})
    assert_page_basics(at)
    assert at.segmented_control(key="dimension").value == "task"
    assert [m.label for m in at.metric] == ["code (listed models)"]
    assert metric(at, "code") == "50.0%"
    text = text_of(at)
    assert ("In the 7 days to 2026-01-25, **Debugging** went most to open-weight models: **50.0%** of its listed "
            "models' tokens (they carry 40.0% of the tag); **Generation** least: 50.0% (coverage 60.0%). By "
            "macro-category: code 50.0% (coverage 50.0%, -10.0 points since 2026-01-18).") in text
    assert "coverage 50.0% · 2 tags" in text
    assert "How it moved across the 2 kept 7-day window(s)" in [h.value for h in at.subheader]
    assert "1 listed model row(s) match no model" in text
    assert "No listed model in these windows counts as closed for that reason." in text
    assert "Focus rule here" not in text
    board = at.dataframe[0].value
    assert list(board["Task"]) == ["Debugging", "Generation"]
    assert list(board["Change vs previous window (points)"].round(1)) == [50.0, pytest.approx(-21.4, abs=0.05)]
    assert len(at.get("vega_lite_chart")) == 1


def test_task_split_counts_openness_as_of_each_window(tmp_path, on_snapshot):
    """DeepSeek V3 opened 2026-01-19, Qwen3 2026-01-20 (OPENED). Window to 01-18: every
    placed model closed (0%). Window to 01-25 (from 01-19): Generation DeepSeek 0.3 open vs
    GPT-5 0.3 (50.0%, coverage 60%), Debugging Mistral 0.2 + Qwen3 0.2 closed (0.0%, 40%);
    code = 0.5 x 0.3 / (0.5 x 0.6 + 0.5 x 0.4) = 30.0%, coverage 50.0%, +30.0 points."""
    on_snapshot(build_extras_snapshot(tmp_path / "snap", opened=OPENED))
    at = open_page("views/segments.py", {"dimension": "task"})
    assert metric(at, "code") == "30.0%"
    text = text_of(at)
    assert ("In the 7 days to 2026-01-25, **Generation** went most to open-weight models: **50.0%** of its listed "
            "models' tokens (they carry 60.0% of the tag); **Debugging** least: 0.0% (coverage 40.0%). By "
            "macro-category: code 30.0% (coverage 50.0%, +30.0 points since 2026-01-18).") in text
    assert ("2 listed model row(s) count as closed for that reason: DeepSeek: V3 (open from 2026-01-19), "
            "Qwen: Qwen3 235B (open from 2026-01-20).") in text
    board = at.dataframe[0].value
    assert list(board["Task"]) == ["Generation", "Debugging"]
    assert list(board["Change vs previous window (points)"].round(1)) == [50.0, 0.0]


def test_task_split_date_range(on_extras):
    at = open_page("views/segments.py", {"dimension": "task", "start": "2026-01-20"})
    text = text_of(at)
    assert "code 50.0% (coverage 50.0%)." in text and "since" not in text.split("By macro-category")[1][:60]
    assert "How it moved across the 1 kept 7-day window(s)" in [h.value for h in at.subheader]
    at = open_page("views/segments.py", {"dimension": "task", "end": "2026-01-10"})
    assert any("No kept 7-day task window ends between 2026-01-05 and 2026-01-10" in i.value for i in at.info)


def test_task_split_hostile_and_missing(on_extras, tiny_snapshot, on_snapshot):
    at = open_page("views/segments.py", {"dimension": "task` **x** [y](http://e.com)"})
    assert any(w.startswith("Ignored `dimension=") for w in warnings(at))
    assert at.segmented_control(key="dimension").value != "task"
    tried("url")
    on_snapshot(tiny_snapshot)
    at = open_page("views/segments.py", {"dimension": "task"})
    assert any("no task table" in i.value for i in at.info)


def test_apps_page_figures(on_extras):
    at = open_page("views/apps.py")
    assert_page_basics(at)
    assert metric(at, "Top app's share of listed tokens") == "50.0%"
    assert metric(at, "Median tokens per request") == "20"
    assert metric(at, "Kept fetches") == "2"
    text = text_of(at)
    assert "**Beta** leads with 500 tokens (50.0% of the 3 listed apps' tokens)" in text
    assert "Beta climbed most (2 → 1). Alpha fell most (1 → 2)." in text
    assert "Left it (below the cut now): Gamma." in text
    assert "[x](http://e.com)" not in text, "an app name is never a link"
    assert not at.dataframe  # a few apps: text, no grid
    popular, trending = markdown_tables(at)
    assert list(popular["App"]) == ["Beta", "Alpha", DELTA], "names shown as the data gives them"
    assert list(popular["Tokens per request"]) == ["20", "50", "10"]
    assert list(popular["Rank in the fetch before"]) == ["2", "1", ""]
    assert list(trending["App"]) == [DELTA, "Alpha"]
    assert len(at.get("vega_lite_chart")) == 1
    assert "App rankings: Source: OpenRouter" in text


def test_apps_category_filter_and_dates(on_extras):
    at = open_page("views/apps.py", {"app_category": "coding"})
    assert at.selectbox(key="app_category").value == "coding"
    assert metric(at, "Top app's share of listed tokens") == "100.0%"
    text = text_of(at)
    assert "Only one fetch is kept" in text
    assert "keeps no trending ranking for this choice (trending is kept for: all)" in text
    at = open_page("views/apps.py", {"start": "2026-01-25"})
    assert metric(at, "Kept fetches") == "1"


def test_apps_trending_per_category(tmp_path, on_snapshot):
    """Coding's trending list beside coding's popular ranking, worked from the fixture's rows
    here (not through the page's code): the leader, the trending apps the popular ranking of
    the same window does not list, and what joined and left the list since the fetch before."""
    on_snapshot(build_extras_snapshot(tmp_path / "snap", trending_by_category=True))
    rows = TRENDING_CATEGORY_ROWS + [r for r in APP_ROWS if r["category"] == "coding"]

    def listed(sort, end):
        return [r["app_name"] for r in sorted(rows, key=lambda r: r["rank"])
                if r["sort"] == sort and r["end_date"].isoformat() == end]
    now, before = listed("trending", "2026-01-27"), listed("trending", "2026-01-20")
    outside = [a for a in now if a not in listed("popular", "2026-01-27")]
    new, gone = [a for a in now if a not in before], [a for a in before if a not in now]
    assert (now[0], outside, new, gone) == ("Alpha", ["Epsilon"], ["Epsilon"], ["Gamma"])
    at = open_page("views/apps.py", {"app_category": "coding"})
    assert "Trending: the fastest-growing apps · coding" in [h.value for h in at.subheader]
    text = text_of(at)
    assert (f"In the fetch for the 30 days to 2026-01-27, **{now[0]}** leads the trending list of coding "
            f"({len(now)} apps listed). {len(outside)} of the {len(now)} are not in the popular ranking of coding for "
            f"the same window (growing from below its cut): {', '.join(outside)}. Since the fetch to 2026-01-20: new "
            f"on the list: {', '.join(new)}; off it: {', '.join(gone)}.") in text
    board = markdown_tables(at)[1]
    assert list(board["App"]) == now
    assert list(board["Popular rank, same window"]) == ["1", ""]
    assert list(board["Trending rank in the fetch before"]) == ["2", ""]
    assert "keeps no trending ranking" not in text
    # overall, one trending fetch: Delta and Alpha, both in the popular ranking of 2026-01-27 (ranks 3, 2)
    at = open_page("views/apps.py")
    assert ("leads the trending list of all apps (2 apps listed). All 2 are also in the popular ranking of all apps "
            "for the same window. Only one fetch of this list is kept") in text_of(at)


@pytest.mark.parametrize("params, notice", [
    # a backtick is shown as a full-width one, so the value stays inside its code span
    ({"app_category": "bogus` [x](http://e.com)"}, "Ignored `app_category=bogus｀ [x](http://e.com)` in the URL"),
    ({"app_subcategory": "zzz"}, "Ignored `app_subcategory=zzz` in the URL: the snapshot's app rankings have `all`"),
    ({"app_category": "coding", "app_subcategory": "<b>x</b>"}, "Ignored `app_subcategory=<b>x</b>`"),
])
def test_apps_hostile_urls(on_extras, params, notice):
    at = open_page("views/apps.py", params)
    assert any(notice in w for w in warnings(at)), warnings(at)
    assert at.selectbox(key="app_subcategory").value == "all"
    tried("url")


def test_apps_page_without_the_table(on_tiny):
    at = open_page("views/apps.py")
    assert_page_basics(at)
    assert any("no app rankings" in i.value for i in at.info)
    assert not at.metric
