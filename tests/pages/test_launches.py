"""The Launches page on a fixture with known steps (tests/tiny_launches.py), and a launch
named in the URL (known and unknown)."""

from tests.apptest import metric
from tests.pages.apprun import open_page, warnings, text_of


def test_launches_page_by_hand(on_snapshot, launch_snapshot):
    on_snapshot(launch_snapshot)
    at = open_page("views/launches.py")
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
