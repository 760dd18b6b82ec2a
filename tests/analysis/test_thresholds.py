"""Both sides of every stated threshold in the claims and the digest: exactly at it,
just under and just over, on hand-made rows (the thresholds are the constants the rules
print: tokenshare/analysis/claims.py, tokenshare/analysis/digest.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from tokenshare.analysis import claims, digest
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.layout import read_labs_csv

W1, W2 = dt.date(2026, 1, 12), dt.date(2026, 1, 19)
LABS = pd.DataFrame(read_labs_csv(REFERENCE_LABS))


def free_rows(free_open, open_tokens=10_000):
    return pd.DataFrame({"period": pd.to_datetime(["2026-01-12"]), "is_partial": [False],
                         "open_tokens": [open_tokens], "free_open_tokens": [free_open], "closed_free_tokens": [0]})


@pytest.mark.parametrize("free_open, verdict", [
    (2_500, claims.HOLDS),  # exactly 25%
    (2_499, claims.PARTLY),  # just under
    (2_501, claims.HOLDS),
    (1_000, claims.PARTLY),  # exactly 10%
    (999, claims.DOES_NOT_HOLD),  # just under
    (1_001, claims.PARTLY),
])
def test_free_share_thresholds(free_open, verdict):
    assert (claims.FREE_MANY, claims.FREE_SOME) == (0.25, 0.10)
    f = claims.judge_free_share(free_rows(free_open))
    assert f.verdict == verdict and f.numbers["share"] == free_open / 10_000


def test_free_share_reads_the_latest_complete_period_not_a_partial_one():
    rows = pd.concat([free_rows(3_000), free_rows(100)], ignore_index=True)
    rows.loc[1, ["period", "is_partial"]] = [pd.Timestamp("2026-01-19"), True]
    f = claims.judge_free_share(rows)
    assert f.verdict == claims.HOLDS and f.numbers["share"] == 0.3


def spells(*labs):
    return pd.DataFrame({"spell": range(1, len(labs) + 1), "lab_name": list(labs), "periods": 2})


def test_lead_changes_exactly_at_the_minimum():
    assert claims.MIN_LEAD_CHANGES == 2
    # every claimed stage leads, in order, with exactly 2 changes of hands: holds
    f = claims.judge_leaders(spells("DeepSeek", "MiniMax", "Qwen (Alibaba)"), LABS)
    assert (f.verdict, f.numbers["lead_changes"], f.numbers["matched"]) == (claims.HOLDS, 2, [0, 1, 2])
    # 1 change (the third stage never leads): partly
    f = claims.judge_leaders(spells("DeepSeek", "MiniMax"), LABS)
    assert (f.verdict, f.numbers["lead_changes"]) == (claims.PARTLY, 1)


@pytest.mark.parametrize("labs, figure", [
    (("DeepSeek", "MiniMax"), "1 lead change: DeepSeek → MiniMax"),
    (("DeepSeek", "MiniMax", "Qwen (Alibaba)"), "2 lead changes: DeepSeek → MiniMax → Qwen (Alibaba)"),
    (("DeepSeek",), "0 lead changes: DeepSeek"),
])
def test_claim_3_counts_its_lead_changes_in_words(labs, figure):
    # by hand: n spells at #1 are n - 1 changes of hands; "change" is singular for 1 only
    assert claims.judge_leaders(spells(*labs), LABS).figure == figure


@pytest.mark.parametrize("delta, listed", [
    (0.0005, True),  # exactly MIN_MOVE (0.05 points)
    (0.00049, False),  # just under
    (0.00051, True),
])
def test_a_move_counts_from_the_minimum(delta, listed):
    assert digest.MIN_MOVE == 0.0005
    frame = pd.DataFrame({"period": [W1, W2, W1, W2], "series_key": ["a", "a", "b", "b"], "series": ["A", "A", "B", "B"],
                          "share": [0.2, 0.2 + delta, 0.3, 0.3 - delta], "tokens": [1, 1, 1, 1]})
    up, down = digest.movers(frame, W2, W1)
    assert ([r["series_key"] for r in up], [r["series_key"] for r in down]) == ((["a"], ["b"]) if listed else ([], []))


def spend_range(low, at_default, high):
    return SimpleNamespace(low=low, at_default=at_default, high=high)


@pytest.mark.parametrize("rng, verdict", [
    (spend_range(0.2, 0.3, 0.39), claims.HOLDS),  # every plausible spend share under the 40% token share
    (spend_range(0.2, 0.3, 0.40), claims.PARTLY),  # the high end exactly at it: not under all of them
    (spend_range(0.2, 0.39, 0.5), claims.PARTLY),
    (spend_range(0.2, 0.40, 0.5), claims.DOES_NOT_HOLD),  # the default exactly at it
    (spend_range(0.3, 0.41, 0.5), claims.DOES_NOT_HOLD),
])
def test_spend_gap_thresholds(rng, verdict):
    f = claims.judge_spend_gap(0.4, rng)
    assert f.verdict == verdict and f.numbers["gap"] == pytest.approx(rng.at_default - 0.4)


def test_spend_gap_needs_both_sides():
    assert claims.judge_spend_gap(0.0, spend_range(0, 0, 0)).verdict == claims.UNTESTABLE
    assert claims.judge_spend_gap(1.0, spend_range(1, 1, 1)).verdict == claims.UNTESTABLE


def open_trend(open_tokens):
    w = pd.to_datetime(["2026-01-05", "2026-01-12"])
    return pd.DataFrame({"period": w, "period_end": w + pd.Timedelta(days=6), "is_partial": [False, False],
                         "open_tokens": [open_tokens] * 2, "closed_tokens": [1000 - open_tokens] * 2,
                         "named_tokens": [1000] * 2, "open_share": [open_tokens / 1000] * 2})


@pytest.mark.parametrize("open_tokens, verdict", [
    (500, claims.DOES_NOT_HOLD),  # exactly half: not overtaken
    (501, claims.PARTLY),  # just over half, far from 69.1%
    (641, claims.HOLDS),  # 64.1%: exactly 5 points under the claim
    (640, claims.PARTLY),  # just outside
    (740, claims.HOLDS),  # 74.0%: 4.9 points over (74.1% is 5 points but for the float's last bit)
    (742, claims.PARTLY),
])
def test_open_share_claim_thresholds(open_tokens, verdict):
    assert (claims.CLAIMED_OPEN_SHARE, claims.NEAR_PP) == (0.691, 0.05)
    f = claims.judge_open_share(open_trend(open_tokens))
    assert f.verdict == verdict and f.numbers["share"] == open_tokens / 1000


def test_a_lab_in_two_claimed_stages_is_listed_once_in_order():
    # DeepSeek is in the first and the third stage: in order once, not twice
    f = claims.judge_leaders(spells("DeepSeek", "MiniMax", "DeepSeek"), LABS)
    assert f.numbers["in_order"] == ["DeepSeek", "MiniMax"] and f.numbers["matched"] == [0, 1, 2]


def test_a_long_sequence_of_leaders_is_shortened_to_the_first_six_and_last_five():
    names = [f"Lab {i}" for i in range(13)]
    f = claims.judge_leaders(spells(*names), LABS)
    assert f.figure == "12 lead changes: " + " → ".join(names[:6] + ["…"] + names[-5:])
    twelve = claims.judge_leaders(spells(*names[:12]), LABS)
    assert twelve.figure == "11 lead changes: " + " → ".join(names[:12])  # 12 names: all of them


def test_the_latest_overtake_dates_from_the_last_crossing():
    from tokenshare.analysis import metrics

    w = pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"])
    # A ahead, B ahead, A ahead, A ahead: A is ahead since W3, after 2 crossings
    df = pd.DataFrame({"period": list(w) * 2, "is_partial": [False] * 8, "series": ["A"] * 4 + ["B"] * 4,
                       "tokens": [5, 1, 5, 5, 1, 5, 1, 1]})
    got = metrics.latest_overtake(df, "A", "B")
    assert (got["ahead"], got["behind"], got["since"], got["crossings"]) == ("A", "B", w[2], 2)
    assert not got["from_start"]
    # ... and when the last crossing is in the latest week: since that week
    last = metrics.latest_overtake(df[df["period"] != w[3]], "A", "B")
    assert (last["ahead"], last["since"], last["crossings"]) == ("A", w[2], 2)


# claim 2's and claim 4's jump threshold (×1.2: week 1 after at least 1.2 times the level
# before) and claim 2's hold threshold (60% of the peak week), and the count words

def launch_rows(*jump_hold):
    return pd.DataFrame([(f"m{i}", "L", f"x/m{i}", "x", j, h) for i, (j, h) in enumerate(jump_hold)],
                        columns=["model_name", "lab_name", "model_permaslug", "author", "jump", "hold"])


@pytest.mark.parametrize("jump, jumped", [(1.2, True), (1.1999, False), (1.2001, True)])
def test_a_launch_jumps_from_exactly_the_minimum(jump, jumped):
    assert claims.JUMP_MIN == 1.2
    out = claims.launch_outcomes(launch_rows((jump, 0.9)))
    assert bool(out["jumped"].iloc[0]) is jumped and bool(out["both"].iloc[0]) is jumped


@pytest.mark.parametrize("hold, held", [(0.6, True), (0.5999, False), (0.6001, True)])
def test_a_launch_holds_from_exactly_the_minimum(hold, held):
    assert claims.HOLD_MIN == 0.6
    out = claims.launch_outcomes(launch_rows((2.0, hold)))
    assert bool(out["held"].iloc[0]) is held


@pytest.mark.parametrize("measured, words", [(0, "0 launches"), (1, "1 launch"), (2, "2 launches")])
def test_claim_2_counts_the_launches_it_measured_in_words(measured, words):
    # fewer than the 3 it needs: the figure names how many, singular for one; a launch
    # without a hold figure is not counted
    rows = launch_rows(*[(2.0, 0.9)] * measured, (2.0, None))
    f = claims.judge_launches(rows)
    assert f.verdict == claims.UNTESTABLE and f.numbers == {"measured": measured}
    assert f.figure == f"{words} with enough history in this range"


def us_labs(best_rank, *jumps):
    standing = pd.DataFrame({"best_rank": [best_rank], "best_period": [pd.Timestamp("2026-01-12")],
                             "rank_now": [float(best_rank)]})
    share = pd.DataFrame({"period": [pd.Timestamp("2026-01-12")], "is_partial": [False], "share_of_open": [0.05]})
    return claims.judge_us_labs(standing, share, pd.DataFrame({"jump": list(jumps)}, dtype=float))


@pytest.mark.parametrize("jump, verdict", [
    (1.2, claims.PARTLY),  # exactly ×1.2: a jump (rank #14 is not a strong appearance)
    (1.1999, claims.DOES_NOT_HOLD),  # just under: no jump, and no strong rank
    (1.2001, claims.PARTLY),
])
def test_claim_4_trinity_jump_threshold(jump, verdict):
    f = us_labs(14, jump)
    assert f.verdict == verdict and f.numbers["best_jump"] == jump
    if verdict == claims.PARTLY:
        assert f.why == "a Trinity launch jumped, but Arcee AI never reached the top 10"


@pytest.mark.parametrize("rank, verdict", [(10, claims.HOLDS), (11, claims.PARTLY), (9, claims.HOLDS)])
def test_claim_4_strong_rank_threshold(rank, verdict):
    assert claims.STRONG_RANK == 10
    assert us_labs(rank, 1.5).verdict == verdict


@pytest.mark.parametrize("launches, words", [(1, "1 Trinity launch"), (2, "2 Trinity launches")])
def test_claim_4_counts_trinity_launches_without_a_jump_in_words(launches, words):
    f = us_labs(4, *[None] * launches)
    assert f.numbers["best_jump"] is None and f.numbers["trinity_launches"] == launches
    assert f.figure.endswith(f"; {words} with a jump figure: none")
    assert f.verdict == claims.PARTLY and f.why == "top 10 in some period, but no Trinity launch jumped"


def test_the_open_share_claim_says_its_tolerance_in_points():
    f = claims.judge_open_share(open_trend(641))  # 64.1%: 5 points under 69.1%
    assert f.why == "open is ahead, and within 5 points of the claim"
    assert "within 5 points of the claimed 69.1%" in claims.RULE_1


def test_claim_2_figure_in_words():
    # four launches: jumps 2.0, 1.1, 3.0, 1.3 (3 of 4 at x1.2 or more), holds 0.9, 0.9,
    # 0.5, 0.65 (3 of 4 at 60% or more), both: the first and the last (2 of 4); medians
    # x1.65 and 77.5% (shown at whole percent, as each share)
    f = claims.judge_launches(launch_rows((2.0, 0.9), (1.1, 0.9), (3.0, 0.5), (1.3, 0.65)))
    assert f.figure == ("of 4 launches, 75% jumped, 75% held a plateau, 50% did both "
                        "(median jump ×1.65, median hold 78%)")


@pytest.mark.parametrize("open_tokens, off", [
    (641, "5.0 points below the claimed 69.1%"),  # 64.1%
    (691, "0.0 points above the claimed 69.1%"),  # exactly the claim: no gap, said as above
    (740, "4.9 points above the claimed 69.1%"),  # 74.0%
    (501, "19.0 points below the claimed 69.1%"),  # 50.1%
])
def test_the_open_share_claim_says_which_side_of_the_claim_it_is(open_tokens, off):
    # by hand: the gap is open_tokens / 1000 - 0.691, in points, its side said in words
    f = claims.judge_open_share(open_trend(open_tokens))
    assert f.figure.endswith(f"({off})")
    if f.verdict == claims.PARTLY:
        assert f.why == f"open is ahead (overtaken holds), but the share is {off}"
