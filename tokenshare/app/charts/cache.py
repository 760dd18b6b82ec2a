"""Charts built once per input: a chart helper wrapped in ``cached_chart`` returns a
``FinishedChart``, the chart's finished Vega-Lite spec with its data already in Arrow,
kept by the helper's name and a fingerprint of its arguments (DataFrames by their rows,
columns and dtypes). A rerun that hands a helper the same frame and options (another
visitor on the same view, a page-local control, an expander opening, a chart click)
builds nothing: no Altair objects, no spec, no Arrow conversion.

``st.altair_chart(finished)`` draws it as it draws any Altair chart: Streamlit converts a
chart by calling its ``to_dict()`` inside its own data transformer and keeps datasets a
spec already carries (the way it draws ``alt.Chart.from_json`` charts), so
``FinishedChart.to_dict()`` hands it the spec converted once, at build time, by
Streamlit's own converter. Anything else (``.properties()``, ``.to_json()``, ``.layer``,
``.data``, ``to_dict(...)`` outside Streamlit) goes to the Altair chart itself, so the
SVG export and the tests see ordinary Altair. tests/app/test_chart_cache.py checks that
a cached chart's element is byte-for-byte the element of the chart built anew, and
fails if Streamlit stops taking the cached path.

Pages need not know: every helper ``tokenshare.app.charts`` exports goes through
``cached_chart`` (see its ``__init__``); a helper that takes another chart (launch
markers on a line) gets the Altair chart and is keyed by the inner chart's key."""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import weakref
from collections import OrderedDict

import pandas as pd

# What Streamlit names the data transformer it enables around ``chart.to_dict()``
# (streamlit/elements/vega_charts.py). Only inside it does a FinishedChart answer with
# its converted spec.
STREAMLIT_TRANSFORMER = "to_arrow_dataset"
MAX_CHARTS = 400  # finished charts kept (least recently used dropped first)
MAX_BYTES = 96 * 2**20  # and at most this much Arrow data in all

_lock = threading.Lock()
_finished: OrderedDict = OrderedDict()  # key -> FinishedChart
_bytes = 0
stats = {"built": 0, "reused": 0, "uncacheable": 0, "served": 0}  # served: drawn from the finished spec


class Uncacheable(Exception):
    """An argument with no stable fingerprint: the helper runs uncached."""


# Frames that the app shares read-only between reruns and sessions (Context.derive in state.py):
# id -> (weak reference, token), so one is hashed once, not on every rerun. The weak
# reference tells a live frame from a new one that got a dead frame's id.
_shared: dict[int, tuple] = {}


def shared(df):
    """Mark ``df`` as shared and never changed again: its fingerprint is kept."""
    if isinstance(df, pd.DataFrame):
        token = _hash_frame(df)
        with _lock:
            _shared[id(df)] = (weakref.ref(df, lambda _, key=id(df): _shared.pop(key, None)), token)
    return df


def _frame_token(df: pd.DataFrame) -> bytes:
    known = _shared.get(id(df))
    if known is not None and known[0]() is df:
        return known[1]
    return _hash_frame(df)


def _hash_frame(df: pd.DataFrame) -> bytes:
    try:
        rows = pd.util.hash_pandas_object(df, index=True).to_numpy()
    except TypeError as exc:  # a cell pandas cannot hash (a list)
        raise Uncacheable(str(exc)) from exc
    meta = repr((list(df.columns), [repr(t) for t in df.dtypes], df.index.name, df.attrs or None))
    return hashlib.blake2b(rows.tobytes() + meta.encode(), digest_size=16).digest()


def _token(value, h) -> None:
    """Feed ``value`` into the hash ``h``, typed, so that 1, 1.0, "1" and True differ."""
    if isinstance(value, FinishedChart):
        h.update(b"C" + value.key)
    elif isinstance(value, pd.DataFrame):
        h.update(b"F" + _frame_token(value))
    elif isinstance(value, pd.Series):
        h.update(b"S" + _frame_token(value.to_frame()) + repr(value.name).encode())
    elif value is None or isinstance(value, (bool, int, float, str, bytes)):
        h.update(b"V" + repr((type(value).__name__, value)).encode())
    elif isinstance(value, (list, tuple)):
        h.update(b"L" if isinstance(value, list) else b"T")
        h.update(str(len(value)).encode())
        for v in value:
            _token(v, h)
    elif isinstance(value, (set, frozenset)):
        _token(sorted(value, key=repr), h)
    elif isinstance(value, dict):
        h.update(b"D" + str(len(value)).encode())
        for k in sorted(value, key=repr):
            _token(k, h)
            _token(value[k], h)
    elif hasattr(value, "isoformat"):  # dates, timestamps
        h.update(b"d" + repr((type(value).__name__, value.isoformat())).encode())
    else:
        raise Uncacheable(type(value).__name__)


def fingerprint(name: str, args: tuple, kwargs: dict) -> bytes:
    h = hashlib.blake2b(name.encode(), digest_size=16)
    _token(list(args), h)
    _token(kwargs, h)
    return h.digest()


def _convert(chart) -> tuple[str, dict]:
    """The spec Streamlit would make of ``chart`` (its own converter: datasets in Arrow
    IPC bytes, the theme and data transformer it uses), as JSON text plus datasets."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    spec = _convert_altair_to_vega_lite_spec(chart)
    datasets = spec.pop("datasets", None) or {}
    return json.dumps(spec), datasets


class FinishedChart:
    """A built chart and its finished spec (see the module docstring)."""

    __slots__ = ("key", "_rebuild", "_spec_json", "_datasets", "nbytes")

    def __init__(self, chart, key: bytes, rebuild):
        # Only the way to build it again is kept, not the Altair chart: its thousands of
        # schema objects, hundreds of charts over, would make every garbage collection
        # walk them (see tokenshare/app/hosting/heap.py). Export and tests rebuild it on demand.
        self.key = key
        self._rebuild = rebuild
        self._spec_json, self._datasets = _convert(chart)
        self.nbytes = len(self._spec_json) + sum(len(v) for v in self._datasets.values() if isinstance(v, bytes))

    def to_dict(self, *args, **kwargs) -> dict:
        import altair as alt

        if args or kwargs or alt.data_transformers.active != STREAMLIT_TRANSFORMER:
            return self.chart.to_dict(*args, **kwargs)
        stats["served"] += 1
        # a fresh dict each time: Streamlit edits the spec it is given
        spec = json.loads(self._spec_json)
        spec["datasets"] = dict(self._datasets)
        return spec

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


def _remember(finished: FinishedChart) -> None:
    global _bytes
    with _lock:
        old = _finished.pop(finished.key, None)
        if old is not None:
            _bytes -= old.nbytes
        _finished[finished.key] = finished
        _bytes += finished.nbytes
        while _finished and (len(_finished) > MAX_CHARTS or _bytes > MAX_BYTES):
            _, dropped = _finished.popitem(last=False)
            _bytes -= dropped.nbytes


def _recall(key: bytes) -> FinishedChart | None:
    with _lock:
        hit = _finished.get(key)
        if hit is not None:
            _finished.move_to_end(key)
        return hit


def clear() -> None:
    global _bytes
    with _lock:
        _finished.clear()
        _bytes = 0


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
            key = fingerprint(name, args, kwargs)
        except Uncacheable:
            stats["uncacheable"] += 1
            return builder(*plain_args, **plain_kwargs)
        hit = _recall(key)
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
        _remember(finished)
        return finished

    helper.__wrapped_chart__ = builder
    return helper
