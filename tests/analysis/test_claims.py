"""The Claims page's verdict rules (tokenshare/analysis/claims.py): each rule on small
snapshots built by hand where the verdict is known (one that holds, one that does not,
one that cannot be tested, and partly where the rule has it), and the figures against
independent pandas code over the same rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests import tiny
from tokenshare.analysis import claims, race, spend
from tokenshare.app.page_parts import claims as claims_cards
from tokenshare.data.reference import spend as spend_reference
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.layout import read_labs_csv
from tokenshare.data.snapshot.write import write_snapshot
from tokenshare.engine.db import SnapshotDB

WEEK = dict(start=tiny.FIRST_DAY, end=tiny.LAST_DAY, grain="week", countries=[], labs=[])
LABS = pd.DataFrame(read_labs_csv(REFERENCE_LABS))


def build(target, daily: dict, models=None, first=tiny.FIRST_DAY, weeks=None):
    """A snapshot like tests/tiny.py with other daily tokens: ``daily`` maps a
    permaslug to its tokens per day in each week (0 = no row)."""
    n = len(next(iter(daily.values())))
    last = first + dt.timedelta(days=7 * n - 1)
    rows, day = [], first
    while day <= last:
        w = (day - first).days // 7
        rows += [{"date": day, "model_permaslug": s, "total_tokens": v[w]} for s, v in daily.items() if v[w] > 0]
        day += dt.timedelta(days=1)
    return write_snapshot(target, usage=rows, models=models or tiny.MODELS, labs=read_labs_csv(REFERENCE_LABS),
                          source="claims test", synthetic=False, as_of="2026-03-01T00:00:00Z",
                          start_date=first, end_date=last)


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    """Three hand-built snapshots of three complete weeks (no partial week):
    - ``open70``: open 70 a day, closed 30 (share 70%: claim 1 holds);
    - ``closed``: open 30, closed 70 (claim 1 does not hold);
    - ``unnamed``: only the `other` row and an unclassified model (no named volume:
      claim 1 cannot be tested)."""
    root = tmp_path_factory.mktemp("claims")
    made = {
        "open70": build(root / "open70", {"deepseek/deepseek-v3": (70, 70, 70), "openai/gpt-5": (30, 30, 30),
                                          "other": (50, 50, 50)}),
        "closed": build(root / "closed", {"deepseek/deepseek-v3": (30, 30, 30), "openai/gpt-5": (70, 70, 70)}),
        "unnamed": build(root / "unnamed", {"retired/old-model": (5, 5, 5), "other": (30, 30, 30)}),
    }
    out = {k: SnapshotDB(s, derived=False) for k, s in made.items()}
    yield out
    for db in out.values():
        db.close()


def three_weeks(**kw):
    return {**WEEK, "end": tiny.FIRST_DAY + dt.timedelta(days=20), **kw}


# --------------------------------------------------------------------------- claim 1


def test_claim_1_verdict_on_hand_built_snapshots(dbs, tiny_db):
    got = {k: claims.judge_open_share(db.query("open_share_by_period", **three_weeks())) for k, db in dbs.items()}
    assert got["open70"].verdict == claims.HOLDS  # 70% is 0.9 points from 69.1%
    assert got["open70"].numbers["share"] == pytest.approx(0.7)
    assert got["closed"].verdict == claims.DOES_NOT_HOLD
    assert got["unnamed"].verdict == claims.UNTESTABLE
    # the tiny snapshot: W3 (the latest complete week) open 310 / named 500 a day = 62%,
    # over half but 7.1 points below 69.1%: partly
    t = claims.judge_open_share(tiny_db.query("open_share_by_period", **WEEK))
    assert t.verdict == claims.PARTLY
    assert t.numbers["share"] == pytest.approx(310 / 500)
    assert t.numbers["gap"] == pytest.approx(310 / 500 - 0.691)
    assert t.numbers["first_passed"].date() == tiny.WEEKS[1]  # W2: 260 open vs 240 closed


def test_claim_1_share_matches_pandas_on_the_tiny_rows(tiny_db):
    """The figure against pandas over the fixture's own daily table (tests/tiny.py)."""
    usage = pd.DataFrame(tiny.tiny_usage())
    usage["date"] = pd.to_datetime(usage["date"])
    openness = {m["model_permaslug"]: "open" if m["open_weights"] else "closed" for m in tiny.MODELS}
    usage["openness"] = usage["model_permaslug"].map(openness)
    w3 = usage[(usage["date"] >= "2026-01-19") & (usage["date"] <= "2026-01-25")]
    by = w3.groupby("openness")["total_tokens"].sum()
    expected = by["open"] / (by["open"] + by["closed"])
    got = claims.judge_open_share(tiny_db.query("open_share_by_period", **WEEK))
    assert got.numbers["share"] == pytest.approx(expected)


