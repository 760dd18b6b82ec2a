"""The Race page on the tiny snapshot and on the sample with a shared URL."""

import pytest

from tests.apptest import metric
from tests.pages.apprun import run_app, assert_clean


def test_race_on_tiny(on_tiny):
    at = run_app(page="views/race.py")
    assert_clean(at)
    assert metric(at, "Leader") == "DeepSeek"
    assert metric(at, "Lead changes") == "2"


def test_sample_race_page_with_shared_url(on_sample):
    at = run_app({"country": "US", "lab": "arcee-ai", "grain": "week"}, page="views/race.py")
    assert_clean(at)
    # the lab filter chooses the focus: the race is still run over every open-weight lab
    # (figures checked independently in tests/pages/test_focus.py)
    assert not metric(at, "Leader").startswith("Arcee")
    assert metric(at, "Arcee AI: rank among open-weight labs").startswith("#")
