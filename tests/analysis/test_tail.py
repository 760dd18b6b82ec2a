"""Censored bounds worked out by hand (tokenshare/analysis/tail.py, tail_ranks.py,
tail_segments.py; docs/tail.md).

The market: top 4 a day, two days (Monday 5 and Tuesday 6 January 2026: the week is
partial). Lab S has four small open models, all below the cut; s/x4 launches on day 2.
p/private is in no catalogue: its tokens are in `other`, never attributed.

    entry        lab  weights   day 1         day 2
    a/big        A    closed    100 ranked    100 ranked
    b/mid        B    open       60 ranked     50 ranked
    c/one        C    open       40 ranked     30 ranked (the cut on day 2)
    e/small      E    open       26 ranked     31 ranked
    s/x1         S    open       10 absent     12 absent
    s/x2         S    open        8 absent      0 absent (a day of no tokens)
    s/x3         S    open        2 absent      3 absent
    s/x4         S    open        - (launches day 2)  20 absent
    p/private    -    -           5 absent      5 absent
    cut                          26            30
    other                        25            40  (= the absent rows' sum)
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tokenshare.analysis import tail, tail_ranks, tail_segments

D1, D2 = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-06")
WEEK = pd.Timestamp("2026-01-05")

USAGE = pd.DataFrame([
    (D1, "a/big", 100), (D1, "b/mid", 60), (D1, "c/one", 40), (D1, "e/small", 26), (D1, "other", 25),
    (D2, "a/big", 100), (D2, "b/mid", 50), (D2, "e/small", 31), (D2, "c/one", 30), (D2, "other", 40),
], columns=["date", "model_permaslug", "total_tokens"])

CATALOGUE = pd.DataFrame([
    ("a/big", "A", "closed", "2025-01-01"), ("b/mid", "B", "open", "2025-01-01"),
    ("c/one", "C", "open", "2025-01-01"), ("e/small", "E", "open", "2025-01-01"),
    ("s/x1", "S", "open", "2025-06-01"), ("s/x2", "S", "open", "2025-06-01"),
    ("s/x3", "S", "open", "2025-06-01"), ("s/x4", "S", "open", "2026-01-06"),
], columns=["model_permaslug", "lab_name", "openness", "live_from"])


@pytest.fixture(scope="module")
def ed():
    return tail.entry_days(USAGE, CATALOGUE)


def one(df, **where):
    for k, v in where.items():
        df = df[df[k] == v]
    assert len(df) == 1, where
    return df.iloc[0]


def test_entry_days_bounds(ed):
    # day 1: an absent live entry has at most min(cut 26, other 25) = 25
    assert tuple(one(ed, date=D1, model_permaslug="s/x1")[["tokens_lo", "tokens_hi"]]) == (0, 25)
    # not launched: a true 0, not censored
    x4 = one(ed, date=D1, model_permaslug="s/x4")
    assert (x4["live"], x4["tokens_lo"], x4["tokens_hi"]) == (False, 0, 0)
    # day 2: min(cut 30, other 40) = 30; a ranked entry is exact
    assert one(ed, date=D2, model_permaslug="s/x4")["tokens_hi"] == 30
    assert tuple(one(ed, date=D2, model_permaslug="c/one")[["tokens_lo", "tokens_hi"]]) == (30, 30)
    assert "p/private" not in set(ed["model_permaslug"])


def test_a_lab_below_the_cut(ed):
    pb = tail.period_bounds(ed, "lab_name", "week")
    s = one(pb, group="S")
    # day 1: three live absent models, 3 x 25 = 75, capped by other: 25
    # day 2: four, 4 x 30 = 120, capped by other: 40. The week: [0, 65]; the truth is
    # 10+8+2 + 12+0+3+20 = 55, inside.
    assert (s["known"], s["hidden_min"], s["hidden_max"]) == (0, 0, 65)
    assert (s["tokens_lo"], s["tokens_hi"]) == (0, 65)
    assert (s["days_ranked"], s["days_censored"], s["days_live"]) == (0, 2, 2)
    assert bool(s["is_partial"])  # two days of the week
    c = one(pb, group="C")
    assert (c["known"], c["tokens_lo"], c["tokens_hi"]) == (70, 70, 70)


def test_share_of_named_volume(ed):
    sr = tail.share_ranges(ed, "lab_name", "week", "named").set_index("group")
    # named known: day 1 100+60+40+26 = 226, day 2 100+50+31+30 = 211: 437
    # S: lower = (0 + 0) / (437 + 0 + 0) = 0 (no other named model is hidden)
    #    upper = (0 + 65) / (437 + 65 + 0) = 65/502; the truth 55/(437+55) = 55/492
    assert sr.loc["S", "share_lo"] == 0
    assert sr.loc["S", "share_hi"] == pytest.approx(65 / 502)
    assert sr.loc["S", "known_share"] == 0
    assert 0 <= 55 / 492 <= 65 / 502
    # C (ranked, 70): lower = 70 / (437 + 0 + 65), S's hidden at its most, in the
    # denominator; upper = 70 / 437 (S's hidden at 0); the truth 70/492
    assert sr.loc["C", "share_lo"] == pytest.approx(70 / 502)
    assert sr.loc["C", "share_hi"] == pytest.approx(70 / 437)
    assert sr.loc["C", "known_share"] == pytest.approx(70 / 437)
    assert 70 / 502 <= 70 / 492 <= 70 / 437


def test_share_of_all_tokens(ed):
    sr = tail.share_ranges(ed, "lab_name", "week", "all").set_index("group")
    # every token: 226 + 25 + 211 + 40 = 502, known exactly
    assert sr.loc["S", "share_lo"] == 0 and sr.loc["S", "share_hi"] == pytest.approx(65 / 502)
    assert sr.loc["C", "share_lo"] == sr.loc["C", "share_hi"] == pytest.approx(70 / 502)


def test_ranks_and_leads(ed):
    pb = tail.period_bounds(ed, "lab_name", "week", "named")
    r = tail_ranks.rank_ranges(pb).set_index("group")
    # A 200, B 110, C 70, E 57 exact; S in [0, 65]
    assert (r.loc["A", "best_rank"], r.loc["A", "worst_rank"]) == (1, 1)
    assert (r.loc["C", "best_rank"], r.loc["C", "worst_rank"]) == (3, 3)  # 70 > S's 65
    assert (r.loc["E", "best_rank"], r.loc["E", "worst_rank"]) == (4, 5)  # S may pass 57
    assert (r.loc["S", "best_rank"], r.loc["S", "worst_rank"]) == (4, 5)
    assert bool(r.loc["S", "may_be_unranked"]) and not bool(r.loc["E", "may_be_unranked"])
    assert list(tail_ranks.lead_decided(pb, "C", "S")["leader"]) == ["C"]
    assert list(tail_ranks.lead_decided(pb, "E", "S")["leader"]) == [None]
    assert tail_ranks.spell_decided(pb, "C", "S", [WEEK])
    assert not tail_ranks.spell_decided(pb, "E", "S", [WEEK])
    assert list(tail_ranks.leader_decided(pb)["leader"]) == ["A"]


def test_status_of_models(ed):
    pb = tail.period_bounds(ed, "model_permaslug", "day")
    st = tail_ranks.model_status(pb).set_index(["period", "group"])["status"]
    assert st[(D1, "s/x4")] == "not launched"
    assert st[(D2, "s/x4")] == "below the top 50"
    assert st[(D1, "c/one")] == "ranked"
    week = tail_ranks.model_status(tail.period_bounds(ed, "lab_name", "week")).set_index("group")
    assert week.loc["S", "status"] == "below the top 50"


def test_launch_jump_at_least():
    # lab S's level before: [0, 25] a day; after: 40 a day, known: at least x1.6
    assert tail_ranks.launch_jump_bounds(0, 25, 40, 40) == (1.6, np.inf)
    # a known level before: the jump is exact
    assert tail_ranks.launch_jump_bounds(10, 10, 40, 40) == (4.0, 4.0)
    # nothing before (a true 0): no jump figure
    lo, hi = tail_ranks.launch_jump_bounds(0, 0, 40, 40)
    assert np.isnan(lo) and np.isnan(hi)


def test_range_bounds_window(ed):
    rb = tail_ranks.range_bounds(ed, "lab_name", D1, D1).set_index("group")
    assert (rb.loc["S", "days"], rb.loc["S", "tokens_hi"], rb.loc["S", "mean_hi"]) == (1, 25, 25)


def test_tie_at_the_cut():
    # b and c both have 5; the API keeps b (alphabetical) and puts c in other: c had
    # exactly the cut, so the interval is closed at the top
    usage = pd.DataFrame([(D1, "a", 10), (D1, "b", 5), (D1, "other", 5)],
                         columns=["date", "model_permaslug", "total_tokens"])
    cat = pd.DataFrame({"model_permaslug": ["a", "b", "c"], "lab_name": ["A", "B", "C"],
                        "live_from": pd.NaT})
    ed = tail.entry_days(usage, cat)
    c = one(ed, model_permaslug="c")
    assert (c["tokens_lo"], c["tokens_hi"]) == (0, 5)


def test_zero_day_and_empty_tail():
    # a day with no `other` row: the tail was empty, every absent model had 0
    usage = pd.DataFrame([(D1, "a", 10)], columns=["date", "model_permaslug", "total_tokens"])
    cat = pd.DataFrame({"model_permaslug": ["a", "b"], "lab_name": ["A", "B"], "live_from": pd.NaT})
    pb = tail.period_bounds(tail.entry_days(usage, cat), "lab_name", "day").set_index("group")
    assert (pb.loc["B", "tokens_lo"], pb.loc["B", "tokens_hi"]) == (0, 0)
    assert tail_ranks.model_status(pb.reset_index()).set_index("group").loc["B", "status"] == "no tokens"


# Segment lists, one day. Ranked (top 2): big 100, mid 60; other 40 (x1 30, x2 10), cut 60.
# The truth split by context bucket:  big 50 / 50, mid 20 / 40, x1 25 / 5, x2 0 / 10.
# Each bucket keeps its top 2 and an `other`:
#   1K:  big 50, x1 25, other 20 (mid 20 + x2 0): cut 25
#   10K: big 50, mid 40, other 15 (x2 10 + x1 5): cut 40
# The buckets add up to 50+25+20 + 50+40+15 = 200 = the day's 100+60+40: a partition.
# Tool calling (a modality list): big 30, x2 8, other 20.
SEG_USAGE = pd.DataFrame([(D1, "a/big", 100), (D1, "b/mid", 60), (D1, "other", 40)],
                         columns=["date", "model_permaslug", "total_tokens"])
SEG = pd.DataFrame([
    ("context", "1K", D1, "a/big", 50), ("context", "1K", D1, "s/x1", 25), ("context", "1K", D1, "other", 20),
    ("context", "10K", D1, "a/big", 50), ("context", "10K", D1, "b/mid", 40), ("context", "10K", D1, "other", 15),
    ("modality", "tool_calling", D1, "a/big", 30), ("modality", "tool_calling", D1, "s/x2", 8),
    ("modality", "tool_calling", D1, "other", 20),
], columns=["dimension", "segment", "date", "model_permaslug", "total_tokens"])
SEG_CAT = pd.DataFrame({"model_permaslug": ["a/big", "b/mid", "s/x1", "s/x2"],
                        "lab_name": ["A", "B", "S", "S"], "live_from": pd.NaT})


def test_context_partition_check():
    assert tail_segments.context_partitions(SEG_USAGE, SEG)
    broken = SEG[~((SEG["segment"] == "1K") & (SEG["model_permaslug"] == "other"))]  # 180 of 200
    assert not tail_segments.context_partitions(SEG_USAGE, broken)
    assert not tail_segments.context_partitions(SEG_USAGE, SEG[SEG["dimension"] == "modality"])


def test_segment_bounds_on_a_partition_day():
    sb = tail_segments.segment_bounds(SEG_USAGE, SEG).set_index("model_permaslug")
    # x1: listed in 1K with 25; absent from 10K, where it had at most min(40, 15) = 15
    assert (sb.loc["s/x1", "seg_lo"], sb.loc["s/x1", "seg_hi"]) == (25, 40)
    # x2: 8 in tool calling; in no context list: at most min(25, 20) + min(40, 15) = 35
    assert (sb.loc["s/x2", "seg_lo"], sb.loc["s/x2", "seg_hi"]) == (8, 35)
    assert list(tail_segments.unlisted_caps(SEG_USAGE, SEG)["seg_hi"]) == [35]
    ed = tail.entry_days(SEG_USAGE, SEG_CAT, sb, tail_segments.unlisted_caps(SEG_USAGE, SEG))
    pb = tail.period_bounds(ed, "model_permaslug", "day").set_index("group")
    # x1 in [25, min(60, 40, 40 - 8)] = [25, 32] (truth 30); x2 in [8, min(35, 40 - 25)]
    # = [8, 15] (truth 10): each absent model's lower bound leaves the other at most
    # other - that bound
    assert (pb.loc["s/x1", "tokens_lo"], pb.loc["s/x1", "tokens_hi"]) == (25, 32)
    assert (pb.loc["s/x2", "tokens_lo"], pb.loc["s/x2", "tokens_hi"]) == (8, 15)
    lab = tail.period_bounds(ed, "lab_name", "day").set_index("group")
    assert (lab.loc["S", "tokens_lo"], lab.loc["S", "tokens_hi"]) == (33, 40)  # truth 40


def test_segment_bounds_fall_back_without_a_partition():
    broken = SEG[~((SEG["segment"] == "1K") & (SEG["model_permaslug"] == "other"))]
    sb = tail_segments.segment_bounds(SEG_USAGE, broken).set_index("model_permaslug")
    assert sb.loc["s/x1", "seg_lo"] == 25 and np.isnan(sb.loc["s/x1", "seg_hi"])
    assert tail_segments.unlisted_caps(SEG_USAGE, broken).empty
    ed = tail.entry_days(SEG_USAGE, SEG_CAT, sb, tail_segments.unlisted_caps(SEG_USAGE, broken))
    pb = tail.period_bounds(ed, "model_permaslug", "day").set_index("group")
    # x1 in [25, min(60, 40, 40 - 8)]; x2 in [8, min(60, 40, 40 - 25)]
    assert (pb.loc["s/x1", "tokens_lo"], pb.loc["s/x1", "tokens_hi"]) == (25, 32)
    assert (pb.loc["s/x2", "tokens_lo"], pb.loc["s/x2", "tokens_hi"]) == (8, 15)


def test_open_weights_since_moves_a_model_between_universes():
    usage = pd.DataFrame([(D1, "a", 10), (D2, "a", 10)], columns=["date", "model_permaslug", "total_tokens"])
    cat = pd.DataFrame({"model_permaslug": ["a"], "lab_name": ["A"], "openness": ["open"],
                        "open_weights_since": [D2], "live_from": pd.NaT})
    ed = tail.entry_days(usage, cat)
    assert list(ed["openness"]) == ["closed", "open"]
    sr = tail.share_ranges(ed, "lab_name", "week", "open").set_index("group")
    assert sr.loc["A", "known"] == 10 and sr.loc["A", "known_share"] == 1.0


def test_spells_and_leaders_by_day(ed):
    pb = tail.period_bounds(ed, "lab_name", "day", "named")
    # day 1: C 40 against S in [0, 25]: decided; day 2: C 30 against S in [0, 40]: not
    assert list(tail_ranks.lead_decided(pb, "C", "S")["leader"]) == ["C", None]
    assert tail_ranks.spell_decided(pb, "C", "S", [D1])
    assert not tail_ranks.spell_decided(pb, "C", "S", [D1, D2])


def test_leader_undecided_by_a_tie_at_the_bound():
    # b ranked with 10; a absent with up to min(cut 10, other 10) = 10: a tie at 10 would
    # go to a (alphabetical), so #1 is not decided
    usage = pd.DataFrame([(D1, "b", 10), (D1, "other", 10)], columns=["date", "model_permaslug", "total_tokens"])
    cat = pd.DataFrame({"model_permaslug": ["a", "b"], "lab_name": ["a", "b"], "live_from": pd.NaT})
    pb = tail.period_bounds(tail.entry_days(usage, cat), "lab_name", "day")
    assert list(tail_ranks.leader_decided(pb)["leader"]) == [None]
    r = tail_ranks.rank_ranges(pb).set_index("group")
    assert (r.loc["b", "best_rank"], r.loc["b", "worst_rank"]) == (1, 2)


def test_partition_checked_on_every_day():
    day2 = SEG.assign(date=D2)
    day2 = day2[~((day2["segment"] == "1K") & (day2["model_permaslug"] == "other"))]  # 180 of 200
    usage = pd.concat([SEG_USAGE, SEG_USAGE.assign(date=D2)])
    seg = pd.concat([SEG, day2])
    days = tail_segments.context_partition_days(usage, seg)
    assert list(days["partitions"]) == [True, False]
    assert list(days["context_total"]) == [200, 180]
    assert not tail_segments.context_partitions(usage, seg)
    sb = tail_segments.segment_bounds(usage, seg).set_index(["date", "model_permaslug"])
    assert sb.loc[(D1, "s/x1"), "seg_hi"] == 40 and np.isnan(sb.loc[(D2, "s/x1"), "seg_hi"])


def test_share_ranges_with_segment_lower_bounds():
    cat = SEG_CAT.assign(openness=["closed", "open", "open", "open"])
    sb = tail_segments.segment_bounds(SEG_USAGE, SEG)
    ed = tail.entry_days(SEG_USAGE, cat, sb, tail_segments.unlisted_caps(SEG_USAGE, SEG))
    sr = tail.share_ranges(ed, "model_permaslug", "day", "named").set_index("group")
    # named known 160. x1 in [25, 32]; the rest of named hidden is x2, in [8, min(35, 40 - 25)]
    # lower = 25 / (160 + 25 + 15) = 0.125; upper = 32 / (160 + 32 + 8) = 0.16; truth 30/200
    assert sr.loc["s/x1", "share_lo"] == pytest.approx(0.125)
    assert sr.loc["s/x1", "share_hi"] == pytest.approx(0.16)
    # a/big: lower = 100 / (160 + 0 + min(40 + 35, 40)) = 0.5, upper = 100 / (160 + 33)
    assert sr.loc["a/big", "share_lo"] == pytest.approx(0.5)
    assert sr.loc["a/big", "share_hi"] == pytest.approx(100 / 193)


def test_open_share_counts_every_day_of_the_period():
    # x opens on day 2 (closed on day 1), y is open on both; 10 tokens each a day. Open
    # tokens: day 1 10 (y), day 2 20: x's share of the week's open tokens is 10/30
    usage = pd.DataFrame([(D1, "x", 10), (D1, "y", 10), (D2, "x", 10), (D2, "y", 10)],
                         columns=["date", "model_permaslug", "total_tokens"])
    cat = pd.DataFrame({"model_permaslug": ["x", "y"], "lab_name": ["X", "Y"], "openness": ["open", "open"],
                        "open_weights_since": [D2, pd.NaT], "live_from": pd.NaT})
    sr = tail.share_ranges(tail.entry_days(usage, cat), "lab_name", "week", "open").set_index("group")
    assert sr.loc["X", "known_share"] == pytest.approx(10 / 30)
    assert sr.loc["X", "share_lo"] == sr.loc["X", "share_hi"] == pytest.approx(10 / 30)


def test_segment_lower_bound_is_the_largest_figure_not_the_sum():
    # x1 is 25 in text and 20 in tool calling: the two overlap, so its total is at least
    # 25 (not 45); no context rows, so no partition and no upper bound from segments
    seg = pd.DataFrame([("modality", "text", D1, "s/x1", 25), ("modality", "tool_calling", D1, "s/x1", 20)],
                       columns=["dimension", "segment", "date", "model_permaslug", "total_tokens"])
    sb = tail_segments.segment_bounds(SEG_USAGE, seg).set_index("model_permaslug")
    assert sb.loc["s/x1", "seg_lo"] == 25 and np.isnan(sb.loc["s/x1", "seg_hi"])


def test_a_universe_wholly_hidden():
    # the only open-weight model, b, is below the cut: every open token is b's, so its
    # share of open tokens is 1 whenever there are any (b in [0, min(cut 10, other 5)])
    usage = pd.DataFrame([(D1, "a", 10), (D1, "other", 5)], columns=["date", "model_permaslug", "total_tokens"])
    cat = pd.DataFrame({"model_permaslug": ["a", "b"], "lab_name": ["A", "B"], "openness": ["closed", "open"],
                        "live_from": pd.NaT})
    sr = tail.share_ranges(tail.entry_days(usage, cat), "lab_name", "day", "open").set_index("group")
    assert (sr.loc["B", "share_lo"], sr.loc["B", "share_hi"]) == (1.0, 1.0)
    assert np.isnan(sr.loc["B", "known_share"])


def test_other_explained_by_segment_bounds():
    sb = tail_segments.segment_bounds(SEG_USAGE, SEG)
    ed = tail.entry_days(SEG_USAGE, SEG_CAT, sb, tail_segments.unlisted_caps(SEG_USAGE, SEG))
    ex = tail.other_explained(ed, "day")
    # other 40; lower bounds x1 25 + x2 8 = 33 surely theirs
    assert (ex["other_tokens"].iloc[0], ex["explained_tokens"].iloc[0]) == (40, 33)
    assert ex["explained_share"].iloc[0] == pytest.approx(33 / 40)
    assert tail.other_explained(tail.entry_days(SEG_USAGE, SEG_CAT), "day")["explained_tokens"].iloc[0] == 0
