"""The launch figures computed once per snapshot (queries/setup_launch_facts.sql, table
launch_facts) against the same figures worked out here another way: in pandas, day by
day, straight from the snapshot's files (usage.parquet, models.parquet, labs.csv), for
every launch of the bundled sample (143 measured launches, 195 listed) and of the
hand-computed launch fixture (tests/tiny_launches.py); launch_impact, launches and
launch_markers, which now read the table, must give these figures under any filter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.tiny_launches import build_launch_snapshot
from tokenshare.engine.db import SnapshotDB
from tokenshare.core.settings import SAMPLE_DIR
from tokenshare.data.snapshot.validate import load_snapshot

WINDOWS = {"before": (-14, -1), **{f"w{k}": (7 * k, 7 * k + 6) for k in range(7)}}


def expected_launches(folder: Path) -> pd.DataFrame:
    """Every launched model with its figures, by brute force over the daily rows."""
    usage = pd.read_parquet(folder / "usage.parquet")
    usage["date"] = pd.to_datetime(usage["date"]).dt.date
    models = pd.read_parquet(folder / "models.parquet")
    labs = pd.read_csv(folder / "labs.csv", dtype=str, keep_default_na=False).set_index("author")
    first_day, last_day = usage["date"].min(), usage["date"].max()
    named = usage[usage["model_permaslug"] != "other"]
    catalogue = models.set_index("model_permaslug")
    # a variant (`:free`, `:extended`, ...) is part of its base model where that is listed
    listed = set(named["model_permaslug"]) | set(catalogue.index)
    base = {s: s.split(":", 1)[0] if ":" in s and s.split(":", 1)[0] in listed else s for s in listed}
    named = (named.assign(model_permaslug=named["model_permaslug"].map(base))
             .groupby(["date", "model_permaslug"], as_index=False)["total_tokens"].sum())

    rows = []
    for slug, first_seen in named.groupby("model_permaslug")["date"].min().items():
        if slug in catalogue.index:
            m = catalogue.loc[slug]
            author, name, released, ow = m["author"], m["name"], m["released_at"], m["open_weights"]
            since = m.get("open_weights_since")
        else:
            author, name, released, ow, since = slug.split("/", 1)[0], slug, None, None, None
        lab = labs.loc[author] if author in labs.index else None
        lab_name = lab["lab_name"] if lab is not None and lab["lab_name"] else author
        country = lab["country_code"] if lab is not None and lab["country_code"] else "XX"
        released = None if released is None or pd.isna(released) else pd.Timestamp(released).date()
        launch = min(first_seen, released) if released is not None else first_seen
        if ow is not None and not pd.isna(ow) and bool(ow) and since is not None and not pd.isna(since) \
                and launch < pd.Timestamp(since).date():
            ow = False  # launched before its weights were published
        rows.append({"model_permaslug": slug, "lab_name": lab_name, "author": author, "model_name": name,
                     "country_code": country,
                     "openness": "unclassified" if ow is None or pd.isna(ow) else "open" if ow else "closed",
                     "launch_day": launch})
    launched = pd.DataFrame(rows)

    lab_of = dict(zip(launched["model_permaslug"], launched["lab_name"]))
    named = named.assign(lab_name=named["model_permaslug"].map(lab_of))
    lab_daily = named.groupby(["lab_name", "date"])["total_tokens"].sum()
    model_daily = named.set_index(["model_permaslug", "date"])["total_tokens"]

    def lab_tokens(lab, day):
        return int(lab_daily.get((lab, day), 0))

    out = []
    for r in launched.to_dict("records"):
        L = r["launch_day"]
        own = [int(model_daily.get((r["model_permaslug"], L + dt.timedelta(days=i)), 0)) for i in range(35)]
        rec = {**r, "first_4w_tokens": sum(own[:28]), "measured": L > first_day}
        for win, (lo, hi) in WINDOWS.items():
            inside = L + dt.timedelta(days=lo) >= first_day and L + dt.timedelta(days=hi) <= last_day
            total = sum(lab_tokens(r["lab_name"], L + dt.timedelta(days=i)) for i in range(lo, hi + 1))
            rec[win] = total / (hi - lo + 1) if inside else np.nan
        weeks = [rec[f"w{k}"] for k in range(7)]
        rec["jump"] = rec["w1"] / rec["before"] if rec["before"] else np.nan  # NaN or 0: none
        rec["plateau"] = float(np.median(weeks[3:])) if not np.isnan(weeks[3:]).any() else np.nan
        rec["peak"] = max(weeks) if not np.isnan(weeks).any() else np.nan
        rec["hold"] = rec["plateau"] / rec["peak"] if rec["peak"] else np.nan
        rec["share_w4"] = sum(own[28:35]) / 7 / rec["w4"] if rec["w4"] else np.nan
        out.append(rec)
    return pd.DataFrame(out).set_index("model_permaslug")


FIGURES = ["before", "w0", "w1", "w2", "w3", "w4", "w5", "w6", "jump", "plateau", "peak", "hold", "share_w4"]


@pytest.fixture(scope="module", params=["sample", "launch fixture"])
def case(request, tmp_path_factory):
    if request.param == "sample":
        snap = load_snapshot(SAMPLE_DIR)
    else:
        snap = build_launch_snapshot(tmp_path_factory.mktemp("facts") / "snap")
    # in memory: the bundled sample's on-disk query database is not touched by the test
    db = SnapshotDB(snap, derived=False)
    yield snap, db, expected_launches(Path(snap.path))
    db.close()


def _close(got, want) -> bool:
    if pd.isna(want):
        return bool(pd.isna(got))
    return not pd.isna(got) and got == pytest.approx(want, rel=1e-12)


def test_every_launch_has_one_row(case):
    _, db, want = case
    cur = db.cursor()
    try:
        n, distinct = cur.execute("SELECT count(*), count(DISTINCT model_key) FROM launch_facts").fetchone()
    finally:
        cur.close()
    assert n == distinct == len(want)


def test_launch_impact_matches_the_daily_rows(case):
    snap, db, want = case
    got = db.query("launch_impact", start=snap.start_date, end=snap.end_date, openness="all",
                   countries=[], labs=[]).set_index("model_permaslug")
    measured = want[want["measured"]]
    assert sorted(got.index) == sorted(measured.index)
    assert len(got) > 3
    for slug, w in measured.iterrows():
        g = got.loc[slug]
        assert g["launch_day"].date() == w["launch_day"], slug
        assert g["lab_name"] == w["lab_name"], slug
        for col in FIGURES:
            assert _close(g[col], w[col]), (slug, col, g[col], w[col])
    # launches with a jump and without one (too little history, or the lab's first model)
    assert got["jump"].notna().any() and got["jump"].isna().any()


def test_launches_first_four_weeks_match(case):
    snap, db, want = case
    got = db.query("launches", start=snap.start_date, end=snap.end_date, openness="all",
                   countries=[], labs=[]).set_index("model_permaslug")
    assert sorted(got.index) == sorted(want.index)
    for slug, w in want.iterrows():
        assert got.loc[slug, "first_4w_tokens"] == w["first_4w_tokens"], slug
        assert bool(got.loc[slug, "before_data"]) == (not w["measured"]), slug


def test_filters_pick_the_same_launches(case):
    snap, db, want = case
    mid = snap.start_date + (snap.end_date - snap.start_date) / 3
    for openness, countries, labs in (("open", [], []), ("closed", ["US"], []), ("all", ["CN"], []),
                                      ("all", [], sorted(want["author"].unique())[:3])):
        got = db.query("launch_impact", start=mid, end=snap.end_date, openness=openness,
                       countries=countries, labs=labs)
        sel = want[want["measured"] & (want["launch_day"] >= mid) & (want["launch_day"] <= snap.end_date)]
        if openness != "all":
            sel = sel[sel["openness"] == openness]
        if countries:
            sel = sel[sel["country_code"].isin(countries)]
        if labs:
            sel = sel[sel["author"].isin(labs)]
        assert sorted(got["model_permaslug"]) == sorted(sel.index), (openness, countries, labs)
        for col in ("jump", "hold", "share_w4"):
            for slug, value in zip(got["model_permaslug"], got[col]):
                assert _close(value, sel.loc[slug, col]), (slug, col)


def test_markers_are_the_biggest_first_four_weeks(case):
    snap, db, want = case
    got = db.query("launch_markers", start=snap.start_date, end=snap.end_date, openness="all",
                   countries=[], labs=[], limit=10)
    measured = want[want["measured"]].reset_index()
    top = measured.sort_values(["first_4w_tokens", "launch_day", "model_permaslug"],
                               ascending=[False, True, True]).head(10)
    assert list(got["model_permaslug"]) == list(top["model_permaslug"])
    assert list(got["first_4w_tokens"]) == list(top["first_4w_tokens"])


def test_models_out_before_the_data_are_counted(case):
    _, db, want = case
    for openness, countries in (("all", []), ("open", []), ("closed", ["US", "CN"])):
        got = db.query("launches_before_data", openness=openness, countries=countries, labs=[])
        sel = want[~want["measured"]]
        if openness != "all":
            sel = sel[sel["openness"] == openness]
        if countries:
            sel = sel[sel["country_code"].isin(countries)]
        assert got["before_data"].iloc[0] == len(sel), (openness, countries)
    assert (~want["measured"]).sum() > 0
