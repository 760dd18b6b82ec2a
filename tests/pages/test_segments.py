"""The Segments page (also served at /categories): the category split as the Categories
page was (without a category table, on known weekly estimates, with categories in the
URL), and the segment splits on the hand-worked fixture (tests/tiny_segments.py)."""

import pytest

from tests.apptest import metric
from tests.hostile import tried
from tests.pages.apprun import assert_page_basics, open_page, text_of, warnings
from tests.tiny_segments import build_segment_snapshot


@pytest.fixture(scope="module")
def segment_snapshot(tmp_path_factory):
    return build_segment_snapshot(tmp_path_factory.mktemp("seg-app") / "snap")


def test_categories_without_a_category_table(on_tiny):
    at = open_page("views/segments.py")
    assert_page_basics(at)
    assert any("no category table" in i.value for i in at.info)


def test_categories_page(on_snapshot, category_snapshot):
    on_snapshot(category_snapshot)
    at = open_page("views/segments.py")
    assert at.segmented_control(key="dimension").value == "category"
    assert metric(at, "Programming (estimate)") == "90.0%"
    assert metric(at, "Roleplay (estimate)") == "80.0%"
    assert at.multiselect(key="category").value == ["programming", "roleplay"]


def test_categories_in_the_url(on_snapshot, category_snapshot):
    on_snapshot(category_snapshot)
    at = open_page("views/segments.py", {"category": ["roleplay", "astrology"]})
    assert at.multiselect(key="category").value == ["roleplay"]
    assert any("`astrology`" in w for w in warnings(at))
    with pytest.raises(AssertionError):
        metric(at, "Programming")


def test_modality_hand_worked(on_snapshot, segment_snapshot):
    on_snapshot(segment_snapshot)
    at = open_page("views/segments.py", {"dimension": "modality"})
    # the latest complete week is W3 (W4 has two days): tool calling 60 / 150, text 100 / 200
    assert metric(at, "Tool calling") == "40.0%"
    assert metric(at, "Text output") == "50.0%"
    assert not any("(estimate)" in m.label for m in at.metric)  # exact counts are not labelled estimates
    text = text_of(at)
    # the mix over the whole range (W1..W4): tool calling open 7x(30+30+60)+2x30 = 900 of
    # 5110+2x370 = 5850 open tokens; closed 23x90 = 2070 of 4690+2x140 = 4970
    assert f"Tool calling: {100 * 900 / 5850:.1f}% of open-weight tokens, {100 * 2070 / 4970:.1f}% of closed" in text
    assert at.multiselect(key="segment").value == ["text", "tool_calling"]


def test_language_is_marked_as_estimates(on_snapshot, segment_snapshot):
    on_snapshot(segment_snapshot)
    at = open_page("views/segments.py", {"dimension": "language", "segment": "programming"})
    assert metric(at, "Programming (estimate)") == "70.0%"
    with pytest.raises(AssertionError):
        metric(at, "Natural language")  # not chosen: a bar, not a headline
    assert "Programming: 77.8% of open-weight tokens, 27.3% of closed" in text_of(at)
    assert "of the estimated tokens" in text_of(at)


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_estimates_are_labelled_by_their_week_whatever_the_period(on_snapshot, segment_snapshot, grain):
    # language estimates are weekly: the headline's period is a week at every Period
    # (it said the month at grain=month, over a week's figure)
    on_snapshot(segment_snapshot)
    at = open_page("views/segments.py", {"dimension": "language", "segment": "programming", "grain": grain})
    assert metric(at, "Programming (estimate)") == "70.0%"
    heading = next(h.value for h in at.subheader if h.value.startswith("Open-weight share of each"))
    assert " · week of " in heading, heading
    assert ("estimates are weekly" in text_of(at)) == (grain != "week")


def test_a_split_the_snapshot_lacks_says_how_to_get_it(on_snapshot, segment_snapshot):
    on_snapshot(segment_snapshot)
    at = open_page("views/segments.py", {"dimension": "context"})
    assert any("no context bucket figures" in i.value and "refresh --segments" in i.value for i in at.info)


@pytest.mark.parametrize("params, notice", [
    ({"dimension": "modality", "segment": ["tool_calling", "smell"]}, "`smell`"),
    ({"dimension": "modality", "segment": "100K"}, "`100K`"),  # a segment of another dimension
    ({"dimension": "colour"}, "`dimension=colour`"),
])
def test_bad_segment_urls_get_a_notice(on_snapshot, segment_snapshot, params, notice):
    on_snapshot(segment_snapshot)
    at = open_page("views/segments.py", params)
    assert any(notice in w for w in warnings(at)), warnings(at)
    tried("url")


def test_without_categories_the_first_split_it_has_opens(on_snapshot, segment_snapshot):
    on_snapshot(segment_snapshot)  # modality and language, no category table
    at = open_page("views/segments.py")
    assert at.segmented_control(key="dimension").value == "modality"
    assert metric(at, "Tool calling") == "40.0%"


INJECTION = "x` **Session expired.** [Log in](https://evil.example) `"


@pytest.mark.parametrize("params", [
    {"dimension": "modality", "segment": [INJECTION]},
    {"dimension": [INJECTION]},
])
def test_no_markdown_injection_through_the_segment_keys(on_snapshot, segment_snapshot, params):
    from tests.pages.test_hostile_urls import outside_code_spans

    on_snapshot(segment_snapshot)
    at = open_page("views/segments.py", params)
    echoed = [w for w in warnings(at) if "Session expired" in w]
    assert echoed, warnings(at)
    for text in echoed:
        outside = outside_code_spans(text)
        assert "Session expired" not in outside and "](" not in outside, text
    tried("url")


def test_the_page_says_the_tier_filter_does_not_apply(on_snapshot, segment_snapshot):
    on_snapshot(segment_snapshot)
    at = open_page("views/segments.py", {"dimension": "modality", "tier": "free"})
    assert "tier filter (now `free`) does not apply" in text_of(at)
    assert metric(at, "Tool calling") == "40.0%"  # every tier counted
