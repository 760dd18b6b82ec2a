"""The what-changed digest on the hand-worked snapshot with a lab below the daily top 50
(tests/tiny_tail.py, issue 21): its open-weight share is a range holding the uncut truth,
a lab that fell below the cut is not said to have fallen to 0, and the moves say what the
ranked lists alone show. Every bound is worked out here by hand."""

import re

import pytest

from tests.tiny_tail import TRUTH, build_tail_snapshot
from tokenshare.analysis import digest
from tokenshare.engine.db import SnapshotDB


@pytest.fixture(scope="module")
def tail_digest_md(tmp_path_factory):
    snap = build_tail_snapshot(tmp_path_factory.mktemp("digest-tail") / "snap")
    db = SnapshotDB(snap)
    try:
        d = digest.collect(db.query, start=snap.start_date, end=snap.end_date)
        yield digest.markdown(d, citation="cite", as_of="now", synthetic=False, link=lambda page, params: "URL")
    finally:
        db.close()


def percents(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)%", text)]


def test_open_share_is_a_range_holding_the_truth(tail_digest_md):
    # W3 a day: ranked open 170 of 410 named; Arcee (open) hides [0, min(cut 20, other 30)]
    # and no closed model hides anything: 170 / 410 = 41.46% to 190 / 430 = 44.19%
    line = next(x for x in tail_digest_md.splitlines() if "Open-weight share" in x)
    assert "between 41.4% and 44.2% counting the tail below the daily top 50" in line
    truth = sum(TRUTH[s][2] for s in ("deepseek/deepseek-v3", "qwen/qwen3-235b", "openai/gpt-oss-120b",
                                      "arcee-ai/trinity-large"))
    named = truth + TRUTH["openai/gpt-5"][2] + TRUTH["mistralai/mistral-medium"][2]
    assert 41.4 <= 100 * truth / named <= 44.2  # 182 / 422 = 43.1%
    assert "41.5% in the ranked lists" in line


def test_a_lab_below_the_cut_did_not_fall_to_zero(tail_digest_md):
    # Arcee AI: 60 of 540 named a day in W2 (ranked, 11.1%); in W3 below the cut, at most
    # 20 / (410 + 20) = 4.65%: "under 4.7%", truly 12 / 422 = 2.84%
    line = next(x for x in tail_digest_md.splitlines() if "Labs moving up" in x)
    assert "Arcee AI -11.1 pp in the ranked lists (to under 4.7%)" in line
    assert "to 0.0%" not in tail_digest_md and "no tokens" not in tail_digest_md.lower()
    # OpenAI (ranked): 220 of 410 ranked named; Arcee's hidden 0..20 is in the denominator:
    # 220 / 430 = 51.16% to 220 / 410 = 53.66%, truly 220 / 422 = 52.1%
    assert "OpenAI +12.9 pp in the ranked lists (to between 51.1% and 53.7%)" in line


def test_move_words_by_hand():
    """tail.digest.move_words on its four cases, each worked by hand: no catalogue row
    either week, both weeks' bounds uncensored, censored bounds that decide a rise, and
    censored bounds that overlap (the direction is not decided)."""
    from tokenshare.analysis.tail.digest import move_words

    row = {"share_now": 0.123, "share_before": 0.1, "delta": 0.023}
    # no catalogue rows: the ranked figures stand, the move is what they show
    assert move_words(row, None, None) == ("12.3%", True)
    # bounds that the tail does not touch (censored False) both weeks: the ranked figure
    # stands and the ranked lists decide, whatever the bounds say (0.1 to 0.1 would not)
    assert move_words(row, (0.1, 0.1, 0.1, False), (0.1, 0.1, 0.1, False)) == ("12.3%", True)
    # one week censored is enough for the bounds to decide: now uncensored at 12.3%,
    # before up to 12.5%, so the rise is not decided (and the other way round)
    assert move_words(row, (0.123, 0.123, 0.123, False), (0.1, 0.1, 0.125, True)) == ("12.3%", False)
    assert move_words(row, (0.123, 0.1, 0.13, True), (0.1, 0.1, 0.1, False)) == ("between 10.0% and 13.0%", False)
    # no catalogue row one week, censored the other: the ranked share stands for the first
    assert move_words(row, None, (0.1, 0.09, 0.11, True)) == ("12.3%", True)  # 12.3 > 11.0
    assert move_words(row, None, (0.1, 0.09, 0.125, True)) == ("12.3%", False)
    assert move_words(row, (0.121, 0.11, 0.126, True), None) == ("between 11.0% and 12.6%", True)  # 11.0 > 10.0
    assert move_words(row, (0.121, 0.09, 0.126, True), None) == ("between 9.0% and 12.6%", False)
    # censored now: 12.0% to 12.6%; before 10.0% to 11.0%: 12.0 > 11.0, so the rise holds
    assert move_words(row, (0.121, 0.120, 0.126, True), (0.1, 0.1, 0.11, False)) == ("between 12.0% and 12.6%", True)
    # censored now 10.5% to 12.6% overlaps before's 10.0% to 11.0%: it may not have risen
    assert move_words(row, (0.121, 0.105, 0.126, True), (0.1, 0.1, 0.11, False)) == ("between 10.5% and 12.6%", False)
    # a fall: now at most 9.0%, before at least 9.5%: decided; before from 8.0%: not
    fall = {"share_now": 0.08, "share_before": 0.1, "delta": -0.02}
    assert move_words(fall, (0.08, 0.07, 0.09, True), (0.1, 0.095, 0.1, True))[1] is True
    assert move_words(fall, (0.08, 0.07, 0.09, True), (0.1, 0.08, 0.1, True))[1] is False
    # at the boundary the shares may be equal, so neither direction is decided
    assert move_words(row, (0.121, 0.11, 0.126, True), (0.1, 0.1, 0.11, False))[1] is False  # now's low = before's high
    assert move_words(fall, (0.08, 0.07, 0.095, True), (0.1, 0.095, 0.1, True))[1] is False  # now's high = before's low
