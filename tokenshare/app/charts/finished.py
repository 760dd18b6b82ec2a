"""Charts built once per input, drawn through Streamlit's public API.

A chart helper wrapped in ``cached_chart`` returns a ``FinishedChart``: the chart's
finished Vega-Lite spec (``chart.to_dict()``) with its data already in Arrow, kept in the
app's one cache (``tokenshare/app/cache.py``, kind ``chart``) by the helper's name and a
fingerprint of its arguments. A rerun that hands a helper the same frame and options
(another visitor on the same view, a page-local control, an expander opening, a chart
click) builds nothing: no Altair objects, no spec, no Arrow conversion.

``draw`` puts any chart on the page with ``st.vega_lite_chart`` and the finished spec
dict, selections included (``on_select``, ``selection_mode``, ``key``). The spec is the
one ``st.altair_chart`` would send: Altair's own ``to_dict()`` with the theme "none"
(Streamlit's theme applies in the browser) and each DataFrame in Arrow under the name
Streamlit gives it (BLAKE2b of its Arrow IPC bytes); tests/app/test_chart_cache.py
checks that the element is byte for byte the one ``st.altair_chart`` makes of the same
chart. Altair's data transformer and theme are process-wide settings, so every spec is
made under ``ALTAIR_LOCK`` (the SVG export takes it too); nothing in the app calls
``st.altair_chart``.

Altair's schema checks are off in the app unless ``TOKENSHARE_VALIDATE_CHARTS=1``
(``follow_schema_setting``, through Altair's public switches; the chart-budget test
turns them on). Pages need not know about the cache: every helper
``tokenshare.app.charts`` exports goes through ``cached_chart`` (see its ``__init__``);
a helper that takes another chart (launch markers on a line) gets the Altair chart and
is keyed by the inner chart's key."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import threading

import pandas as pd

from tokenshare.app import cache
from tokenshare.core import settings

ALTAIR_LOCK = threading.RLock()
TRANSFORMER = "tokenshare_arrow"
stats = {"built": 0, "reused": 0, "uncacheable": 0}


def follow_schema_setting() -> None:
    """Altair's build-time schema checks on only when TOKENSHARE_VALIDATE_CHARTS says so
    (the public switch; the finished spec is checked in ``to_dict`` by the same setting)."""
    from altair.utils import schemapi

    if settings.validate_charts():
        schemapi.enable_debug_mode()
    else:
        schemapi.disable_debug_mode()


def arrow_table(data):
    """A chart's DataFrame as the Arrow table Streamlit would send for it."""
    import pyarrow as pa

    if not isinstance(data, (pd.DataFrame, pa.Table)):
        import narwhals.stable.v1 as nw

        data = nw.to_native(data, pass_through=True)
    return data if isinstance(data, pa.Table) else pa.Table.from_pandas(data)


def arrow_bytes(table) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _to_arrow(data, tables: dict) -> dict:
    """Altair data transformer: the frame to ``tables`` as Arrow, named by a hash of its
    Arrow bytes (Streamlit's naming, so the element is the one st.altair_chart makes)."""
    table = arrow_table(data)
    name = hashlib.blake2b(arrow_bytes(table), digest_size=16).hexdigest()
    tables[name] = table
    return {"name": name}


def spec_of(chart) -> tuple[str, dict]:
    """``chart``'s finished Vega-Lite spec as JSON text, and its datasets (Arrow tables,
    and any dataset Altair inlined as records)."""
    import altair as alt

    tables: dict = {}
    with ALTAIR_LOCK:
        alt.data_transformers.register(TRANSFORMER, _to_arrow)
        # the default theme's width and height are not for Streamlit (st.altair_chart too)
        theme = alt.theme.enable("none") if alt.theme.active == "default" else contextlib.nullcontext()
        with theme, alt.data_transformers.enable(TRANSFORMER, tables=tables):
            spec = chart.to_dict(validate=settings.validate_charts())
    datasets = {**(spec.pop("datasets", None) or {}), **tables}
    spec_json = json.dumps(spec)
    return spec_json, {name: drawn_columns(data, spec_json) for name, data in datasets.items()}


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def drawn_columns(table, spec_json: str):
    """``table`` (Arrow) with only the columns the spec names: a column nothing encodes,
    shows in a tooltip, filters or computes on (a frame's extra figures, pandas' index) is
    never sent to the browser, which would otherwise decode it for every row on every
    redraw. A column counts as named when its name is a word of the spec's JSON (an
    encoding's field, a tooltip's, or a word in an expression such as ``datum.picked``),
    so a chart that shows every field (``tooltip: true``) keeps them all. The dataset
    keeps the name Streamlit gives the whole frame."""
    if not hasattr(table, "column_names"):
        return table  # a dataset Altair inlined as records: as it is
    if '"tooltip": true' in spec_json or '"content": "data"' in spec_json:
        return table
    words = set(_NAME.findall(spec_json))
    keep = [c for c in table.column_names
            if c in words or (not _NAME.fullmatch(c) and json.dumps(c)[1:-1] in spec_json)]
    return table if len(keep) == len(table.column_names) else table.select(keep)