# --------------------------------------------------------------------------- claim 2


def impact(rows):
    return pd.DataFrame(rows, columns=["model_name", "lab_name", "model_permaslug", "author", "jump", "hold"])


def test_claim_2_verdicts_and_figures():
    every = impact([("a", "A", "x/a", "x", 2.0, 0.9), ("b", "B", "x/b", "x", 1.5, 0.7),
                    ("c", "C", "x/c", "x", 3.0, 0.8), ("d", "D", "x/d", "x", None, None)])
    f = claims.judge_launches(every)
    assert f.verdict == claims.HOLDS and f.numbers["measured"] == 3 and f.numbers["both"] == 1.0
    some = impact([("a", "A", "x/a", "x", 2.0, 0.9), ("b", "B", "x/b", "x", 1.1, 0.9),  # no jump
                   ("c", "C", "x/c", "x", 3.0, 0.5), ("d", "D", "x/d", "x", 1.3, 0.65)])  # no plateau
    f = claims.judge_launches(some)
    assert f.verdict == claims.PARTLY and f.numbers["both"] == 0.5
    assert f.numbers["jumped"] == 0.75 and f.numbers["held"] == 0.75
    assert f.numbers["median_jump"] == pytest.approx(pd.Series([2.0, 1.1, 3.0, 1.3]).median())
    none = impact([("a", "A", "x/a", "x", 1.0, 0.9), ("b", "B", "x/b", "x", 0.8, 0.3), ("c", "C", "x/c", "x", 5, 0.1)])
    assert claims.judge_launches(none).verdict == claims.DOES_NOT_HOLD
    few = impact([("a", "A", "x/a", "x", 2.0, 0.9), ("b", "B", "x/b", "x", 2.0, None)])
    assert claims.judge_launches(few).verdict == claims.UNTESTABLE


def test_claim_2_on_the_tiny_snapshot_cannot_be_tested(tiny_db):
    """Three weeks of data: no launch has weeks 3 to 6 after it (no hold figure)."""
    rows = tiny_db.query("launch_impact", start=tiny.FIRST_DAY, end=tiny.LAST_DAY, openness="open",
                         countries=[], labs=[])
    assert claims.judge_launches(rows).verdict == claims.UNTESTABLE


# --------------------------------------------------------------------------- claim 3

STAGES = claims.claimed_stages(LABS)


def spells(*labs, periods=3):
    return pd.DataFrame({"spell": range(1, len(labs) + 1), "lab_name": list(labs), "periods": periods})


def test_claim_3_stages_are_the_lab_tables_names():
    assert STAGES == [["DeepSeek"], ["MiniMax", "Moonshot AI (Kimi)"],
                      ["Xiaomi (MiMo)", "Qwen (Alibaba)", "Tencent (Hunyuan)", "DeepSeek"]]


def test_claim_3_alignment_and_verdicts():
    f = claims.judge_leaders(spells("DeepSeek", "MiniMax", "Moonshot AI (Kimi)", "Qwen (Alibaba)", "DeepSeek"), LABS)
    assert f.verdict == claims.HOLDS and f.numbers["lead_changes"] == 4
    assert f.numbers["matched"] == [0, 1, 3]
    assert f.numbers["never"] == ["Xiaomi (MiMo)", "Tencent (Hunyuan)"] and f.numbers["missed"] == []
    # the claimed labs lead, but Kimi before DeepSeek and no reshuffle after MiniMax
    f = claims.judge_leaders(spells("Moonshot AI (Kimi)", "DeepSeek", "MiniMax", "Mistral AI"), LABS)
    assert f.verdict == claims.PARTLY
    assert f.numbers["matched"] == [1, 2, None]
    assert f.numbers["out_of_order"] == ["Moonshot AI (Kimi)"] and f.numbers["missed"] == ["Mistral AI"]
    f = claims.judge_leaders(spells("DeepSeek"), LABS)
    assert f.verdict == claims.DOES_NOT_HOLD and "led throughout" in f.why
    f = claims.judge_leaders(spells("Meta", "Mistral AI", "Meta"), LABS)
    assert f.verdict == claims.DOES_NOT_HOLD and f.numbers["missed"] == ["Meta", "Mistral AI"]
    assert claims.judge_leaders(spells(), LABS).verdict == claims.UNTESTABLE
    assert claims.judge_leaders(spells("DeepSeek", periods=1), LABS).verdict == claims.UNTESTABLE  # one period


