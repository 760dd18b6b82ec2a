"""The animated race: its frame in the URL (round trip, snapping, bad values), the
default frame, racing models, and play."""

import pytest

from tests.pages.apprun import open_page, warnings, text_of, assert_page_basics


def test_race_frame_round_trip(on_tiny):
    at = open_page("views/race_animated.py", {"frame": "2026-01-12"})
    assert at.select_slider(key="frame").value == "2026-01-12"
    assert "Qwen (Alibaba) leads the week of 12 Jan 2026" in text_of(at)
    assert not warnings(at)


def test_race_default_frame_is_the_latest_complete_period(on_tiny):
    at = open_page("views/race_animated.py")
    assert_page_basics(at)
    assert at.select_slider(key="frame").value == "2026-01-19"
    assert "DeepSeek leads the week of 19 Jan 2026" in text_of(at)
    assert "took the lead from **Qwen (Alibaba)**" in text_of(at)


def test_race_frame_inside_a_period_snaps(on_tiny):
    at = open_page("views/race_animated.py", {"frame": "2026-01-14"})
    assert at.select_slider(key="frame").value == "2026-01-12"
    assert "falls in the week starting 2026-01-12" in text_of(at)


@pytest.mark.parametrize("bad", ["yesterday", "2024-01-01"])
def test_race_bad_frame(on_tiny, bad):
    at = open_page("views/race_animated.py", {"frame": bad})
    assert any(f"Ignored `frame={bad}`" in w for w in warnings(at))
    assert at.select_slider(key="frame").value == "2026-01-19"


def test_race_of_models_and_bad_race_by(on_tiny):
    at = open_page("views/race_animated.py", {"race_by": "models", "scope": "all", "frame": "2026-01-05"})
    assert "OpenAI: GPT-5 leads the week of 5 Jan 2026" in text_of(at)
    at = open_page("views/race_animated.py", {"race_by": "cars"})
    assert any("Ignored `race_by=cars`" in w for w in warnings(at))


def test_race_play_advances_a_frame(on_tiny):
    at = open_page("views/race_animated.py", {"frame": "2026-01-05"})
    at.button(key="race_play").click().run()
    assert not at.exception
    # pressing play moves on one frame at once; the timer moves it on in the browser
    assert at.select_slider(key="frame").value == "2026-01-12"
    assert at.button(key="race_play").label == "Pause"