def plain_dict(chart, **kwargs) -> dict:
    """``chart.to_dict(**kwargs)`` with Altair's own data transformer (data inline), never
    while a spec is being made in another thread."""
    kwargs.setdefault("validate", settings.validate_charts())
    with ALTAIR_LOCK:
        return chart.to_dict(**kwargs)


def _size(datasets: dict) -> int:
    return sum(getattr(v, "nbytes", 0) or len(json.dumps(v, default=str)) for v in datasets.values())


class FinishedChart:
    """A built chart's finished spec, and the way to build the chart again."""

    __slots__ = ("cache_token", "_rebuild", "_spec_json", "_datasets", "nbytes")

    def __init__(self, chart, key: bytes, rebuild):
        # Only the way to build it again is kept, not the Altair chart: its thousands of
        # schema objects, hundreds of charts over, would make every garbage collection
        # walk them (see tokenshare/app/hosting/heap.py). Export and tests rebuild it.
        self.cache_token = key
        self._rebuild = rebuild
        self._spec_json, self._datasets = spec_of(chart)
        self.nbytes = len(self._spec_json) + _size(self._datasets)

    def spec(self) -> dict:
        """The finished spec, a fresh dict (Streamlit edits the spec it is given)."""
        spec = json.loads(self._spec_json)
        spec["datasets"] = dict(self._datasets)
        return spec

    def to_dict(self, **kwargs) -> dict:
        """The Altair chart's own ``to_dict`` (data inline)."""
        return plain_dict(self.chart, **kwargs)

    @property
    def chart(self):
        """The Altair chart, built again from the same inputs."""
        return self._rebuild()

    def __getattr__(self, name):
        return getattr(self._rebuild(), name)

    def __repr__(self) -> str:
        return f"FinishedChart({type(self.chart).__name__}, {self.nbytes:,} bytes)"


def altair_of(value):
    """The Altair chart behind a FinishedChart (anything else as it is)."""
    return value.chart if isinstance(value, FinishedChart) else value


def marks_without_aria(spec: dict) -> dict:
    """Every mark of ``spec`` (layers and concatenations included) with ``aria: false``,
    in place. Vega-Lite otherwise makes an ARIA description for every drawn item (each of
    the bump chart's 990 points: "lab: …; rank: …; period: …"), through Vega's expression
    interpreter (Streamlit runs Vega without eval), and writes three aria attributes per
    item on every redraw: 10% of a Race rerun's main-thread CPU in Chromium, 15% of a
    Share rerun's. The axes and legends keep theirs (only marks are turned off), the
    tooltips are unchanged, and every chart's figures are also in its "data behind"
    table, which a screen reader reads far better than a thousand labelled points. A
    mark that says ``aria`` itself keeps its choice."""
    for unit in _specs_in(spec):
        mark = unit.get("mark")
        if isinstance(mark, str):
            unit["mark"] = {"type": mark, "aria": False}
        elif isinstance(mark, dict):
            mark.setdefault("aria", False)
    return spec


def _specs_in(spec: dict) -> list[dict]:
    """``spec`` and every spec inside it: its layers, concatenations, and a facet's or a
    repeat's inner spec, at any depth."""
    found = [spec]
    for part in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(part) or ():
            if isinstance(sub, dict):
                found += _specs_in(sub)
    if isinstance(spec.get("spec"), dict):  # facet / repeat
        found += _specs_in(spec["spec"])
    return found


# Vega-Lite's text for a tooltip field with no format of its own: a date as "%b %d, %Y"
# (its default timeFormat; Streamlit's theme sets none), a number through format(v, "").
_TIP_TIME_FORMAT = "%b %d, %Y"
_TIP_KEYS = {"field", "type", "title", "format"}


def _tip_text(fd) -> tuple[str, str] | None:
    """(title, expression) of one tooltip field definition as Vega-Lite words it, or None
    when it is more than a plain field (an aggregate, a time unit, a condition, a nested
    or dotted field name, a title that is not one string)."""
    if not isinstance(fd, dict) or set(fd) - _TIP_KEYS:
        return None
    field, kind, fmt = fd.get("field"), fd.get("type"), fd.get("format")
    title = fd.get("title", field)
    if not (isinstance(field, str) and _NAME.fullmatch(field) and isinstance(title, str)
            and (fmt is None or isinstance(fmt, str))):
        return None
    value = f"datum[{json.dumps(field)}]"
    if kind in ("nominal", "ordinal"):
        return (title, value) if fmt is None else None
    if kind == "quantitative":
        return title, f"format({value}, {json.dumps(fmt or '')})"
    if kind == "temporal":
        return title, f"timeFormat({value}, {json.dumps(fmt or _TIP_TIME_FORMAT)})"
    return None


