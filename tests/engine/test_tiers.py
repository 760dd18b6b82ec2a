"""Free vs paid and open weights over time, in the derived database: tests/tiny_tiers.py's
hand-worked figures, the sample against independent pandas code, and history that a
newer catalogue must not rewrite."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

import pandas as pd
import pytest

from tests import tiny_tiers as tt
from tests.hostile import tried
from tokenshare.core import sql
from tokenshare.data.refresh.catalogue import Catalogue, build_models
from tokenshare.data.snapshot.layout import SnapshotError
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.engine import compare
from tokenshare.engine.db import SnapshotDB
from tokenshare.core.settings import SAMPLE_DIR

D = dt.date
ALL = dict(countries=[], labs=[])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    snap = load_snapshot(tt.build(tmp_path_factory.mktemp("tiers") / "snap").path)
    d = SnapshotDB(snap, derived=False)
    yield d
    d.close()


def weekly(db, name, **kw):
    df = db.query(name, start=tt.FIRST_DAY, end=tt.LAST_DAY, grain="week", **ALL, **kw)
    return {r["period"].date(): r for _, r in df.iterrows()}


def test_open_share_uses_the_classification_of_each_day(db):
    w = weekly(db, "open_share_by_period")
    assert [(int(w[p]["open_tokens"]), int(w[p]["closed_tokens"])) for p in (tt.W1, tt.W2)] == [(1315, 1730), (1505, 1750)]
    assert [(int(w[p]["unclassified_tokens"]), int(w[p]["other_tokens"])) for p in (tt.W1, tt.W2)] == [(35, 70), (35, 70)]
    days = db.query("open_share_by_period", start=D(2026, 1, 7), end=D(2026, 1, 8), grain="day", **ALL)
    # Jan 7: b/late still closed; Jan 8: its weights are out
    assert [(int(r.open_tokens), int(r.closed_tokens)) for r in days.itertuples()] == [(165, 270), (205, 230)]


def test_free_share_by_period_hand_worked(db):
    w = weekly(db, "free_share_by_period")
    assert Fraction(int(w[tt.W1]["open_free_tokens"]), int(w[tt.W1]["open_tokens"])) == Fraction(350, 1315)
    assert w[tt.W1]["free_share_of_open"] == pytest.approx(350 / 1315)
    assert w[tt.W1]["free_share_of_closed"] == 0
    assert w[tt.W2]["free_share_of_open"] == pytest.approx(420 / 1505)
    assert w[tt.W2]["free_share_of_closed"] == pytest.approx(140 / 1750)
    assert w[tt.W2]["free_share_of_named"] == pytest.approx(560 / 3255)
    # the tier filter does not change it: both tiers are what it measures
    assert weekly(db, "free_share_by_period", tier="paid")[tt.W2]["free_share_of_open"] == w[tt.W2]["free_share_of_open"]


@pytest.mark.parametrize("tier,open_,closed,unclassified,other", [
    ("all", 1505, 1750, 35, 70),
    ("paid", 1505 - 420, 1750 - 140, 0, 0),  # `other` has no tier: left out by paid and free
    ("free", 420, 140, 35, 0),
])
def test_the_tier_filter(db, tier, open_, closed, unclassified, other):
    r = weekly(db, "open_share_by_period", tier=tier)[tt.W2]
    assert (int(r["open_tokens"]), int(r["closed_tokens"]), int(r["unclassified_tokens"]),
            int(r["other_tokens"])) == (open_, closed, unclassified, other)


def test_a_variant_is_part_of_its_base_model(db):
    ranks = db.query("model_ranks", start=tt.W2, end=tt.LAST_DAY, grain="week", scope="all", top=10, **ALL)
    got = {r.model_permaslug: (r.model_name, int(r.tokens), int(r.free_tokens)) for r in ranks.itertuples()}
    assert got == {
        "c/closed": ("C: Closed", 1750, 140),  # paid + :extended + :free
        "a/open": ("A: Open", 1050, 350),
        "b/late": ("B: Late", 350, 70),
        "e/base": ("E: Base", 105, 0),  # a base model with no rows of its own: its :thinking variant's
    }
    series = db.query("share_by_series", start=tt.W2, end=tt.LAST_DAY, grain="week", openness="all", top=10,
                      breakdown="model", volume="named", share_of="selection", **ALL)
    assert not series["series"].str.contains(":free").any()
    assert dict(zip(series["series"], series["free_tokens"])) == {"C: Closed": 140, "A: Open": 350, "B: Late": 70,
                                                                  "E: Base": 0}
    # launches: no variant launches on its own; b/late launched closed (before its weights)
    launches = db.query("launches", start=D(2025, 1, 1), end=tt.LAST_DAY, openness="all", **ALL)
    assert set(launches["model_permaslug"]) == {"a/open", "b/late", "c/closed", "e/base", "d/orphan:free"}
    assert launches.set_index("model_permaslug").loc["b/late", "openness"] == "closed"
    # spend: a free token costs nothing (the base model's price does not apply to it)
    unpriced = db.query("unpriced_models", start=tt.FIRST_DAY, end=tt.LAST_DAY, openness="all", **ALL)
    assert unpriced.empty


def test_the_data_page_lists_variants_and_spells(db):
    v = db.query("model_variants").set_index("model_permaslug")
    assert v.loc["d/orphan:free", "base_listed"] == False  # noqa: E712
    assert v.loc["d/orphan:free", "openness"] == "unclassified"
    assert (v.loc["b/late:free", "openness"], v.loc["b/late:free", "tier"]) == ("open", "free")
    assert (v.loc["e/base:thinking", "tier"], v.loc["e/base:thinking", "variant"]) == ("paid", "thinking")
    assert int(v.loc["a/open:free", "tokens"]) == 50 * 14
    spells = db.query("open_weight_spells")
    assert [(r.spell, r.first_day.date(), r.last_day.date(), int(r.tokens)) for r in spells.itertuples()] == [
        ("closed", D(2026, 1, 5), D(2026, 1, 7), 120), ("open", D(2026, 1, 8), D(2026, 1, 18), 40 * 11 + 70)]


def test_every_page_query_passes_the_tier_filter():
    """A page query that reads the selection macros and leaves p_tier out would ignore
    the global filter silently."""
    missing = []
    for name in sql.all_query_names():
        if sql.query_kind(name) != "pages":
            continue
        text = sql.load_sql(name)
        for m in re.finditer(r"selected_(usage|periods)\(", text):
            depth, j = 1, m.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            if "p_tier :=" not in text[m.end():j]:
                missing.append(name)
    assert missing == []


# --------------------------------------------------------------------------- history


def _daily_open(snap) -> pd.DataFrame:
    d = SnapshotDB(snap, derived=False)
    try:
        return d.query("open_share_by_period", start=tt.FIRST_DAY, end=tt.LAST_DAY, grain="day", **ALL)
    finally:
        d.close()


def test_a_newer_catalogue_does_not_rewrite_the_days_before_since(tmp_path):
    old = load_snapshot(tt.build(tmp_path / "old", models=tt.models(late_open=False)).path)
    new = load_snapshot(tt.build(tmp_path / "new").path)  # b/late now open, since Jan 8
    a, b = _daily_open(old), _daily_open(new)
    before = a["period"] < pd.Timestamp(tt.OPENS)
    cols = ["period", "open_tokens", "closed_tokens"]
    pd.testing.assert_frame_equal(a.loc[before, cols], b.loc[before, cols])
    assert (b.loc[~before, "open_tokens"] - a.loc[~before, "open_tokens"]).tolist() == [40] * 4 + [50] * 7

    # and the refresh's own rule: closed in the previous snapshot, open in the catalogue
    # now, no `since` from an override -> open from the day after the previous last day
    cat = Catalogue([{"id": "b/late", "canonical_slug": "b/late", "name": "B: Late", "hugging_face_id": "b/Late",
                      "created": 1748736000, "pricing": {"prompt": "0.000001", "completion": "0.000002"}}])
    prev = {r["model_permaslug"]: r for r in tt.models(late_open=False)}
    mb = build_models(["b/late"], cat, [], prev, previous_end=D(2026, 1, 11))
    assert mb.rows[0]["open_weights"] is True and mb.rows[0]["open_weights_since"] == D(2026, 1, 12)
    assert mb.opened == {"b/late": "2026-01-12"} and "add a `since` override" in mb.warnings[-1]
    rows = [r for r in tt.models(late_open=False) if r["model_permaslug"] != "b/late"] + [
        {**prev["b/late"], "open_weights": True, "open_weights_since": D(2026, 1, 12)}]
    later = _daily_open(load_snapshot(tt.build(tmp_path / "later", models=rows).path))
    upto = a["period"] <= pd.Timestamp(2026, 1, 11)
    pd.testing.assert_frame_equal(a.loc[upto, cols], later.loc[upto, cols])

    # compare snapshots says which model's classification date moved
    moved = load_snapshot(tt.build(tmp_path / "moved", models=tt.models(late_since=D(2026, 1, 10))).path)
    r = compare.compare_snapshots(new, moved, keep=False).reclassified.set_index("model_permaslug")
    assert r.loc["b/late", "change"] == "open since"
    assert (r.loc["b/late", "old_since"].date(), r.loc["b/late", "new_since"].date()) == (tt.OPENS, D(2026, 1, 10))
    r = compare.compare_snapshots(old, new, keep=False).reclassified.set_index("model_permaslug")
    assert (r.loc["b/late", "change"], r.loc["b/late", "new_weights"]) == ("weights", "open")


def test_since_on_a_model_that_is_not_open_is_refused(tmp_path):
    rows = tt.models()
    rows[3] = {**rows[3], "open_weights_since": D(2026, 1, 8)}  # c/closed
    with pytest.raises(SnapshotError) as ei:
        tt.build(tmp_path / "bad", models=rows)
    assert "open_weights_since" in str(ei.value) and "c/closed" in str(ei.value)
    assert not (tmp_path / "bad").exists()
    tried("snapshot")


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_db():
    d = SnapshotDB(load_snapshot(SAMPLE_DIR), derived=False)
    yield d
    d.close()


def test_sample_free_share_against_pandas(sample_db):
    """The sample's free shares per week, computed from the Parquet files with pandas:
    a variant takes its own models row's classification, open from open_weights_since."""
    u = pd.read_parquet(SAMPLE_DIR / "usage.parquet")
    m = pd.read_parquet(SAMPLE_DIR / "models.parquet").set_index("model_permaslug")
    u = u[u["model_permaslug"] != "other"].join(m[["open_weights", "open_weights_since"]], on="model_permaslug")
    u = u[u["open_weights"].notna()]
    since = pd.to_datetime(u["open_weights_since"])
    u["open"] = u["open_weights"].astype(bool) & ~(since.notna() & (pd.to_datetime(u["date"]) < since))
    u["free"] = u["model_permaslug"].str.endswith(":free")
    u["week"] = pd.to_datetime(u["date"]).dt.to_period("W-SUN").dt.start_time
    g = u.groupby(["week", "open", "free"])["total_tokens"].sum().unstack(["open", "free"], fill_value=0)
    want_open = g[(True, True)] / (g[(True, True)] + g[(True, False)])
    want_closed = g[(False, True)] / (g[(False, True)] + g[(False, False)])
    got = sample_db.query("free_share_by_period", start=D(2025, 1, 1), end=D(2026, 11, 22), grain="week", **ALL)
    got = got.set_index("period")
    assert len(got) == len(want_open) == 99
    assert got["free_share_of_open"].to_numpy() == pytest.approx(want_open.to_numpy(), rel=1e-12)
    assert got["free_share_of_closed"].to_numpy() == pytest.approx(want_closed.to_numpy(), rel=1e-12)
    last = got.loc[pd.Timestamp(2026, 11, 16)]
    # the pandas figures above for that week (the closed models' `:free` rows are below
    # the daily top 50 in it: the sample ranks a `:free` variant as an entry of its own)
    assert (round(last["free_share_of_open"] * 100, 1), round(last["free_share_of_closed"] * 100, 1)) == (24.4, 0.0)