def test_claim_3_on_the_tiny_snapshot(tiny_db):
    """Open-weight leaders by week: W1 DeepSeek (100 vs Qwen 50), W2 Qwen (120 vs 100),
    W3 and W4 DeepSeek: DeepSeek, no MiniMax or Kimi, then Qwen and DeepSeek of the
    reshuffle: the second stage is missing, so partly."""
    rows = tiny_db.query("leader_spells", **WEEK, scope="open")
    f = claims.judge_leaders(rows, LABS)
    assert f.numbers["leaders"] == ["DeepSeek", "Qwen (Alibaba)", "DeepSeek"]
    assert f.verdict == claims.PARTLY and f.numbers["matched"] == [0, None, 1]
    assert f.numbers["never"] == ["MiniMax", "Moonshot AI (Kimi)", "Xiaomi (MiMo)", "Tencent (Hunyuan)"]


# --------------------------------------------------------------------------- claim 4


def test_claim_4_on_the_tiny_snapshot(tiny_db):
    """Arcee: 20, 30, 40 a day in W2-W4 among open-weight labs; its best rank is #3 (W3:
    DeepSeek 150, Qwen 100, Arcee 30, OpenAI 20, sao10k 10); Trinity launched in the
    first week of data: no jump figure. Top 10 without a jump: partly."""
    ranks = tiny_db.query("lab_ranks", **WEEK, scope="open")
    standing = race.focus_standing(ranks, ["Arcee AI"])
    share = tiny_db.query("focus_share_by_period", **{**WEEK, "labs": [claims.ARCEE]})
    trinity = claims.trinity_launches(tiny_db.query("launch_impact", start=tiny.FIRST_DAY, end=tiny.LAST_DAY,
                                                    openness="open", countries=[], labs=[claims.ARCEE]))
    f = claims.judge_us_labs(standing, share, trinity)
    assert f.verdict == claims.PARTLY and f.numbers["best_rank"] == 3
    # best complete week's share of open-weight tokens, by hand: W3 30 / 310
    assert f.numbers["best_share"] == pytest.approx(30 / 310)
    assert f.numbers["best_jump"] is None


def test_claim_4_verdicts():
    standing = pd.DataFrame({"best_rank": [4], "best_period": [pd.Timestamp("2026-02-02")], "rank_now": [6.0]})
    share = pd.DataFrame({"period": [pd.Timestamp("2026-02-02")], "is_partial": [False], "share_of_open": [0.05]})
    jumped = pd.DataFrame({"jump": [1.8]})
    assert claims.judge_us_labs(standing, share, jumped).verdict == claims.HOLDS
    assert claims.judge_us_labs(standing.assign(best_rank=[14]), share, jumped).verdict == claims.PARTLY
    assert claims.judge_us_labs(standing.assign(best_rank=[14]), share, pd.DataFrame({"jump": [1.05]})).verdict \
        == claims.DOES_NOT_HOLD
    assert claims.judge_us_labs(standing.iloc[0:0], share, jumped).verdict == claims.UNTESTABLE


# --------------------------------------------------------------------------- claim 5 and objections


def test_claim_5_is_never_testable_and_counts_every_token(tiny_db):
    f = claims.judge_fraction(tiny_db.query("open_share_by_period", **WEEK))
    assert f.verdict == claims.UNTESTABLE
    # W3 a day: open 310; all tokens = open 310 + closed 190 + unclassified 5 + other 30
    assert f.numbers["share_of_all"] == pytest.approx(310 / 535)


def test_spend_gap_verdicts(tiny_db):
    rng = spend.ShareRange(low=0.2, high=0.3, at_default=0.25, at_choice=0.25)
    assert claims.judge_spend_gap(0.6, rng).verdict == claims.HOLDS
    assert claims.judge_spend_gap(0.28, rng).verdict == claims.PARTLY
    assert claims.judge_spend_gap(0.2, rng).verdict == claims.DOES_NOT_HOLD
    assert claims.judge_spend_gap(0.0, rng).verdict == claims.UNTESTABLE  # no open-weight tokens counted
    assert claims.judge_spend_gap(1.0, rng).verdict == claims.UNTESTABLE  # no closed ones
    nan = float("nan")
    assert claims.judge_spend_gap(0.6, spend.ShareRange(nan, nan, nan, nan)).verdict == claims.UNTESTABLE
    # the tiny snapshot at the default assumptions: the Spend page's W3 row
    evidence = spend_reference.load()
    p = spend.default_point(evidence)
    row, _ = spend.latest_complete(tiny_db.query("spend_open_by_period", **WEEK, prompt_share=p.s, cached_share=p.c,
                                                 **claims_cards.spend_page_defaults()))
    f = claims.judge_spend_gap(row["token_share"], spend.open_share_range(row, p, evidence))
    assert f.numbers["token_share"] == pytest.approx(0.62)
    assert f.numbers["spend_share"] == pytest.approx(0.276, abs=5e-4)  # tests/e2e/test_spend_link.py: 27.6%
    assert f.verdict == claims.HOLDS


