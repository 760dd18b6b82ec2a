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
