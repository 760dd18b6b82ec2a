"""A chart exported as SVG (rendered server-side by vl-convert) is the chart."""

import pandas as pd


def test_chart_svg_export_renders_an_svg_of_the_chart():
    from tokenshare.app import charts
    from tokenshare.app.charts import interactions

    df = pd.DataFrame({
        "period": pd.to_datetime(["2026-01-05", "2026-01-12"]), "period_end": pd.to_datetime(["2026-01-11", "2026-01-18"]),
        "is_partial": [False, False], "series": ["Open weights", "Open weights"], "series_order": [1, 1],
        "tokens": [10, 20], "share": [0.4, 0.5],
    })
    svg = interactions.chart_svg(charts.share_lines(df)).decode()
    assert svg.lstrip().startswith("<svg") and "Open weights" in svg
