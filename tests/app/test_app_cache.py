"""The app layer's one cache (tokenshare/app/cache.py): one frame fingerprint, one key
builder, one memory budget with hit and miss counts, and frames shared between sessions
that raise when written to."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pandas as pd
import pytest

from tokenshare.app import cache, state


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"period": pd.to_datetime(["2026-01-05", "2026-01-12"]), "series": ["A", "B"],
                         "tokens": [10, 20], "share": [0.25, 0.75], "is_partial": [False, True]})


class FakeDB:
    """A SnapshotDB stand-in: counts the queries it runs."""

    def __init__(self):
        self.calls = []

    def query(self, name, **params):
        self.calls.append((name, params))
        return _frame()


@pytest.fixture
def fresh():
    cache.clear()
    yield
    cache.clear()


def test_a_shared_frame_raises_when_written_to(fresh):
    shared = cache.read_only(_frame())
    with pytest.raises(ValueError):
        shared.loc[0, "share"] = 0.5
    with pytest.raises(ValueError):
        shared.iloc[1, 2] = 99
    with pytest.raises(ValueError):
        shared.at[0, "is_partial"] = True
    with pytest.raises(ValueError):
        shared["tokens"].to_numpy()[0] = 1
    assert shared.equals(_frame())  # same values, dtypes and index as the frame it was made from
    # copy-on-write: what is made from it, or a copy of it, may be changed, and it stays as it was
    mine = shared[shared["tokens"] > 10]
    mine.iloc[0, 2] = 1
    mine = shared.copy(deep=False)
    mine.loc[0, "share"] = 0.5
    mine["extra"] = 1
    assert shared.equals(_frame())


def test_what_the_app_shares_is_read_only_and_what_it_hands_out_is_not(fresh):
    snapshot, db = SimpleNamespace(snapshot_id="s1"), FakeDB()
    mine = state.run_query(snapshot, db, "filter_options_labs")
    mine.loc[0, "tokens"] = 5  # a caller's own copy
    again = state.run_query(snapshot, db, "filter_options_labs")
    assert again.loc[0, "tokens"] == 10 and len(db.calls) == 1  # kept, and not changed by the caller
    kept = cache.recall("query", cache.key("s1", "filter_options_labs", ()))
    assert isinstance(kept, bytes) and not gc.is_tracked(kept)  # nothing for the garbage collector to walk

    ctx = state.Context(snapshot, db, None, None, None, None, None)
    derived = ctx.derive(lambda df: df.assign(double=df["tokens"] * 2), ("filter_options_labs", {}))
    assert ctx.derive(lambda df: df.assign(double=df["tokens"] * 2), ("filter_options_labs", {})) is derived
    with pytest.raises(ValueError):
        derived.loc[0, "double"] = 0
    options = state.filter_options(SimpleNamespace(snapshot_id="s2"), SimpleNamespace(query=lambda name, **_: pd.DataFrame({
        "author": ["a"], "lab_name": ["A"], "country_code": ["US"], "country_name": ["United States"],
        "first_day": pd.to_datetime(["2026-01-01"]), "last_day": pd.to_datetime(["2026-02-01"])})))
    with pytest.raises(ValueError):
        options.labs.loc[0, "first_day"] = pd.Timestamp("2020-01-01")


def test_one_fingerprint_for_frames():
    df = _frame()
    assert cache.frame_fingerprint(df) == cache.frame_fingerprint(_frame())
    assert cache.frame_fingerprint(df) == cache.frame_fingerprint(cache.read_only(df))
    assert cache.frame_fingerprint(df) != cache.frame_fingerprint(df.assign(share=[0.5, 0.5]))
    assert cache.frame_fingerprint(df) != cache.frame_fingerprint(df.set_axis([5, 6]))  # the index counts
    assert cache.frame_fingerprint(df) != cache.frame_fingerprint(df.astype({"tokens": "float64"}))
    assert cache.frame_fingerprint(df) != cache.frame_fingerprint(df.rename(columns={"series": "lab"}))
    assert cache.fingerprint(1) != cache.fingerprint(1.0) != cache.fingerprint("1") != cache.fingerprint(True)
    with pytest.raises(cache.Uncacheable):
        cache.fingerprint(object())


def test_a_shared_frame_is_hashed_once_and_forgotten_with_it(monkeypatch):
    shared = cache.read_only(_frame())
    calls = []
    real = pd.util.hash_pandas_object
    monkeypatch.setattr(pd.util, "hash_pandas_object", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = cache.frame_fingerprint(shared)
    assert len(calls) == 1  # hashed when first asked for
    assert cache.frame_fingerprint(shared) == cache.frame_fingerprint(shared) == first
    assert len(calls) == 1  # and never again
    twin = _frame()
    assert cache.frame_fingerprint(twin) == cache.frame_fingerprint(twin) == first
    assert len(calls) == 3  # a frame the cache did not make is hashed every time
    key = id(shared)
    del shared
    gc.collect()
    assert key not in cache._known


def test_one_key_for_snapshot_query_parameters_and_options():
    a = cache.key("s1", "lab_ranks", {"labs": ["a", "b"], "grain": "week"}, {"top": 5})
    assert a == cache.key("s1", "lab_ranks", {"grain": "week", "labs": ("a", "b")}, {"top": 5})
    assert hash(a) == hash(cache.key("s1", "lab_ranks", {"grain": "week", "labs": ("a", "b")}, {"top": 5}))
    assert a != cache.key("s2", "lab_ranks", {"labs": ["a", "b"], "grain": "week"}, {"top": 5})
    assert a != cache.key("s1", "share_by_series", {"labs": ["a", "b"], "grain": "week"}, {"top": 5})
    assert a != cache.key("s1", "lab_ranks", {"labs": ["b", "a"], "grain": "week"}, {"top": 5})
    assert a != cache.key("s1", "lab_ranks", {"labs": ["a", "b"], "grain": "week"}, {"top": 6})


def test_one_budget_for_every_kind_least_recently_used_first(fresh, monkeypatch):
    monkeypatch.setattr(cache, "BUDGET_BYTES", 3 * (1000 + cache.ENTRY_OVERHEAD))
    before = cache.stats()["kinds"]
    cache.remember("query", "q1", "result", 1000)
    cache.remember("derived", "d1", "frame", 1000)
    cache.remember("chart", "c1", "spec", 1000)
    assert cache.recall("query", "q1") == "result"  # q1 used last: d1 is now the oldest
    cache.remember("chart", "c2", "spec", 1000)
    assert cache.recall("derived", "d1") is None
    assert cache.recall("query", "q1") == "result" and cache.recall("chart", "c2") == "spec"
    after = cache.stats()
    assert after["bytes"] <= after["budget"]
    counts = {k: {n: v[n] - before.get(k, {}).get(n, 0) for n in ("hits", "misses", "evicted")}
              for k, v in after["kinds"].items() if k in ("query", "derived", "chart")}
    assert counts == {"query": {"hits": 2, "misses": 0, "evicted": 0},
                      "derived": {"hits": 0, "misses": 1, "evicted": 1},
                      "chart": {"hits": 1, "misses": 0, "evicted": 0}}
    assert cache.cached("chart", "c3", lambda: "made") == "made" and cache.recall("chart", "c3") == "made"
