"""Pages on a snapshot with a lab below the daily top 50 (tests/tiny_tail.py, issue 21):
the focus views say it is below the cut and state bounds that hold its true share and
rank, worked out here by hand from the uncut truth; never "0.0%", "no tokens" or
"unranked" for it. A lab whose only model was not released yet still says so, and a
ranked lab's figures are those of the ranked lists."""

import json
import re

import pytest

from tests.pages.apprun import text_of
from tests.pages.test_focus import metric, open_direct
from tests.tiny_tail import CUT, OTHER, TRUTH, build_tail_snapshot

W3 = 2  # the latest complete week (Jan 19-25), index into the weekly tuples
NAMED = ["deepseek/deepseek-v3", "qwen/qwen3-235b", "openai/gpt-5", "openai/gpt-oss-120b",
         "mistralai/mistral-medium", "arcee-ai/trinity-large"]
OPEN = ["deepseek/deepseek-v3", "qwen/qwen3-235b", "openai/gpt-oss-120b", "arcee-ai/trinity-large"]


@pytest.fixture(scope="module")
def tail_snapshot(tmp_path_factory):
    return build_tail_snapshot(tmp_path_factory.mktemp("tail-app") / "snap")


@pytest.fixture
def on_tail(tail_snapshot, monkeypatch):
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(tail_snapshot.path))
    return tail_snapshot


def true_share(slug: str, universe: list[str], week: int = W3) -> float:
    """The uncut truth: every day of a week has the same tokens."""
    return TRUTH[slug][week] / sum(TRUTH[s][week] for s in universe)


def bounds_of(value: str) -> tuple[float, float]:
    """(lo, hi) in percent from "under 4.7%" or "between 2.7% and 5.1%"."""
    nums = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)%", value)]
    if value.startswith("under"):
        return 0.0, nums[0]
    assert value.startswith("between"), value
    return nums[0], nums[1]


def no_false_zero(at) -> None:
    text = text_of(at).replace("\\", "")
    for m in at.metric:
        assert m.value.replace("\\", "") not in ("0.0%", "unranked", "no tokens"), (m.label, m.value)
    assert "unranked" not in text
    assert "had no open or closed tokens" not in text
    assert "has no open-weight or closed tokens" not in text


def test_share_focus_below_the_cut(on_tail):
    at = open_direct(None, {"lab": "arcee-ai"})
    named = metric(at, "Arcee AI: share of all named tokens")
    lo, hi = bounds_of(named)
    truth = 100 * true_share("arcee-ai/trinity-large", NAMED)  # 12 / 422 = 2.84%
    assert lo <= truth <= hi
    # by hand: at most min(cut 20, other 30) = 20 a day, of 410 ranked named + 20
    assert named == f"under {100 * CUT / (410 + CUT) + 0.05:.1f}%" == "under 4.7%"
    assert OTHER[W3] == 30
    opened = metric(at, "Share of open-weight tokens")
    lo, hi = bounds_of(opened)
    assert lo <= 100 * true_share("arcee-ai/trinity-large", OPEN) <= hi  # 12 / 182 = 6.6%
    assert opened == "under 10.6%"  # 20 / 190 = 10.53%, rounded up
    text = text_of(at).replace("\\", "")
    assert "below the daily top 50 on every day" in text
    assert "the band is the range that holds its true share" in text
    no_false_zero(at)


def test_share_chart_draws_the_censored_weeks_as_a_band(on_tail):
    at = open_direct(None, {"lab": "arcee-ai"})
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    marks = json.dumps(spec)
    assert '"share_lo"' in marks and '"share_hi"' in marks and "strokeDash" in marks


def test_share_focus_not_released_yet_says_so(on_tail):
    at = open_direct(None, {"lab": "moonshotai"})
    assert metric(at, "Moonshot AI (Kimi): share of all named tokens") == "0.0%"  # a true 0
    text = text_of(at).replace("\\", "")
    assert "no model of Moonshot AI (Kimi) had been released yet (its first model was released on 2026-01-26)" in text


def test_share_of_a_ranked_lab_is_the_ranked_figure(on_tail):
    # OpenAI is ranked every day: (200 + 20) / 410 a day in W3
    at = open_direct(None, {"lab": "openai"})
    assert metric(at, "OpenAI: share of all named tokens") == f"{100 * 220 / 410:.1f}%"


def test_race_focus_below_the_cut(on_tail):
    at = open_direct("views/race.py", {"lab": "arcee-ai"})
    # W3 open-weight tokens: DeepSeek 700, Qwen 350, OpenAI 140 (gpt-oss), Arcee [0, 140]
    # (truly 84, #4): between #3 and #4
    assert metric(at, "Arcee AI: rank among open-weight labs") == "#3–#4"
    text = text_of(at).replace("\\", "")
    assert "below the daily top 50 in the week of 19 Jan 2026: between #3 and #4" in text
    # ranked in W2 only; possibly in all four weeks
    assert "open-weight tokens in at least 1 week and possibly 4" in text
    assert "decide #1 in every week" in text  # DeepSeek and Qwen are ranked: no lab below the cut can lead
    no_false_zero(at)


def test_race_focus_not_released_yet(on_tail):
    at = open_direct("views/race.py", {"lab": "moonshotai"})
    assert metric(at, "Moonshot AI (Kimi): rank among open-weight labs") == "not released yet"


def test_data_page_coverage(on_tail):
    # its own tab (part=Coverage), drawn only when open: by default the view's table is
    at = open_direct("views/data.py")
    assert not [m for m in at.metric if m.label.startswith("Tokens in the top 50")]
    assert not at.get("vega_lite_chart") and [s.value for s in at.selectbox if s.key == "view"] == ["open_share_by_period"]
    at = open_direct("views/data.py", {"part": "Coverage"})
    assert not [s for s in at.selectbox if s.key == "view"]  # and the view's table is not drawn
    assert len(at.get("vega_lite_chart")) == 2
    # W3: ranked 410 a day, other 30: 93.2% ranked; the cut 20
    assert metric(at, "Tokens in the top 50, week of 19 Jan 2026") == f"{100 * 410 / 440:.1f}%"
    assert metric(at, "In `other`") == f"{100 * 30 / 440:.1f}%"
    assert metric(at, "The cut (median day)") == "20"
    text = text_of(at)
    assert "Why absent is not zero." in text and "no daily segment lists" in text


def test_share_by_lab_carries_each_labs_range(on_tail):
    at = open_direct(None, {"by": "lab"})
    specs = [json.dumps(json.loads(c.proto.spec)) for c in at.get("vega_lite_chart")]
    assert any("Counting the tail" in s for s in specs)
    assert "below the daily top 50 (a range where they can move it)" in text_of(at)


def test_launch_whose_lab_was_below_the_cut_before(on_sample):
    # on the bundled sample AI21 Labs ranks no model in the 14 days before Jamba 1.6
    # Large's launch, while its earlier models were live: a jump "at least", not none
    at = open_direct("views/launches.py", {"launch": "ai21/jamba-1.6-large"})
    assert metric(at, "Before (tokens/day)").startswith("under ")
    assert metric(at, "Jump").startswith("at least ×")
    text = text_of(at)
    assert "Not none: its lab was below the daily top 50 before" in text
    assert "no tokens before" not in text.lower()
