"""Altair, minus the work it repeats on every rerun of a Streamlit page.

Each rerun builds every chart of a page anew (the data changes with the filters), and on
this 2-core machine Altair's object model cost more than the page's queries. What is cut:

1. Schema checks. Altair checks a chart against the Vega-Lite JSON schema as each object
   is built ("debug mode") and again in ``to_dict()``. Our charts come from fixed code
   in tokenshare.app.charts, so in the app these checks repeat the same answer; they were
   about 40% of a chart's time. Off unless ``TOKENSHARE_VALIDATE_CHARTS=1`` (read at
   every chart: tests/pages/test_chart_budget.py turns it on and checks every page's charts
   against the schema). An explicit ``to_dict(validate=True)`` still validates.
2. ``SchemaBase.from_dict`` built a new class-lookup table (hashing the JSON of ~600
   schema classes, ~12 ms) on every string or dict encoding; one table is kept.
3. ``_deep_copy`` (every chained call copies the chart) skips the dozens of Undefined
   properties each schema object carries.
4. View names hash a layer's data with ``str(DataFrame)``; the rows are hashed instead.

None of this changes a spec: the specs the app sends were compared page by page, before
and after, with generated names normalised. tests/test_bench.py checks each piece
against Altair's own behaviour, and tests/app/test_fastcharts_pins.py fails when the
Altair code a patch replaces changes. Since issue 14 most reruns build no chart at all
(tokenshare/app/charts/cache.py); these patches speed up the ones that do."""

from __future__ import annotations

import functools

from tokenshare.core import settings


def validate_charts() -> bool:
    return settings.validate_charts()


def _validating_only_when_asked(fn):
    @functools.wraps(fn)
    def to_dict(self, validate=None, *args, **kwargs):
        if validate is None:
            validate = validate_charts()
        return fn(self, validate, *args, **kwargs)

    to_dict.__tokenshare_fast__ = True
    return to_dict


_CONVERTERS: dict = {}


def _from_dict_with_cached_converter(cls, dct, validate=True):
    """SchemaBase.from_dict, but reusing one ``_FromDict`` converter per set of wrapper
    classes. Altair builds a new converter on every call, hashing the JSON of all ~600
    schema classes each time (about 12 ms here); it runs for every string or dict
    encoding such as ``x="period:T"``."""
    from altair.utils import schemapi

    if validate:
        cls.validate(dct)
    # keyed by the method that lists the classes (SchemaBase's, for every Altair class
    # today): walking ~600 subclasses on every call costs 0.3 ms. Altair defines all its
    # classes when it is imported, before any chart is built, so the list is complete.
    key = getattr(cls._default_wrapper_classes, "__func__", cls._default_wrapper_classes)
    converter = _CONVERTERS.get(key)
    if converter is None:
        converter = _CONVERTERS[key] = schemapi._FromDict(cls._default_wrapper_classes())
    return converter.from_dict(dct, cls)


_from_dict_with_cached_converter.__tokenshare_fast__ = True


# id(frame) -> (weak reference to the frame, its fingerprint): the layers of one chart share
# one frame, and Altair hashes it once per layer and again for each copy of the chart.
_FINGERPRINTS: dict = {}


def _data_fingerprint(data) -> str | None:
    """A short, deterministic stand-in for a DataFrame in Altair's view-name hash
    (remembered per frame object while it lives; the chart code never changes a frame
    after handing it to Altair)."""
    import weakref

    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        return None
    known = _FINGERPRINTS.get(id(data))
    if known is not None and known[0]() is data:
        return known[1]
    token = _frame_fingerprint(data)
    if token is not None:
        key = id(data)
        try:
            ref = weakref.ref(data, lambda _r, key=key: _FINGERPRINTS.pop(key, None))
        except TypeError:
            return token
        _FINGERPRINTS[key] = (ref, token)
    return token


