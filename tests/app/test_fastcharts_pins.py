"""tokenshare/app/charts/fastcharts.py replaces private Altair functions (schema checks off by
default, one cached class-lookup converter, a deep copy that skips Undefined, view names
from a row hash). Each replacement was checked against the Altair code it stands in for;
this test pins that code, so an Altair upgrade that changes any of it fails here, naming
what changed, instead of silently drifting: re-check fastcharts against the new code
(tests/test_bench.py compares each piece's behaviour with Altair's own), then update the
fingerprint below."""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect

# module -> {qualified function name: sha256 (first 16 hex) of its source, ast-unparsed}
PINNED = {
    "altair.utils.schemapi": {
        "SchemaBase.from_dict": "d879a4f6bdc83775",  # replaced: _from_dict_with_cached_converter
        "SchemaBase.to_dict": "94112c289df5fd64",  # wrapped: validate only when asked
        "SchemaBase.copy": "f5cc1e22982c3908",  # calls _deep_copy
        "_FromDict.__init__": "226a559730b2c72d",  # the class-lookup table kept once
        "_FromDict.from_dict": "39a1f99165a0150b",
        "_deep_copy": "e0710ca74af25479",  # replaced: _make_fast_deep_copy
        "debug_mode": "118fb48ad486963d",  # DEBUG_MODE, set by install() and sync_debug_mode()
    },
    "altair.vegalite.v6.api": {
        "TopLevelMixin.to_dict": "50b3e7f115657717",  # wrapped: validate only when asked
        "Chart.to_dict": "eec4e076826f9c53",  # wrapped: validate only when asked
        "Chart._compute_hash": "a6d1e94012dfde4c",  # wrapped: hashes a frame's rows
    },
}


def _functions(module: str) -> dict[str, str]:
    tree = ast.parse(inspect.getsource(importlib.import_module(module)))
    out: dict[str, str] = {}

    def walk(body, prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out[prefix + node.name] = ast.unparse(node)
            elif isinstance(node, ast.ClassDef):
                walk(node.body, prefix + node.name + ".")

    walk(tree.body, "")
    return out


def test_the_altair_code_fastcharts_replaces_is_the_code_it_was_checked_against():
    import altair

    changed = []
    for module, pins in PINNED.items():
        found = _functions(module)
        for name, digest in pins.items():
            got = hashlib.sha256(found[name].encode()).hexdigest()[:16] if name in found else "missing"
            if got != digest:
                changed.append(f"{module}.{name}: {got} (pinned {digest})")
    assert not changed, (f"Altair {altair.__version__} changed code that tokenshare/app/charts/fastcharts.py patches; "
                         "re-check each patch against it, then update PINNED:\n  " + "\n  ".join(changed))


def test_install_patches_exactly_the_pinned_functions():
    """A patch added to fastcharts without a pin (or a pin left after a patch is gone)
    fails here."""
    import altair as alt
    from altair.utils import schemapi

    from tokenshare.app.charts import fastcharts

    fastcharts.install()
    patched = {
        "altair.utils.schemapi.SchemaBase.from_dict": schemapi.SchemaBase.from_dict,
        "altair.utils.schemapi.SchemaBase.to_dict": schemapi.SchemaBase.__dict__["to_dict"],
        "altair.utils.schemapi._deep_copy": schemapi._deep_copy,
        "altair.vegalite.v6.api.TopLevelMixin.to_dict": alt.TopLevelMixin.__dict__["to_dict"],
        "altair.vegalite.v6.api.Chart.to_dict": alt.Chart.__dict__["to_dict"],
        "altair.vegalite.v6.api.Chart._compute_hash": alt.Chart.__dict__["_compute_hash"],
    }
    for name, fn in patched.items():
        assert getattr(getattr(fn, "__func__", fn), "__tokenshare_fast__", False), name
    pinned = {f"{m}.{n}" for m, pins in PINNED.items() for n in pins}
    assert set(patched) <= pinned
