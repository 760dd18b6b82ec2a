"""The focus against the whole market (queries/pages/focus_share_by_period.sql), and the
race over every lab that the focus is placed in, checked by hand on the tiny snapshot
(tests/tiny.py): Arcee has 0 / 20 / 30 / 40 open tokens a day in W1-W4; named tokens per
day are open 160 / 260 / 310 / 370 and closed 240 / 240 / 190 / 140."""

import datetime as dt

import pytest

from tests.tiny import FIRST_DAY, LAST_DAY

BASE = dict(start=FIRST_DAY, end=LAST_DAY, grain="week", countries=[], labs=[])


def test_arcee_share_of_the_whole_market(tiny_db):
    df = tiny_db.query("focus_share_by_period", **{**BASE, "labs": ["arcee-ai"]})
    assert list(df["focus_named_tokens"]) == [0, 20 * 7, 30 * 7, 40 * 2]
    assert list(df["market_named_tokens"]) == [400 * 7, 500 * 7, 500 * 7, 510 * 2]
    # W3: 30 of 500 named tokens a day, 30 of 310 open-weight ones
    w3 = df.iloc[2]
    assert w3["share_of_named"] == pytest.approx(30 / 500)
    assert w3["share_of_open"] == pytest.approx(30 / 310)
    assert w3["own_open_share"] == 1.0  # all of Arcee's tokens are open-weight
    assert w3["market_open_share"] == pytest.approx(0.62)
    # W1: no Arcee tokens: a true 0% of the market, and no own-tokens share at all
    w1 = df.iloc[0]
    assert w1["share_of_named"] == 0 and w1["share_of_open"] == 0
    assert w1["own_open_share"] != w1["own_open_share"]  # NaN


def test_us_focus_keeps_the_market_as_the_denominator(tiny_db):
    df = tiny_db.query("focus_share_by_period", **{**BASE, "countries": ["US"]})
    # US in W3 a day: gpt-5 150 closed, gpt-oss 20 + arcee 30 open = 200 of 500
    w3 = df.iloc[2]
    assert w3["focus_named_tokens"] == 200 * 7
    assert w3["share_of_named"] == pytest.approx(200 / 500)
    assert w3["share_of_open"] == pytest.approx(50 / 310)
    assert w3["own_open_share"] == pytest.approx(50 / 200)


def test_no_focus_is_the_whole_market(tiny_db):
    df = tiny_db.query("focus_share_by_period", **BASE)
    assert list(df["share_of_named"]) == [1.0, 1.0, 1.0, 1.0]
    assert list(df["own_open_share"].round(6)) == [0.4, 0.52, 0.62, round(370 / 510, 6)]


def test_focus_absent_from_the_range(tiny_db):
    df = tiny_db.query("focus_share_by_period", **{**BASE, "end": dt.date(2026, 1, 11), "labs": ["arcee-ai"]})
    assert len(df) == 1 and df["focus_named_tokens"].sum() == 0
