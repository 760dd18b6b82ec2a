"""Comparing two snapshots that differ in known ways: tests/tiny.py's snapshot and a
later pull of it (tests/tiny_launches.build_restated_snapshot)."""

import datetime as dt

import pandas as pd
import pytest

from tests.tiny_launches import build_restated_snapshot
from tokenshare.engine import compare


@pytest.fixture(scope="module")
def result(tiny_snapshot, tmp_path_factory):
    newer = build_restated_snapshot(tmp_path_factory.mktemp("restated") / "snap")
    pair = compare.SnapshotPair(tiny_snapshot, newer)
    yield pair.compare()
    pair.close()


def test_summary(result):
    s = result.summary
    assert (s["days_added"], s["days_dropped"], s["common_days"]) == (2, 0, 23)
    assert s["new_last"].date() == dt.date(2026, 1, 29)
    # restated: DeepSeek 27 Jan 200 -> 210, Qwen 26 Jan 100 -> (gone), retired 5 Jan 5 -> 6
    assert s["restated"] == 3
    assert (s["restated_tokens_old"], s["restated_tokens_new"]) == (200 + 100 + 5, 210 + 6)
    assert (s["reclassified"], s["models_added"], s["models_dropped"]) == (2, 1, 0)


def test_days_added(result):
    d = result.days
    assert [x.date() for x in d["date"]] == [dt.date(2026, 1, 28), dt.date(2026, 1, 29)]
    assert d["status"].tolist() == ["added", "added"]
    assert d["tokens"].tolist() == [545, 545]  # W4's daily total, `other` included


def test_restated_rows(result):
    r = result.restated
    rows = [(x.date(), slug, old, new) for x, slug, old, new in
            r[["date", "model_permaslug", "old_tokens", "new_tokens"]].itertuples(index=False)]
    assert rows[0][:3] == (dt.date(2026, 1, 26), "qwen/qwen3-235b", 100)  # largest change first
    assert pd.isna(rows[0][3])  # no row in the new snapshot: Qwen left the day's top 50
    assert rows[1] == (dt.date(2026, 1, 27), "deepseek/deepseek-v3", 200, 210)
    assert rows[2] == (dt.date(2026, 1, 5), "retired/old-model", 5, 6)
    assert r["change"].tolist() == [-100, 10, 1]
    assert r["pct_change"].iloc[1] == pytest.approx(0.05)
    by_day = result.restated_by_day.set_index(result.restated_by_day["date"].dt.date)
    assert by_day.loc[dt.date(2026, 1, 26), "change"] == -100
    assert by_day.loc[dt.date(2026, 1, 27), "new_total"] == 555


def test_reclassified(result):
    r = result.reclassified.set_index("model_permaslug")
    assert r.loc["mistralai/mistral-medium", "change"] == "weights"
    assert (r.loc["mistralai/mistral-medium", "old_weights"], r.loc["mistralai/mistral-medium", "new_weights"]) == ("closed", "open")
    assert r.loc["sao10k/l3-euryale", "change"] == "author"
    assert r.loc["sao10k/l3-euryale", "new_author"] == "sao10k-labs"
    assert r.loc["newlab/fresh", "change"] == "added"
    assert list(r.index)[-1] == "newlab/fresh"  # additions and drops after reclassifications


def test_identical_snapshots_differ_in_nothing(tiny_snapshot):
    pair = compare.SnapshotPair(tiny_snapshot, tiny_snapshot)
    try:
        res = pair.compare()
    finally:
        pair.close()
    s = res.summary
    assert (s["days_added"], s["restated"], s["reclassified"], s["models_added"]) == (0, 0, 0, 0)
    assert res.restated.empty and res.reclassified.empty and res.days.empty


def test_available_and_default_pair(tmp_path, tiny_snapshot):
    import shutil

    snaps = tmp_path / "snapshots"
    for name in ("2026-01-28", "2026-01-30"):
        shutil.copytree(tiny_snapshot.path, snaps / name)
    found = compare.available(snaps, tiny_snapshot.path)
    assert list(found) == ["2026-01-30", "2026-01-28", compare.SAMPLE_LABEL]
    assert compare.default_pair(list(found)) == ("2026-01-28", "2026-01-30")
    assert compare.default_pair(["sample"]) == ("sample", "sample")
    assert compare.default_pair([]) == (None, None)
    # the snapshot named by TOKENSHARE_SNAPSHOT comes first, by its folder name, never twice
    extra = compare.available(snaps, tiny_snapshot.path, extra=snaps / "2026-01-28")
    assert list(extra) == ["2026-01-28", "2026-01-30", compare.SAMPLE_LABEL]
