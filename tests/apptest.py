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


def markdown_tables(at) -> list:
    """Every Markdown table the page shows (``page.small_table``), as a DataFrame of the
    cells' text as a reader sees it: backslash escapes read, word joiners dropped."""
    import re

    import pandas as pd

    def cells(line: str) -> list[str]:
        parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        return [re.sub(r"\\(.)", r"\1", p.strip()).replace("\u2060", "") for p in parts]

    out = []
    for m in at.markdown:
        lines = m.value.splitlines()
        if len(lines) >= 2 and lines[0].startswith("|") and set(lines[1].replace(" ", "")) <= set("|-:"):
            out.append(pd.DataFrame([cells(x) for x in lines[2:]], columns=cells(lines[0])))
    return out
