"""Reading an AppTest run: helpers the page tests share."""

from tokenshare.app.charts.budget import chart_points


def metric(at, label_start):
    """The value of the metric whose label starts with ``label_start``."""
    for m in at.metric:
        if m.label.startswith(label_start):
            return m.value
    raise AssertionError(f"no metric {label_start!r} in {[m.label for m in at.metric]}")


def chart_row_counts(at) -> list[int]:
    """Rows each chart sends to the browser (Streamlit 1.67 ships chart data as Arrow
    beside the spec, whose own datasets are empty; chart_points decodes it)."""
    return [chart_points(c.proto) for c in at.get("vega_lite_chart")]
