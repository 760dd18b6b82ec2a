"""Reading an AppTest run: helpers the page tests share."""

from google.protobuf.message import Message

from tests.markdown_plugins import plugin_triggers
from tokenshare.app.charts.budget import chart_points

# Markdown-rendered fields by name, and the elements whose options are Markdown too
# (Streamlit 1.67's frontend: StreamlitMarkdown with isLabel for these).
MARKDOWN_FIELDS = {"body", "label", "help", "delta", "caption", "description"}
MARKDOWN_OPTIONS = {"Radio", "Slider", "SelectSlider", "ButtonGroup", "SegmentedControl", "Pills"}
PLAIN_ELEMENTS = {"Code", "Json", "Text", "UnknownElement", "Dataframe", "Table"}


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


def _strings(msg: Message, path: str = ""):
    for fd, value in msg.ListFields():
        where = f"{path}.{fd.name}"
        values = value if isinstance(value, (list, tuple)) or type(value).__name__.startswith("Repeated") else [value]
        for v in values:
            if isinstance(v, Message):
                yield from _strings(v, where)
            elif isinstance(v, str):
                yield where, v


def _elements(node):
    proto = getattr(node, "proto", None)
    if isinstance(proto, Message):
        yield type(node).__name__, proto
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _elements(child)


def markdown_sources(at) -> list[tuple[str, str]]:
    """(element.field, text) of every string the browser renders as Markdown."""
    found = []
    for kind, proto in _elements(at._tree):
        if kind in PLAIN_ELEMENTS:
            continue
        for where, text in _strings(proto):
            field = where.rsplit(".", 1)[-1]
            if field in MARKDOWN_FIELDS or (field == "options" and kind in MARKDOWN_OPTIONS):
                found.append((kind + where, text))
    return found


def markdown_plugin_fetches(sources, seen=lambda text: text) -> list[tuple[str, list[str], str]]:
    """(where, plugins, text) of each Markdown source whose ``seen(text)`` makes the browser
    fetch Streamlit's emoji or formula plugin (tests/markdown_plugins.py)."""
    found = []
    for where, text in sources:
        plugins = plugin_triggers(seen(text))
        if plugins:
            found.append((where, plugins, text[:200]))
    return found


def assert_no_markdown_plugin(at) -> None:
    """No text on the page makes the browser fetch a Markdown plugin: a time written
    02:00:00 in every page's footer made each first load fetch 265 kB of emoji code and
    draw its Markdown twice."""
    fetched = markdown_plugin_fetches(markdown_sources(at))
    assert not fetched, fetched