def tooltips_on_marks(spec: dict) -> dict:
    """Every unit of ``spec`` whose tooltip is a list of plain fields gets that tooltip
    as one expression on its mark (``{"Share": datum["share_label"], ...}``), in place:
    the same titles, order and text. Vega-Lite words each field of an encoding's tooltip
    as ``isValid(v) ? isArray(v) ? join(v, '\n') : v : "" + v``, and Vega works that out
    for every drawn item on every redraw through its expression interpreter (Streamlit
    runs Vega without eval): 1,382 area items of Share's day view, 990 bump-chart points.
    Paired, 15 Period changes each way on Share: 7-8% less wall time, 3-6% less CPU
    (issue 25). A tooltip with anything else in it is left as it is; the first field of
    a title wins, as in Vega-Lite. A point overlay takes its line's mark tooltip."""
    for unit in _specs_in(spec):
        _tooltip_on_mark(unit)
    return spec


def _tooltip_on_mark(unit: dict) -> None:
    encoding, mark = unit.get("encoding"), unit.get("mark")
    fields = (encoding or {}).get("tooltip")
    if not isinstance(fields, list) or not fields or mark is None:
        return
    mark = {"type": mark} if isinstance(mark, str) else mark
    texts = [_tip_text(fd) for fd in fields]
    if not isinstance(mark, dict) or "tooltip" in mark or None in texts:
        return
    entries = dict(reversed(texts))  # the first of two fields with one title wins
    unit["mark"] = {**mark, "tooltip": {"expr": "{" + ", ".join(
        f"{json.dumps(title)}: {entries[title]}" for title in dict.fromkeys(t for t, _ in texts)) + "}"}}
    del encoding["tooltip"]


def draw(chart, *, key: str | None = None, on_select="ignore", selection_mode=None, width="stretch", where=None):
    """Draw ``chart`` (a FinishedChart, or any Altair chart: made into a spec here) with
    ``st.vega_lite_chart`` in ``where`` (the page by default); returns what Streamlit
    returns (the selection state when ``on_select`` is set)."""
    import streamlit as st

    if isinstance(chart, FinishedChart):
        spec = chart.spec()
    else:
        spec_json, datasets = spec_of(chart)
        spec = {**json.loads(spec_json), "datasets": datasets}
    tooltips_on_marks(marks_without_aria(spec))
    from tokenshare.app.share import shown

    shown.chart_drawn(chart)  # the first chart of a page is its main chart (the share card's)
    kwargs = {"key": key, "width": width}
    if on_select != "ignore":
        kwargs.update(on_select=on_select, selection_mode=selection_mode)
    return (where or st).vega_lite_chart(spec=spec, **kwargs)


def _is_chart(value) -> bool:
    import altair as alt

    return isinstance(value, alt.TopLevelMixin)


def cache_helpers(namespace: dict, package: str, skip: tuple[str, ...] = ()) -> None:
    """Wrap, in ``namespace`` (a package's globals), every public function defined in a
    module of ``package`` other than those in ``skip``: the chart helpers the package
    exports, however many are added later."""
    skipped = {f"{package}.{m}" for m in skip}
    for name, value in list(namespace.items()):
        module = getattr(value, "__module__", None) or ""
        if (callable(value) and not isinstance(value, type) and not name.startswith("_")
                and module.startswith(package + ".") and module not in skipped
                and not hasattr(value, "__wrapped_chart__")):
            namespace[name] = cached_chart(value)


def cached_chart(builder):
    """Wrap a chart helper: same arguments, same FinishedChart, built once. A helper
    that returns one of its own arguments unchanged (nothing to add) returns it as given."""
    name = f"{builder.__module__}.{builder.__qualname__}"

    @functools.wraps(builder)
    def helper(*args, **kwargs):
        plain_args = tuple(altair_of(a) for a in args)
        plain_kwargs = {k: altair_of(v) for k, v in kwargs.items()}
        try:
            key = cache.fingerprint(name, list(args), kwargs)
        except cache.Uncacheable:
            stats["uncacheable"] += 1
            return builder(*plain_args, **plain_kwargs)
        hit = cache.recall("chart", key)
        if hit is not None:
            stats["reused"] += 1
            return hit
        chart = builder(*plain_args, **plain_kwargs)
        for given, plain in zip([*args, *kwargs.values()], [*plain_args, *plain_kwargs.values()]):
            if chart is plain:
                return given
        if not _is_chart(chart):  # not a chart helper after all: its result as it is
            return chart
        stats["built"] += 1
        finished = FinishedChart(chart, key, functools.partial(builder, *plain_args, **plain_kwargs))
        return cache.remember("chart", key, finished, finished.nbytes)

    helper.__wrapped_chart__ = builder
    return helper
