"""The words the pages use for the tail below the daily top 50 (tokenshare/app/tail.py):
a range is rounded outwards, so what a page says holds the truth; and on random uncut
markets (tests/tail_market.py) every lab's share range and rank range, as the Share and
Race pages state them, contains the lab's true share and rank."""

import re

import numpy as np
import pandas as pd
import pytest

from tests.tail_market import make_market, true_entry_days
from tokenshare.analysis.tail import bounds as tail
from tokenshare.app import tail as tailing


@pytest.mark.parametrize("known, lo, hi, said", [
    (0.0, 0.0, 0.046512, "under 4.7%"),
    (0.02, 0.0195, 0.0228, "between 1.9% and 2.3%"),
    (0.0, 0.0, 0.0004, "under 0.1%"),
    (0.1111, 0.1111, 0.1111, "11.1%"),  # exact: the ranked figure
    (0.05012, 0.05011, 0.05014, "5.0%"),  # the tail cannot move it at the precision shown
    (0.05, 0.0501, 0.0509, "between 5.0% and 5.1%"),
])
def test_share_words(known, lo, hi, said):
    assert tailing.share_words(known, lo, hi) == said


def test_rank_words():
    assert tailing.rank_words(3, 3) == "#3"
    assert tailing.rank_words(3, 14) == "between #3 and #14"
    assert tailing.rank_words(3, 14, short=True) == "#3–#14"


def said_range(words: str) -> tuple[float, float]:
    nums = [float(x) / 100 for x in re.findall(r"(\d+\.\d)%", words)]
    if words.startswith("under"):
        return 0.0, nums[0]
    if words.startswith("between"):
        return nums[0], nums[1]
    return nums[0] - 0.0005, nums[0] + 0.0005  # one figure, to one decimal


@pytest.mark.parametrize("seed", range(12))
def test_lab_shares_and_ranks_as_said_hold_the_truth(seed):
    m = make_market(seed)
    ed = tail.entry_days(m.usage, m.catalogue)
    labs = tailing.lab_frame(ed, "week", "named")
    truth = true_entry_days(m)
    truth = truth[truth["openness"].isin(["open", "closed"])]
    truth = truth.assign(period=tail._periods(truth["date"], "week"))
    per_lab = truth.groupby(["period", "lab_name"])["total_tokens"].sum()
    total = truth.groupby("period")["total_tokens"].sum()
    checked = 0
    for r in labs.itertuples():
        t = per_lab.get((r.period, r.group), 0)
        den = total.get(r.period, 0)
        if not den:
            continue
        lo, hi = said_range(tailing.share_words(r.known_share, r.share_lo, r.share_hi))
        assert lo - 1e-12 <= t / den <= hi + 1e-12, (seed, r.period, r.group, t / den, lo, hi)
        if t > 0:  # its true rank among the labs with tokens that week
            week = per_lab.loc[r.period]
            rank = 1 + int(((week > t) | ((week == t) & (week.index < r.group))).sum())
            assert r.best_rank <= rank <= r.worst_rank, (seed, r.period, r.group, rank)
        checked += 1
    assert checked