def test_free_share_from_the_sql_against_pandas(tmp_path, tiny_db):
    """A snapshot with a `:free` variant: the named query's share against pandas; the
    tiny snapshot (no `:free` rows) cannot be tested."""
    models = tiny.MODELS + [{**tiny.MODELS[0], "model_permaslug": "deepseek/deepseek-v3:free",
                             "model_id": "deepseek/deepseek-v3:free", "name": "DeepSeek: V3 (free)"}]
    daily = {"deepseek/deepseek-v3": (60, 60, 60), "deepseek/deepseek-v3:free": (40, 40, 10),
             "qwen/qwen3-235b": (100, 100, 100), "openai/gpt-5": (50, 50, 50)}
    snap = build(tmp_path / "free", daily, models=models)
    db = SnapshotDB(snap, derived=False)
    try:
        rows, name = claims_cards.free_share(db.query, three_weeks())  # the page's own query
    finally:
        db.close()
    f = claims.judge_free_share(rows)
    usage = pd.DataFrame([(w, s, v[w]) for s, v in daily.items() for w in range(3)], columns=["w", "slug", "t"])
    w3 = usage[(usage["w"] == 2) & (usage["slug"] != "openai/gpt-5")]
    assert f.numbers["share"] == pytest.approx(w3.loc[w3["slug"].str.endswith(":free"), "t"].sum() / w3["t"].sum())
    assert f.verdict == claims.DOES_NOT_HOLD  # 10 / 170 = 5.9%
    assert name == "free_share_by_period" and f.numbers["free_models"] == 1  # DeepSeek V3's :free variant
    assert claims.judge_free_share(rows.assign(free_open_tokens=rows["open_tokens"] // 5)).verdict == claims.PARTLY
    assert claims.judge_free_share(rows.assign(free_open_tokens=rows["open_tokens"] // 2)).verdict == claims.HOLDS
    assert claims.judge_free_share(claims_cards.free_share(tiny_db.query, WEEK)[0]).verdict == claims.UNTESTABLE


def test_free_share_from_the_tier_query_columns():
    """Rows without the model count (its figure then names no number): free tokens
    anywhere make it testable."""
    rows = pd.DataFrame({"period": pd.to_datetime(["2026-01-05", "2026-01-12"]), "is_partial": [False, False],
                         "open_tokens": [1000, 1000], "free_open_tokens": [100, 300], "closed_free_tokens": [0, 0]})
    f = claims.judge_free_share(rows)
    assert f.verdict == claims.HOLDS and f.numbers["share"] == 0.3 and f.numbers["free_models"] is None
    none = rows.assign(free_open_tokens=0)
    assert claims.judge_free_share(none).verdict == claims.UNTESTABLE


def test_provider_verdicts():
    assert claims.judge_providers(None).verdict == claims.UNTESTABLE
    assert claims.judge_providers(pd.DataFrame({"providers": []})).verdict == claims.UNTESTABLE
    assert claims.judge_providers(pd.DataFrame({"providers": [5, 3, 2]})).verdict == claims.HOLDS
    assert claims.judge_providers(pd.DataFrame({"providers": [1, 2, 2]})).verdict == claims.PARTLY
    assert claims.judge_providers(pd.DataFrame({"providers": [1, 1, 2]})).verdict == claims.DOES_NOT_HOLD


def test_every_rule_names_its_thresholds():
    """The rules the cards state carry the thresholds the functions apply."""
    assert "69.1%" in claims.RULE_1 and "5 points" in claims.RULE_1
    assert "×1.2" in claims.RULE_2 and "60%" in claims.RULE_2 and "80%" in claims.RULE_2
    assert "at least 2 times" in claims.RULE_3
    assert "top 10" in claims.RULE_4 and "×1.2" in claims.RULE_4
    assert "25%" in claims.RULE_FREE and "10%" in claims.RULE_FREE
