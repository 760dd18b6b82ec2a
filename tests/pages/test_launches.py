"""The Launches page on a fixture with known steps (tests/tiny_launches.py), and a launch
named in the URL (known and unknown)."""

from tests.apptest import markdown_tables, metric
from tests.pages.apprun import open_page, warnings, text_of


def test_launches_page_by_hand(on_snapshot, launch_snapshot):
    on_snapshot(launch_snapshot)
    at = open_page("views/launches.py")
    assert metric(at, "Largest jump") == "×3.00"  # DeepSeek V4: 300 / 100
    assert metric(at, "Of which held") == "60%"  # 180 / 300
    assert metric(at, "Launches measured") == "1 of 4"
    assert at.selectbox(key="launch").value == "deepseek/deepseek-v4"
    assert metric(at, "Share of lab, week 4") == "56%"
    # the first rows as text, without the grid (its code is 1.4 MB for the browser to load)
    assert not at.dataframe
    (table,) = [t for t in markdown_tables(at) if "Jump" in t.columns]
    assert table.iloc[0]["Jump"] == "×3.00"
    assert "too little history" in set(table["Jump"])
    assert "Note" not in table.columns and len(table) == 4
    # opened, the grid has every launch and every column (the notes, the week-4 share)
    at.session_state["grid-launches"] = True  # what a click on the expander does
    at.run()
    grid = next(d.value for d in at.dataframe if "Jump" in d.value.columns)
    assert len(grid) == 4 and {"Note", "Launch week", "Share of lab, week 4"} <= set(grid.columns)
    assert grid.iloc[0]["Jump"] == "×3.00" and grid.iloc[0]["Model"] == table.iloc[0]["Model"]
    assert "Definitions" in text_of(at) and "median of weeks 3, 4, 5 and 6" in text_of(at)


def test_launch_in_the_url(on_snapshot, launch_snapshot):
    on_snapshot(launch_snapshot)
    at = open_page("views/launches.py", {"launch": "qwen/qwen3-next"})
    assert at.selectbox(key="launch").value == "qwen/qwen3-next"
    assert metric(at, "Jump") == "–"
    assert "Too little history: only 10 days of data before the launch (needs 14)" in text_of(at)
    assert not warnings(at)


def test_unknown_launch_in_the_url(on_snapshot, launch_snapshot):
    on_snapshot(launch_snapshot)
    at = open_page("views/launches.py", {"launch": "no/such-model"})
    assert any("Ignored `launch=no/such-model`" in w for w in warnings(at))
    assert at.selectbox(key="launch").value == "deepseek/deepseek-v4"
