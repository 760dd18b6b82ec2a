"""The chart cache (tokenshare/app/charts/cache.py): a chart helper given the same
inputs returns the finished chart built the first time, and Streamlit draws it exactly
as it draws the chart built anew (same spec, same Arrow datasets), from the finished
spec (the test fails if Streamlit stops asking for it the way the cache answers)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tokenshare.app import charts
from tokenshare.app.charts import cache


def _frame(shift: float = 0.0) -> pd.DataFrame:
    w = pd.date_range("2026-01-05", periods=4, freq="7D")
    return pd.DataFrame({
        "period": list(w) * 2, "period_end": list(w + pd.Timedelta(days=6)) * 2,
        "is_partial": [False, False, False, True] * 2, "series": ["DeepSeek"] * 4 + ["OpenAI"] * 4,
        "series_order": [0] * 4 + [1] * 4, "tokens": [10, 20, 30, 40, 5, 6, 7, 8],
        "share": [0.6 + shift, 0.7, 0.8, 0.8, 0.4 - shift, 0.3, 0.2, 0.2],
    })


def test_same_inputs_give_the_same_finished_chart_other_inputs_another():
    cache.clear()
    a = charts.share_lines(_frame(), y_title="Share")
    assert isinstance(a, cache.FinishedChart)
    assert charts.share_lines(_frame(), y_title="Share") is a  # an equal frame, another object
    assert charts.share_lines(_frame(0.1), y_title="Share") is not a  # other rows
    assert charts.share_lines(_frame(), y_title="Other") is not a  # other options
    assert charts.share_lines(_frame().astype({"tokens": "float64"}), y_title="Share") is not a  # other dtypes
    # outside Streamlit it is the Altair chart: its own to_dict, data and layers
    assert a.to_dict() == charts.share_lines.__wrapped_chart__(_frame(), y_title="Share").to_dict()
    assert len(a.layer[0].data) == 8


def test_a_helper_that_adds_nothing_returns_its_argument():
    line = charts.open_share_line(pd.DataFrame({
        "period": pd.date_range("2026-01-05", periods=2, freq="7D"), "period_end": pd.date_range("2026-01-11", periods=2, freq="7D"),
        "is_partial": [False, False], "open_share": [0.4, 0.5], "named_tokens": [5, 6]}))
    assert charts.with_launch_markers(line, None) is line


def test_cells_without_a_fingerprint_build_uncached():
    cache.clear()
    df = _frame().assign(series=[["a"]] * 8)
    before = cache.stats["uncacheable"]
    try:
        charts.share_lines(df)
    except Exception:  # noqa: BLE001 - whatever Altair makes of it, it was not cached
        pass
    assert cache.stats["uncacheable"] == before + 1


def _script():
    import pandas as pd
    import streamlit as st

    from tokenshare.app import charts

    from tokenshare.app.charts import fastcharts, interactions
    from tokenshare.app.charts import cache

    fastcharts.install()
    w = pd.date_range("2026-01-05", periods=4, freq="7D")
    df = pd.DataFrame({
        "period": list(w) * 2, "period_end": list(w + pd.Timedelta(days=6)) * 2,
        "is_partial": [False, False, False, True] * 2, "series": ["DeepSeek"] * 4 + ["OpenAI"] * 4,
        "series_order": [0] * 4 + [1] * 4, "tokens": [10, 20, 30, 40, 5, 6, 7, 8],
        "share": [0.6, 0.7, 0.8, 0.8, 0.4, 0.3, 0.2, 0.2],
    })
    served = cache.stats["served"]
    st.altair_chart(charts.share_area_interactive.__wrapped_chart__(df, pick_labs=True), width="stretch")
    st.altair_chart(charts.share_area_interactive(df, pick_labs=True), width="stretch")
    labs = pd.DataFrame({"author": ["deepseek"], "lab_name": ["DeepSeek"]})
    interactions.lab_click_chart(charts.share_area_interactive.__wrapped_chart__(df, pick_labs=True),
                                 key="fresh", labs=labs, field="series")
    interactions.lab_click_chart(charts.share_area_interactive(df, pick_labs=True), key="cached", labs=labs,
                                 field="series")
    st.session_state["served"] = cache.stats["served"] - served


def test_streamlit_draws_a_finished_chart_exactly_as_the_chart_built_anew():
    cache.clear()
    at = AppTest.from_function(_script, default_timeout=60)
    for _ in range(2):  # the second run draws charts cached by the first
        at.run()
        assert not at.exception
        fresh, cached, fresh_sel, cached_sel = [c.proto for c in at.get("vega_lite_chart")]
        for a, b in ((fresh, cached), (fresh_sel, cached_sel)):
            assert a.spec == b.spec
            assert [(d.name, d.data.data) for d in a.datasets] == [(d.name, d.data.data) for d in b.datasets]
            assert a.datasets and a.selection_mode == b.selection_mode
        assert at.session_state["served"] == 2  # drawn from the finished spec, not converted again


def test_a_shared_frame_is_hashed_once_and_like_any_other(monkeypatch):
    """Context.derive's frames are marked shared: their fingerprint is kept (the same as an
    equal unshared frame's), and forgotten with the frame."""
    import gc

    from tokenshare.app.charts import cache

    df = pd.DataFrame({"period": pd.to_datetime(["2026-01-05"]), "series": ["A"], "share": [0.5]})
    twin = df.copy()
    cache.shared(df)
    calls = []
    real = cache._hash_frame
    monkeypatch.setattr(cache, "_hash_frame", lambda d: calls.append(1) or real(d))
    assert cache._frame_token(df) == cache._frame_token(df) == cache._frame_token(twin)
    assert len(calls) == 1  # the twin only
    key = id(df)
    del df
    gc.collect()
    assert key not in cache._shared
