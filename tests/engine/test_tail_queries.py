"""The coverage queries and the tail analysis's inputs, checked by hand on the tiny
snapshot (tests/tiny.py).

Per day the tiny snapshot ranks every model with tokens; `other` is 30 a day and the
smallest ranked row is retired/old-model's 5 every day, so the cut is 5.

    ranked per day   W1: 100+50+200+10+40+5          = 405 (6 rows; arcee, sao10k absent)
                     W2: 100+120+200+10+20+40+10+5   = 505 (8 rows)
                     W3: 150+100+150+20+30+40+10+5   = 505
                     W4: 200+100+100+20+40+40+10+5   = 515 (2 days: Jan 26-27)
    total per day    ranked + 30 = 435 / 535 / 535 / 545
"""

import datetime as dt

import pandas as pd
import pytest

from tests.tiny import FIRST_DAY, LAST_DAY
from tokenshare.analysis import tail, tail_ranks

W = [dt.date(2026, 1, 5), dt.date(2026, 1, 12), dt.date(2026, 1, 19), dt.date(2026, 1, 26)]


def test_coverage_by_day(tiny_db):
    df = tiny_db.query("coverage_by_day", start=dt.date(2026, 1, 10), end=dt.date(2026, 1, 13))
    assert [d.date() for d in df["date"]] == [dt.date(2026, 1, d) for d in (10, 11, 12, 13)]
    assert list(df["ranked_models"]) == [6, 6, 8, 8]
    assert list(df["ranked_tokens"]) == [405, 405, 505, 505]
    assert list(df["other_tokens"]) == [30, 30, 30, 30]
    assert list(df["total_tokens"]) == [435, 435, 535, 535]
    assert df["other_share"].iloc[0] == pytest.approx(30 / 435)
    assert list(df["cut"]) == [5, 5, 5, 5]


def test_coverage_by_week(tiny_db):
    df = tiny_db.query("coverage_by_period", start=FIRST_DAY, end=LAST_DAY, grain="week")
    assert [p.date() for p in df["period"]] == W
    assert list(df["is_partial"]) == [False, False, False, True]
    assert list(df["days"]) == [7, 7, 7, 2]
    assert list(df["ranked_tokens"]) == [405 * 7, 505 * 7, 505 * 7, 515 * 2]
    assert list(df["other_tokens"]) == [210, 210, 210, 60]
    assert df["ranked_share"].iloc[0] == pytest.approx(405 / 435)
    assert df["ranked_share"].iloc[3] == pytest.approx(515 / 545)
    assert list(df["median_cut"]) == [5, 5, 5, 5] and list(df["min_cut"]) == [5, 5, 5, 5]


def test_coverage_by_month_partial_at_the_start(tiny_db):
    df = tiny_db.query("coverage_by_period", start=dt.date(2026, 1, 11), end=LAST_DAY, grain="month")
    # Jan 11 (W1's last day) to Jan 27: 17 days, the month incomplete
    assert len(df) == 1 and bool(df["is_partial"].iloc[0]) and df["days"].iloc[0] == 17
    assert df["ranked_tokens"].iloc[0] == 405 + 505 * 14 + 515 * 2
    assert df["total_tokens"].iloc[0] == 435 + 535 * 14 + 545 * 2


def test_tail_inputs(tiny_db):
    usage = tiny_db.query("tail_usage_rows", start=FIRST_DAY, end=dt.date(2026, 1, 5))
    assert len(usage) == 7 and list(usage["model_permaslug"])[:2] == ["openai/gpt-5", "deepseek/deepseek-v3"]
    cat = tiny_db.query("tail_catalogue").set_index("model_permaslug")
    assert "other" not in cat.index
    # arcee released on Jan 12, its first day in usage: live from then
    assert cat.loc["arcee-ai/trinity-large", "live_from"] == pd.Timestamp("2026-01-12")
    assert cat.loc["sao10k/l3-euryale", "live_from"] == pd.Timestamp("2025-06-01")
    # a model the catalogue does not list: when it went live is not known
    assert pd.isna(cat.loc["retired/old-model", "live_from"])
    assert cat.loc["retired/old-model", "openness"] == "unclassified"
    assert tiny_db.query("tail_segment_rows", start=FIRST_DAY, end=LAST_DAY).empty


def test_tail_bounds_on_the_tiny_snapshot(tiny_db):
    usage = tiny_db.query("tail_usage_rows", start=FIRST_DAY, end=LAST_DAY)
    ed = tail.entry_days(usage, tiny_db.query("tail_catalogue"))
    pb = tail.period_bounds(ed, "lab_name", "week", "named")
    status = tail_ranks.model_status(pb).set_index(["period", "group"])
    w1 = pd.Timestamp(W[0])
    # Arcee in W1: not yet launched, a true 0 (not censored)
    arcee = status.loc[(w1, "Arcee AI")]
    assert (arcee["tokens_lo"], arcee["tokens_hi"], arcee["status"]) == (0, 0, "not launched")
    # sao10k (no lab in labs.csv, so its lab is its author) in W1: live since 2025 and
    # absent: up to min(cut 5, other 30) = 5 a day, [0, 35] over the week
    sao = status.loc[(w1, "sao10k")]
    assert (sao["tokens_lo"], sao["tokens_hi"], sao["status"]) == (0, 35, "below the top 50")
    # a lab ranked every day is exact: OpenAI's named tokens in W1, (200 + 10) x 7
    openai = status.loc[(w1, "OpenAI")]
    assert (openai["tokens_lo"], openai["tokens_hi"], openai["status"]) == (1470, 1470, "ranked")


@pytest.fixture(scope="module")
def thin_tail_db(tmp_path_factory):
    """The tiny snapshot with `other` at 2 a day in W1 (less than the cut of 5) and no
    `other` row at all in W2 (an empty tail)."""
    from tests.tiny import build_tiny_snapshot, tiny_usage
    from tokenshare.engine.db import SnapshotDB

    usage = []
    for r in tiny_usage():
        if r["model_permaslug"] == "other":
            if r["date"] < dt.date(2026, 1, 12):
                r = {**r, "total_tokens": 2}
            elif r["date"] < dt.date(2026, 1, 19):
                continue
        usage.append(r)
    snap = build_tiny_snapshot(tmp_path_factory.mktemp("thin") / "snap", usage=usage)
    db = SnapshotDB(snap, derived=False)
    yield db
    db.close()


def test_the_cut_is_of_ranked_rows_only(thin_tail_db):
    df = thin_tail_db.query("coverage_by_day", start=dt.date(2026, 1, 11), end=dt.date(2026, 1, 12))
    # Jan 11: other 2 is below the smallest ranked row (retired/old-model, 5): the cut is 5
    # Jan 12: no other row: other 0, every token ranked
    assert list(df["cut"]) == [5, 5]
    assert list(df["other_tokens"]) == [2, 0]
    assert list(df["total_tokens"]) == [407, 505]
    assert df["other_share"].iloc[1] == 0