def test_sample_headline_unchanged_and_open_later_models(sample_db):
    share = sample_db.query("open_share_by_period", start=D(2026, 11, 16), end=D(2026, 11, 22), grain="week", **ALL)
    assert round(share["open_share"].iloc[0] * 100, 1) == 69.1
    spells = sample_db.query("open_weight_spells")
    assert sorted(set(spells["model_permaslug"])) == ["stepfun/step-3.5-flash-20260202", "tencent/hy3-mini-20260421"]
    assert spells.groupby("model_permaslug")["spell"].apply(list).to_dict() == {
        "stepfun/step-3.5-flash-20260202": ["closed", "open"], "tencent/hy3-mini-20260421": ["closed", "open"]}


def test_peak_day_is_the_whole_day_of_a_model_with_a_free_variant(db):
    m = db.query("models_of_labs", start=tt.FIRST_DAY, end=tt.LAST_DAY, openness="all", limit=20, **ALL)
    peak = dict(zip(m["model_permaslug"], m["peak_day_tokens"]))
    # a/open: 100 paid + 50 free a day; c/closed in W2: 200 + 30 (:extended) + 20 (:free)
    assert (peak["a/open"], peak["c/closed"], peak["b/late"]) == (150, 250, 50)


def test_category_estimates_use_the_classification_of_each_week(tmp_path):
    cats = [{"week": w, "category": "programming", "model_permaslug": slug, "total_tokens": n}
            for w in (tt.W1, tt.W2) for slug, n in (("b/late", 100), ("a/open", 300), ("c/closed", 600))]
    snap = load_snapshot(tt.build(tmp_path / "cats", usage_by_category=cats).path)
    d = SnapshotDB(snap, derived=False)
    try:
        got = d.query("segment_open_share", dimension="category", grain="week", start=tt.FIRST_DAY,
                      end=tt.LAST_DAY, **ALL)
    finally:
        d.close()
    # b/late opened on Thursday 8 Jan: its week of 5 Jan counts closed, from 12 Jan open
    assert [(int(r.open_tokens), int(r.closed_tokens)) for r in got.itertuples()] == [(300, 700), (400, 600)]
