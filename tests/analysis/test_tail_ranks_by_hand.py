"""Ranks, leads, statuses and shares from censored intervals, on rows small enough to
work out by hand (tokenshare/analysis/tail/ranks.py and bounds.py; docs/tail.md): ties
at equal bounds broken by name, both sides of each `> 0` and `== 0` in the rules, and a
period whose yardstick had no tokens at all. Fast: no market is generated.

The rules (ranks.rank_ranges): M is surely above L when lo_M > hi_L, or lo_M = hi_L > 0
and M's name sorts first; M may be above L when hi_M > 0 and (hi_M > lo_L, or
hi_M = lo_L and M sorts first). best = 1 + #surely above, worst = 1 + #maybe above;
no rank (NaN) when hi = 0."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tokenshare.analysis.tail import bounds as tail, ranks as tail_ranks

P1, P2, P3 = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-12"), pd.Timestamp("2026-01-19")

# rows given out of period order: rank_ranges must rank each period on its own
BOUNDS = pd.DataFrame([
    (P2, "B", 80, 80), (P1, "A", 50, 50), (P1, "B", 50, 50), (P2, "A", 20, 20), (P1, "C", 0, 0),
    (P1, "D", 10, 50), (P2, "D", 0, 30), (P1, "G", 0, 5), (P3, "A", 0, 0), (P3, "B", 0, 0),
], columns=["period", "group", "tokens_lo", "tokens_hi"])


def test_rank_ranges_by_hand():
    r = tail_ranks.rank_ranges(BOUNDS)
    # each period's rows in their order, the periods in order
    assert list(zip(r["period"], r["group"])) == [
        (P1, "A"), (P1, "B"), (P1, "C"), (P1, "D"), (P1, "G"), (P2, "B"), (P2, "A"), (P2, "D"), (P3, "A"), (P3, "B")]
    got = {(p, g): (b, w) for p, g, b, w in zip(r["period"], r["group"], r["best_rank"], r["worst_rank"])}
    # P1: A and B tie at exactly 50: A's name sorts first, so A surely above B (2 > 1
    # would need lo_B > hi_A: no). D [10, 50]: A and B surely above (50 = 50, their
    # names first), nobody below can pass it. G [0, 5]: A, B, D (lo 10 > 5) surely
    # above; C has no tokens (hi 0), so it is not even maybe above G although
    # hi_C = lo_G = 0 and "C" < "G".
    assert got[(P1, "A")] == (1, 1)
    assert got[(P1, "B")] == (2, 2)
    assert got[(P1, "D")] == (3, 3)
    assert got[(P1, "G")] == (4, 4)
    assert all(math.isnan(x) for x in got[(P1, "C")])  # no tokens: no rank
    # P2: B 80 first; A exactly 20 and D [0, 30]: either may be 2nd
    assert got[(P2, "B")] == (1, 1)
    assert got[(P2, "A")] == (2, 3)
    assert got[(P2, "D")] == (2, 3)
    # P3: nobody had tokens
    assert all(math.isnan(x) for x in got[(P3, "A")] + got[(P3, "B")])
    assert list(r["may_be_unranked"]) == [False, False, True, False, True, False, False, True, True, True]


def test_rank_ranges_of_nothing():
    r = tail_ranks.rank_ranges(BOUNDS.iloc[0:0])
    assert r.empty and {"best_rank", "worst_rank", "may_be_unranked"} <= set(r.columns)


@pytest.mark.parametrize("a, b, leaders", [
    ("A", "B", ["A", "B", None]),  # P1 a tie at 50 goes to A by name; P3 both [0, 0]: undecided
    ("B", "A", ["A", "B", None]),  # the same whichever is asked first
    # P1: D [10, 50] at most ties A's exact 50, and A wins a tie by name; P2: D [0, 30]
    # may or may not pass A's 20
    ("D", "A", ["A", None, None]),
    ("A", "G", ["A", "A", None]),  # P2: G absent, [0, 0]; P3: both [0, 0]
])
def test_lead_decided_by_hand(a, b, leaders):
    lead = tail_ranks.lead_decided(BOUNDS, a, b)
    assert list(lead["period"]) == [P1, P2, P3]
    assert list(lead["leader"]) == leaders
    assert list(lead["decided"]) == [x is not None for x in leaders]


def test_lead_decided_at_equal_bounds_goes_by_name_only_above_zero():
    touching = pd.DataFrame([(P1, "A", 30, 40), (P1, "B", 10, 30)], columns=BOUNDS.columns)
    # lo_A = hi_B = 30 > 0 and A sorts first: A surely leads
    assert list(tail_ranks.lead_decided(touching, "A", "B")["leader"]) == ["A"]
    # the same bounds with the names swapped: B's [30, 40] against A's [10, 30] is a tie
    # at 30 that A would win: undecided
    swapped = touching.assign(group=["B", "A"])
    assert list(tail_ranks.lead_decided(swapped, "A", "B")["leader"]) == [None]
    assert not tail_ranks.spell_decided(swapped, "B", "A", [P1])
    assert tail_ranks.spell_decided(touching, "A", "B", [P1])


def test_leader_decided_by_hand():
    ld = tail_ranks.leader_decided(BOUNDS)
    assert list(ld["period"]) == [P1, P2, P3]
    assert list(ld["leader"]) == ["A", "B", None]
    assert list(ld["decided"]) == [True, True, False]


def status_rows(*rows):
    return pd.DataFrame(rows, columns=["period", "group", "known", "days_ranked", "days_censored", "days_live"])


def test_model_status_each_branch():
    st = tail_ranks.model_status(status_rows(
        (P1, "not-live", 0, 0, 0, 0),  # no live day
        (P1, "exact", 70, 2, 0, 2),  # live, never censored, tokens
        (P1, "empty", 0, 0, 0, 1),  # live, never censored, no tokens: [0, 0]
        (P1, "hidden", 0, 0, 1, 1),  # live, censored, never ranked
        (P1, "partly", 30, 1, 1, 2),  # ranked one day, censored the other
        (P1, "one-each", 5, 1, 1, 1),  # ranked and censored on its one live day (a :free split)
    ))
    assert list(st["status"]) == ["not launched", "ranked", "no tokens", "below the top 50",
                                  "partly below the top 50", "partly below the top 50"]


def test_launch_jump_bounds_by_hand():
    # before [10, 20] a day, after [30, 60]: at least 30/20 = x1.5, at most 60/10 = x6
    assert tail_ranks.launch_jump_bounds(10, 20, 30, 60) == (1.5, 6.0)
    # before [0, 20]: no upper bound
    assert tail_ranks.launch_jump_bounds(0, 20, 30, 60) == (1.5, math.inf)
    idx = pd.Index(["x", "y", "z"])
    lo, hi = tail_ranks.launch_jump_bounds(pd.Series([10, 0, 0], idx), pd.Series([20, 20, 0], idx),
                                           pd.Series([30, 30, 30], idx), pd.Series([60, 60, 60], idx))
    assert list(lo.index) == list(idx) and list(hi.index) == list(idx)
    assert list(lo[["x", "y"]]) == [1.5, 1.5] and list(hi[["x", "y"]]) == [6.0, math.inf]
    assert np.isnan(lo["z"]) and np.isnan(hi["z"])  # a true 0 before: no jump figure


# A two-day market for the shares: day 1 the open model o/late is not live yet (a true 0),
# so the open yardstick has no token at all that day; day 2 it is ranked.
#     entry       lab  weights   day 1            day 2
#     a/closed    A    closed    100 ranked       100 ranked
#     o/late      O    open      - (live day 2)    40 ranked
#     b/small     B    closed     absent (cut 100)  absent (cut 40), other 7 both days
D1, D2 = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-06")
USAGE = pd.DataFrame([(D1, "a/closed", 100), (D1, "other", 7), (D2, "a/closed", 100), (D2, "o/late", 40),
                      (D2, "other", 7)], columns=["date", "model_permaslug", "total_tokens"])
CATALOGUE = pd.DataFrame([("a/closed", "A", "closed", "2025-01-01"), ("o/late", "O", "open", "2026-01-06"),
                          ("b/small", "B", "closed", "2025-01-01")],
                         columns=["model_permaslug", "lab_name", "openness", "live_from"])


@pytest.fixture(scope="module")
def ed():
    return tail.entry_days(USAGE, CATALOGUE)


def test_a_day_without_any_open_token_has_no_open_share(ed):
    sr = tail.share_ranges(ed, "lab_name", "day", "open").set_index(["period", "group"])
    d1 = sr.loc[(D1, "O")]
    # day 1: O could have had nothing (not live) and the yardstick is empty: no share at
    # all (NaN), not a share of 0
    assert (d1["known"], d1["tokens_lo"], d1["tokens_hi"]) == (0, 0, 0)
    assert np.isnan(d1["known_share"]) and np.isnan(d1["share_lo"]) and np.isnan(d1["share_hi"])
    d2 = sr.loc[(D2, "O")]
    assert (d2["known_share"], d2["share_lo"], d2["share_hi"]) == (1.0, 1.0, 1.0)


def test_share_of_named_tokens_with_a_hidden_closed_model(ed):
    sr = tail.share_ranges(ed, "lab_name", "day", "named").set_index(["period", "group"])
    # day 1: B's b/small absent, live: [0, min(cut 100, other 7)] = [0, 7]; A 100 known;
    # O not live: its share is 0 at most, and exactly 0 (the yardstick has A's 100)
    assert (sr.loc[(D1, "O"), "share_lo"], sr.loc[(D1, "O"), "share_hi"]) == (0.0, 0.0)
    assert sr.loc[(D1, "A"), "share_lo"] == pytest.approx(100 / 107)
    assert sr.loc[(D1, "A"), "share_hi"] == 1.0
    assert sr.loc[(D1, "B"), "share_lo"] == 0.0
    assert sr.loc[(D1, "B"), "share_hi"] == pytest.approx(7 / 107)
    # day 2: the cut is 40, other 7: B in [0, 7]; O known 40 of 140 known
    assert sr.loc[(D2, "O"), "share_lo"] == pytest.approx(40 / 147)
    assert sr.loc[(D2, "O"), "share_hi"] == pytest.approx(40 / 140)


def test_period_bounds_count_days_by_hand(ed):
    pb = tail.period_bounds(ed, "lab_name", "week").set_index("group")
    # A: one ranked entry each day (exactly one is enough for a ranked day)
    assert tuple(pb.loc["A", ["days_ranked", "days_censored", "days_live", "known"]]) == (2, 0, 2, 200)
    # O: live and ranked on day 2 only
    assert tuple(pb.loc["O", ["days_ranked", "days_censored", "days_live", "known"]]) == (1, 0, 1, 40)
    # B: live both days, never ranked, up to 7 a day
    assert tuple(pb.loc["B", ["days_ranked", "days_censored", "days_live", "tokens_lo", "tokens_hi"]]) == (
        0, 2, 2, 0, 14)


def test_range_bounds_window_by_hand(ed):
    day2 = tail_ranks.range_bounds(ed, "lab_name", D2, D2).set_index("group")
    assert (day2.loc["O", "days"], day2.loc["O", "known"], day2.loc["O", "mean_hi"]) == (1, 40, 40)
    both = tail_ranks.range_bounds(ed, "lab_name", D1, D2).set_index("group")
    assert (both.loc["B", "days"], both.loc["B", "tokens_hi"], both.loc["B", "mean_hi"]) == (2, 14, 7)
    assert (both.loc["O", "known"], both.loc["O", "mean_lo"]) == (40, 20)
