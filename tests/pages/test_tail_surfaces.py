"""The surfaces of issue 21 not covered by test_tail_pages.py (the animated race,
Countries, Claims, the digest, Launches, the tier figures), on the hand-worked snapshot
with a lab below the daily top 50 (tests/tiny_tail.py): each says the focus is below the
cut and states a bound that holds the uncut truth, worked out here by hand; none says
"no tokens", "0.0%" or "unranked" for it."""

import re

from tests.pages.apprun import assert_clean, run_app, text_of
from tests.pages.test_tail_pages import on_tail, tail_snapshot  # noqa: F401 - fixtures
from tests.tiny_tail import TRUTH

W3 = 2


def plain(at) -> str:
    return text_of(at).replace("\\", "")


def test_animated_race_focus_below_the_cut(on_tail):
    # W3 open-weight tokens a week: DeepSeek 700, Qwen 350, OpenAI 140 (gpt-oss), Arcee
    # [0, 7 x min(cut 20, other 30)] = [0, 140] (truly 84): DeepSeek and Qwen surely above,
    # OpenAI may be (a tie at 140 goes to Arcee by name): #3 to #4, truly #4
    at = run_app({"lab": "arcee-ai"}, page="views/race_animated.py")
    assert_clean(at)
    text = plain(at)
    assert "Arcee AI #3–#4 (below the daily top 50) in the week of 19 Jan 2026" in text
    assert 7 * TRUTH["arcee-ai/trinity-large"][W3] == 84 <= 140
    assert "no open-weight tokens" not in text and "unranked" not in text
    # the leader is decided: DeepSeek's 700 is above anything Arcee can have had
    assert "DeepSeek leads the week of 19 Jan 2026" in text and "Not decided by the bounds" not in text


def test_animated_race_a_ranked_lab_that_the_tail_can_pass(on_tail):
    # OpenAI (140, every model ranked) can be passed by Arcee (up to 140, wins a tie):
    # #3 in the ranked lists, #3 to #4 counting the tail
    at = run_app({"country": "US"}, page="views/race_animated.py")
    assert_clean(at)
    text = plain(at)
    assert "OpenAI #3 of 3 in the ranked lists, #3–#4 counting the tail" in text
    assert re.search(r"Arcee AI #3–#4 \(below the daily top 50\)", text)


def test_animated_race_not_released_is_left_out(on_tail):
    # Moonshot's only model was released on Jan 26: in W3 a true 0, no rank to give
    at = run_app({"lab": "moonshotai"}, page="views/race_animated.py")
    assert_clean(at)
    assert "Moonshot AI (Kimi)** among open-weight labs: no model released yet" in text_of(at).replace("\\", "")
