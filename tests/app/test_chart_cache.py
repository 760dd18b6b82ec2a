"""Finished charts (tokenshare/app/charts/finished.py): a chart helper given the same
inputs returns the finished chart built the first time, kept in the app's cache, and
``charts.draw`` (st.vega_lite_chart with the finished spec) makes exactly the element
``st.altair_chart`` makes of the chart built anew (same spec, same Arrow datasets less the columns the spec never names, same
selections)."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tokenshare.app import charts
from tokenshare.app import cache
from tokenshare.app.charts import finished


def _frame(shift: float = 0.0) -> pd.DataFrame:
    w = pd.date_range("2026-01-05", periods=4, freq="7D")
    return pd.DataFrame({
        "period": list(w) * 2, "period_end": list(w + pd.Timedelta(days=6)) * 2,
        "is_partial": [False, False, False, True] * 2, "series": ["DeepSeek"] * 4 + ["OpenAI"] * 4,
        "series_order": [0] * 4 + [1] * 4, "tokens": [10, 20, 30, 40, 5, 6, 7, 8],
        "share": [0.6 + shift, 0.7, 0.8, 0.8, 0.4 - shift, 0.3, 0.2, 0.2],
    })


def test_same_inputs_give_the_same_finished_chart_other_inputs_another():
    cache.clear("chart")
    a = charts.share_lines(_frame(), y_title="Share")
    assert isinstance(a, finished.FinishedChart)
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
    cache.clear("chart")
    df = _frame().assign(series=[["a"]] * 8)
    before = finished.stats["uncacheable"]
    # a list in a cell has no fingerprint (counted), and the chart built uncached then
    # fails on it in the helper itself (series names must be hashable): that error, and
    # only that one, is the helper's answer
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        charts.share_lines(df)
    assert finished.stats["uncacheable"] == before + 1
    assert cache.stats()["kinds"].get("chart", {}).get("entries", 0) == 0, "nothing was kept"


def _script():
    import pandas as pd
    import streamlit as st

    from tokenshare.app import cache, charts
    from tokenshare.app.charts import finished, interactions

    finished.follow_schema_setting()
    w = pd.date_range("2026-01-05", periods=4, freq="7D")
    df = pd.DataFrame({
        "period": list(w) * 2, "period_end": list(w + pd.Timedelta(days=6)) * 2,
        "is_partial": [False, False, False, True] * 2, "series": ["DeepSeek"] * 4 + ["OpenAI"] * 4,
        "series_order": [0] * 4 + [1] * 4, "tokens": [10, 20, 30, 40, 5, 6, 7, 8],
        "share": [0.6, 0.7, 0.8, 0.8, 0.4, 0.3, 0.2, 0.2],
    })
    hits = cache.stats()["kinds"].get("chart", {}).get("hits", 0)
    # Streamlit's own conversion of the chart built anew, next to the finished chart
    st.altair_chart(charts.share_area_interactive.__wrapped_chart__(df, pick_labs=True), width="stretch")
    charts.draw(charts.share_area_interactive(df, pick_labs=True), width="stretch")
    labs = pd.DataFrame({"author": ["deepseek"], "lab_name": ["DeepSeek"]})
    st.altair_chart(charts.share_area_interactive.__wrapped_chart__(df, pick_labs=True), key="fresh",
                    on_select=lambda: None, selection_mode=[charts.LAB_PICK], width="stretch")
    interactions.lab_click_chart(charts.share_area_interactive(df, pick_labs=True), key="cached", labs=labs,
                                 field="series")
    st.session_state["hits"] = cache.stats()["kinds"]["chart"]["hits"] - hits


def _table(data: bytes):
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all()


def assert_the_drawn_columns(full: bytes, sent: bytes, spec: str) -> set:
    """``sent`` is Streamlit's dataset ``full`` with only the columns the spec names (issue
    25): those rows and values, and no column left out that the spec names."""
    full, sent = _table(full), _table(sent)
    assert sent.equals(full.select(sent.column_names))
    left_out = set(full.column_names) - set(sent.column_names)
    assert not any(f'"{c}"' in spec or f"datum.{c}" in spec for c in left_out)
    return left_out


def same_but_marks_aria(altair_spec: str, drawn_spec: str) -> bool:
    """The spec st.altair_chart makes is the one ``charts.draw`` makes, but for the
    ``aria: false`` draw puts on every mark and the tooltips it moves onto the marks
    (finished.marks_without_aria and tooltips_on_marks, issue 25)."""
    import json

    from tokenshare.app.charts.finished import marks_without_aria, tooltips_on_marks

    drawn = json.loads(drawn_spec)
    assert '"aria": false' in drawn_spec
    return tooltips_on_marks(marks_without_aria(json.loads(altair_spec))) == drawn


def test_draw_makes_the_element_st_altair_chart_makes_of_the_chart_built_anew():
    cache.clear("chart")
    at = AppTest.from_function(_script, default_timeout=60)
    for run in range(2):  # the second run draws charts cached by the first
        at.run()
        assert not at.exception
        fresh, cached, fresh_sel, cached_sel = [c.proto for c in at.get("vega_lite_chart")]
        for a, b in ((fresh, cached), (fresh_sel, cached_sel)):
            assert same_but_marks_aria(a.spec, b.spec)
            assert [d.name for d in a.datasets] == [d.name for d in b.datasets]
            left_out = set().union(*(assert_the_drawn_columns(full.data.data, sent.data.data, b.spec)
                                     for full, sent in zip(a.datasets, b.datasets)))
            assert "is_partial" in left_out  # the area's own rows: its bands are a layer of their own
            assert a.datasets and a.selection_mode == b.selection_mode and a.theme == b.theme
        assert list(cached_sel.selection_mode) == [charts.LAB_PICK]
        assert at.session_state["hits"] == (1 if run == 0 else 2)  # built once, on its first call


def test_a_chart_made_outside_the_helpers_draws_too():
    """``charts.draw`` takes any Altair chart (made into a spec on the spot)."""
    import altair as alt

    def script():
        import altair as alt
        import pandas as pd
        import streamlit as st

        from tokenshare.app import charts

        chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")
        st.altair_chart(chart, width="stretch")
        charts.draw(chart, width="stretch")

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception
    a, b = [c.proto for c in at.get("vega_lite_chart")]
    assert same_but_marks_aria(a.spec, b.spec) and [d.data.data for d in a.datasets] == [d.data.data for d in b.datasets]
    assert alt.data_transformers.active == "default"  # the app's transformer is switched on only while it works
