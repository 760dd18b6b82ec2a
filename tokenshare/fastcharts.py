"""Altair without its JSON-schema checks in the running app.

Altair checks a chart against the Vega-Lite JSON schema twice: each schema object as it
is built ("debug mode"), and the finished spec again when Streamlit calls ``to_dict()``.
Our charts are built by tokenshare.charts from fixed code, so in the app these checks
only repeat the same answer on every rerun, and they are about 40% of the time a chart
takes (45 of ~100 ms per chart on this 2-core machine, 2 to 4 charts a page).

``install()`` turns both off unless ``TOKENSHARE_VALIDATE_CHARTS=1``; the setting is read
at every chart, so a test can turn validation back on (tests/test_chart_budget.py does,
and checks every page's charts against the schema). An explicit ``to_dict(validate=True)``
still validates."""

from __future__ import annotations

import functools
import os


def validate_charts() -> bool:
    return os.environ.get("TOKENSHARE_VALIDATE_CHARTS", "0").strip().lower() in {"1", "true", "yes", "on"}


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
    classes = tuple(cls._default_wrapper_classes())
    converter = _CONVERTERS.get(classes)
    if converter is None:
        converter = _CONVERTERS[classes] = schemapi._FromDict(classes)
    return converter.from_dict(dct, cls)


_from_dict_with_cached_converter.__tokenshare_fast__ = True


def install() -> None:
    import altair as alt
    from altair.utils import schemapi

    if not getattr(schemapi.SchemaBase.from_dict, "__tokenshare_fast__", False):
        schemapi.SchemaBase.from_dict = classmethod(_from_dict_with_cached_converter)

    for cls in (alt.TopLevelMixin, alt.Chart):
        fn = cls.__dict__.get("to_dict")
        if fn is not None and not getattr(fn, "__tokenshare_fast__", False):
            cls.to_dict = _validating_only_when_asked(fn)
    schemapi.DEBUG_MODE = validate_charts()


def sync_debug_mode() -> None:
    """Follow TOKENSHARE_VALIDATE_CHARTS for Altair's build-time checks too (they are a
    module flag, read when each schema object is made)."""
    from altair.utils import schemapi

    schemapi.DEBUG_MODE = validate_charts()
