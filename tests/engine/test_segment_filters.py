"""The Segments page's queries under a country and a lab filter, worked out by hand on
tests/tiny_segments.py (the segments) and tests/tiny.py (the usage, W1..W3 = 21 days).

Countries and labs of the segment rows: deepseek-v3 (DeepSeek, CN, open), gpt-5 (OpenAI,
US, closed), mistral-medium (Mistral, FR, closed); retired/old-model and `other` have
neither, so any filter leaves them out.

US (OpenAI and Arcee): the usage yardstick for modality is open = gpt-oss 7 x (10+10+20)
+ Arcee 7 x (0+20+30) = 280 + 350 = 630 and closed = gpt-5 7 x (200+200+150) = 3850;
the segments hold only gpt-5: text 2100, tool_calling 7 x 3 x 90 = 1890, both closed.
Lab openai: open = gpt-oss 280, closed = 3850, the same segments.
CN (DeepSeek and Qwen): usage open = 7 x (150+220+250) = 4340, closed 0; DeepSeek's
segments: text 2100, tool_calling 7 x (30+30+60) = 840, all open."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tiny import WEEKS
from tests.tiny_segments import build_segment_snapshot
from tokenshare.engine.db import SnapshotDB

RANGE = {"start": WEEKS[0], "end": WEEKS[2] + dt.timedelta(days=6)}


@pytest.fixture(scope="module")
def seg_db(tmp_path_factory):
    snap = build_segment_snapshot(tmp_path_factory.mktemp("segf") / "snap")
    db = SnapshotDB(snap, derived=False)
    yield db
    db.close()


def mix(db, dimension, countries=(), labs=()):
    return db.query("segment_mix", dimension=dimension, **RANGE, countries=list(countries),
                    labs=list(labs)).set_index("segment")


def test_modality_mix_for_a_country_is_of_that_countrys_usage(seg_db):
    us = mix(seg_db, "modality", countries=["US"])
    assert (us.loc["text", "open_total"], us.loc["text", "closed_total"]) == (630, 3850)
    assert us.loc["text", "closed_mix"] == pytest.approx(2100 / 3850)
    assert us.loc["tool_calling", "closed_mix"] == pytest.approx(1890 / 3850)
    assert (us["open_tokens"] == 0).all() and (us["open_mix"] == 0).all()
    cn = mix(seg_db, "modality", countries=["CN"])
    assert (cn.loc["text", "open_total"], cn.loc["text", "closed_total"]) == (4340, 0)
    assert cn.loc["tool_calling", "open_mix"] == pytest.approx(840 / 4340)
    assert cn["closed_mix"].isna().all()  # no closed tokens in CN: no share of them


def test_modality_mix_for_a_lab_is_of_that_labs_usage(seg_db):
    oa = mix(seg_db, "modality", labs=["openai"])
    assert (oa.loc["text", "open_total"], oa.loc["text", "closed_total"]) == (280, 3850)
    assert oa.loc["text", "closed_mix"] == pytest.approx(2100 / 3850)
    assert sorted(oa.index) == ["text", "tool_calling"]


def test_language_mix_under_filters_uses_the_filtered_segments(seg_db):
    cn = mix(seg_db, "language", countries=["CN"])  # DeepSeek: programming 70, natural 20 a week
    assert cn.loc["programming", "open_mix"] == pytest.approx(70 / 90)
    assert (cn.loc["programming", "open_total"], cn.loc["programming", "closed_total"]) == (270, 0)
    fr = mix(seg_db, "language", labs=["mistralai"])  # Mistral: natural 80 a week, closed
    assert list(fr.index) == ["natural"] and fr.loc["natural", "closed_mix"] == pytest.approx(1.0)
    assert fr.loc["natural", "closed_tokens"] == 240


def test_open_share_by_segment_under_a_country_and_a_lab(seg_db):
    def shares(**f):
        df = seg_db.query("segment_open_share", dimension="modality", grain="week", **RANGE,
                          **{"countries": [], "labs": [], **f})
        return {(r.period.date(), r.segment): (r.open_tokens, r.closed_tokens) for r in df.itertuples()}
    us = shares(countries=["US"])
    assert us[(WEEKS[0], "text")] == (0, 700) and us[(WEEKS[2], "tool_calling")] == (0, 630)
    ds = shares(labs=["deepseek"])
    assert ds[(WEEKS[2], "tool_calling")] == (420, 0) and ds[(WEEKS[0], "text")] == (700, 0)


def test_segment_leaders_under_a_country(seg_db):
    df = seg_db.query("segment_leaders", dimension="modality", openness="all", limit=3, **RANGE,
                      countries=["US"], labs=[])
    tc = df[df["segment"] == "tool_calling"]
    # only OpenAI is ranked; the share stays of the whole segment (3045, tiny_segments.py)
    assert list(tc["lab_name"]) == ["OpenAI"] and list(tc["tokens"]) == [1890]
    assert tc.iloc[0]["share"] == pytest.approx(1890 / 3045)
    closed = seg_db.query("segment_leaders", dimension="modality", openness="closed", limit=3, **RANGE,
                          countries=[], labs=[])
    assert list(closed[closed["segment"] == "text"]["lab_name"]) == ["OpenAI"]
