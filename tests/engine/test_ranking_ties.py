"""Ties at every ranking: the leader, the runner-up and a focus lab's rank, on a tiny
snapshot built so that labs and models tie, each figure worked out by hand below.

Days 2026-01-05 to 2026-01-27 as in tests/tiny.py (W1-W3 complete, W4 = two days).
Tokens a day (the tiny snapshot's models; no rows for a 0):

    model                     lab            weights   W1   W2   W3   W4
    deepseek/deepseek-v3      DeepSeek       open      50  100  100  100
    qwen/qwen3-235b           Qwen (Alibaba) open     100  100   30   50
    openai/gpt-oss-120b       OpenAI         open      20   20   30   20
    arcee-ai/trinity-large    Arcee AI       open       -   20   30   10
    openai/gpt-5              OpenAI         closed    10   10   10   10

Open-weight labs, tokens a week (x7; W4 x2), ranked by tokens then by name:
    W1: Qwen 700, DeepSeek 350, OpenAI 140
    W2: DeepSeek 700 = Qwen 700 (a tie for #1: DeepSeek by name), Arcee 140 = OpenAI 140
        (a tie for #3: Arcee by name)
    W3: DeepSeek 700, then Arcee 210 = OpenAI 210 = Qwen 210 (a three-way tie for #2:
        Arcee, OpenAI, Qwen by name)
    W4: DeepSeek 200, Qwen 100, OpenAI 40, Arcee 20
So the spells at #1 are Qwen (W1) and DeepSeek (W2-W4): one lead change."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tiny import FIRST_DAY, LAST_DAY, build_tiny_snapshot, daily_usage
from tokenshare.analysis import race
from tokenshare.analysis.metrics import lead_changes
from tokenshare.engine.db import SnapshotDB

TIE_DAILY = {
    "deepseek/deepseek-v3": (50, 100, 100, 100),
    "qwen/qwen3-235b": (100, 100, 30, 50),
    "openai/gpt-oss-120b": (20, 20, 30, 20),
    "arcee-ai/trinity-large": (0, 20, 30, 10),
    "openai/gpt-5": (10, 10, 10, 10),
}
W = [dt.date(2026, 1, 5), dt.date(2026, 1, 12), dt.date(2026, 1, 19), dt.date(2026, 1, 26)]
P = dict(start=FIRST_DAY, end=LAST_DAY, grain="week", countries=[], labs=[], tier="all")


@pytest.fixture(scope="module")
def tie_db(tmp_path_factory):
    snap = build_tiny_snapshot(tmp_path_factory.mktemp("ties") / "snap",
                               usage=daily_usage(TIE_DAILY, FIRST_DAY, LAST_DAY))
    db = SnapshotDB(snap, derived=False)
    yield db
    db.close()


def board(df, week, *cols):
    return [tuple(r) for r in df[df["period"].dt.date == week][list(cols)].itertuples(index=False)]


def test_a_tie_for_first_goes_to_the_lab_first_by_name(tie_db):
    ranks = tie_db.query("lab_ranks", **P, scope="open")
    assert board(ranks, W[1], "lab_name", "tokens", "rank") == [
        ("DeepSeek", 700, 1), ("Qwen (Alibaba)", 700, 2), ("Arcee AI", 140, 3), ("OpenAI", 140, 4)]
    assert board(ranks, W[2], "lab_name", "tokens", "rank") == [
        ("DeepSeek", 700, 1), ("Arcee AI", 210, 2), ("OpenAI", 210, 3), ("Qwen (Alibaba)", 210, 4)]


def test_leader_spells_break_a_tie_for_first_as_the_ranks_do(tie_db):
    spells = tie_db.query("leader_spells", **P, scope="open")
    assert spells["lab_name"].tolist() == ["Qwen (Alibaba)", "DeepSeek"]
    assert spells["periods"].tolist() == [1, 3]
    assert spells["from_period"].dt.date.tolist() == [W[0], W[1]]
    # the current spell ends on the data's last day (a Tuesday), not the Sunday after it (issue 24)
    assert spells["to_day"].dt.date.tolist() == [dt.date(2026, 1, 11), LAST_DAY]
    assert spells["is_current"].tolist() == [False, True]
    assert lead_changes(spells) == 1
    # the same #1 as lab_ranks in every period (an independent reading of the leader)
    ranks = tie_db.query("lab_ranks", **P, scope="open")
    firsts = ranks[ranks["rank"] == 1].sort_values("period")["lab_name"].tolist()
    assert firsts == ["Qwen (Alibaba)", "DeepSeek", "DeepSeek", "DeepSeek"]


def test_the_latest_board_skips_the_partial_week_and_its_runner_up_wins_a_tie_by_name(tie_db):
    ranks = tie_db.query("lab_ranks", **P, scope="open")
    period, top = race.latest_board(ranks)
    assert period.date() == W[2]  # W4 is incomplete
    assert top["lab_name"].tolist()[:2] == ["DeepSeek", "Arcee AI"]


def test_a_focus_lab_tied_with_others_gets_the_rank_the_board_shows(tie_db):
    ranks = tie_db.query("lab_ranks", **P, scope="open")
    standing = race.focus_standing(ranks, ["OpenAI", "Arcee AI"]).set_index("lab_name")
    # W3: Arcee #2, OpenAI #3 of 4 (a three-way tie at 210); OpenAI's best: #3 in W1
    assert standing.loc["Arcee AI", "rank_now"] == 2 and standing.loc["OpenAI", "rank_now"] == 3
    assert standing.loc["Arcee AI", "ranked_now"] == 4
    assert standing.loc["Arcee AI", "best_rank"] == 2 and standing.loc["Arcee AI", "best_period"].date() == W[2]
    assert standing.loc["OpenAI", "best_rank"] == 3 and standing.loc["OpenAI", "best_period"].date() == W[0]
    assert standing.index.tolist() == ["Arcee AI", "OpenAI"]


def test_model_ranks_break_ties_by_permaslug(tie_db):
    ranks = tie_db.query("model_ranks", **P, scope="open", top=10)
    assert board(ranks, W[2], "model_permaslug", "tokens", "rank") == [
        ("deepseek/deepseek-v3", 700, 1), ("arcee-ai/trinity-large", 210, 2),
        ("openai/gpt-oss-120b", 210, 3), ("qwen/qwen3-235b", 210, 4)]
    top2 = tie_db.query("model_ranks", **P, scope="open", top=2)
    assert board(top2, W[1], "model_permaslug", "rank") == [("deepseek/deepseek-v3", 1), ("qwen/qwen3-235b", 2)]


def test_the_top_series_cut_through_a_tie_keeps_the_first_by_name(tie_db):
    w3 = dict(P, start=W[2], end=W[2] + dt.timedelta(days=6))
    df = tie_db.query("share_by_series", **w3, openness="open", breakdown="lab", top=2, volume="named",
                      share_of="selection")
    got = dict(zip(df["series"], df["tokens"]))
    # DeepSeek, then the first of the three labs tied at 210 by name; the other two in Rest
    assert got == {"DeepSeek": 700, "Arcee AI": 210, "Rest": 420}


# A lab leads on the sum of its models, not on its largest one. Tokens a day:
#     deepseek/deepseek-v3 (DeepSeek)   100 100 100 100
#     openai/gpt-oss-120b  (OpenAI)      60  60  30  60
#     openai/gpt-5         (OpenAI)      60  60  30  60
# Named tokens (scope all), a day: OpenAI 120, 120, 60, 120 against DeepSeek's 100, so by
# hand the #1 spells are OpenAI (W1-W2), DeepSeek (W3), OpenAI (W4): two lead changes.
# (OpenAI's largest model, 60, never beats DeepSeek's 100.)
SUM_DAILY = {
    "deepseek/deepseek-v3": (100, 100, 100, 100),
    "openai/gpt-oss-120b": (60, 60, 30, 60),
    "openai/gpt-5": (60, 60, 30, 60),
}


def test_leader_spells_rank_labs_by_the_sum_of_their_models(tmp_path):
    snap = build_tiny_snapshot(tmp_path / "snap", usage=daily_usage(SUM_DAILY, FIRST_DAY, LAST_DAY))
    db = SnapshotDB(snap, derived=False)
    try:
        spells = db.query("leader_spells", **P, scope="all")
    finally:
        db.close()
    assert spells["lab_name"].tolist() == ["OpenAI", "DeepSeek", "OpenAI"]
    assert spells["periods"].tolist() == [2, 1, 1]
    assert lead_changes(spells) == 2