def _frame_fingerprint(data) -> str | None:
    import hashlib

    import pandas as pd

    try:
        rows = pd.util.hash_pandas_object(data, index=False).to_numpy()
    except TypeError:  # a cell pandas cannot hash (a list): keep Altair's own way
        return None
    digest = hashlib.sha256(rows.tobytes() + repr(list(data.columns)).encode()).hexdigest()[:16]
    return f"dataframe:{data.shape[0]}x{data.shape[1]}:{digest}"


def _hashing_data_by_fingerprint(fn):
    """Chart._compute_hash names a layer's views by hashing its data, and does it with
    ``json.dumps(..., default=str)``: str(DataFrame), a full text rendering of the frame
    (about 5 ms a chart, several times per layered chart). Same idea, hashing the rows."""

    @functools.wraps(fn)
    def _compute_hash(self):
        data = self._kwds.get("data")
        token = _data_fingerprint(data)
        if token is None:
            return fn(self)
        self._kwds["data"] = token
        try:
            return fn(self)
        finally:
            self._kwds["data"] = data

    _compute_hash.__tokenshare_fast__ = True
    return _compute_hash


_IMMUTABLE = (str, int, float, bool, type(None))


def _make_fast_deep_copy(schemapi):
    """schemapi._deep_copy, skipping what needs no copy. Every chained Altair call
    (.encode, .mark_*, .properties, layering) deep-copies the chart, and each schema
    object carries every property of its class, mostly Undefined (about 70 encoding
    channels, 100 mark properties): thousands of recursive calls a chart. Same result,
    fewer calls."""
    SchemaBase, Undefined, debug_mode = schemapi.SchemaBase, schemapi.Undefined, schemapi.debug_mode

    def copy(obj, by_ref):
        if obj is Undefined or isinstance(obj, _IMMUTABLE):
            return obj
        if isinstance(obj, SchemaBase):
            if copier := getattr(obj, "__deepcopy__", None):
                with debug_mode(False):
                    return copier(obj)
            args = [copy(arg, by_ref) for arg in obj._args]
            kwds = {k: (v if (v is Undefined or k in by_ref) else copy(v, by_ref)) for k, v in obj._kwds.items()}
            with debug_mode(False):
                return obj.__class__(*args, **kwds)
        if isinstance(obj, list):
            return [copy(v, by_ref) for v in obj]
        if isinstance(obj, dict):
            return {k: (copy(v, by_ref) if k not in by_ref else v) for k, v in obj.items()}
        return obj

    copy.__tokenshare_fast__ = True
    return copy


def install() -> None:
    import altair as alt
    from altair.utils import schemapi

    if not getattr(schemapi.SchemaBase.from_dict, "__tokenshare_fast__", False):
        schemapi.SchemaBase.from_dict = classmethod(_from_dict_with_cached_converter)

    # SchemaBase too: Altair calls to_dict() on parameters while it builds a layer
    for cls in (schemapi.SchemaBase, alt.TopLevelMixin, alt.Chart):
        fn = cls.__dict__.get("to_dict")
        if fn is not None and not getattr(fn, "__tokenshare_fast__", False):
            cls.to_dict = _validating_only_when_asked(fn)
    if not getattr(schemapi._deep_copy, "__tokenshare_fast__", False):
        schemapi._deep_copy = _make_fast_deep_copy(schemapi)
    hash_fn = alt.Chart.__dict__.get("_compute_hash")
    if hash_fn is not None and not getattr(hash_fn, "__tokenshare_fast__", False):
        alt.Chart._compute_hash = _hashing_data_by_fingerprint(hash_fn)
    schemapi.DEBUG_MODE = validate_charts()


def sync_debug_mode() -> None:
    """Follow TOKENSHARE_VALIDATE_CHARTS for Altair's build-time checks too (they are a
    module flag, read when each schema object is made)."""
    from altair.utils import schemapi

    schemapi.DEBUG_MODE = validate_charts()
