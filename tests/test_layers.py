"""Import boundaries, read from the source (AST only: nothing is imported or run).

The rules, one parametrised case each (a failure lists ``file:line: [rule] what``):

- ``layer-order``: the package's layers, lowest first, are core < data < engine <
  analysis < app. A module never imports a higher layer (module-level, function-level
  or ``TYPE_CHECKING`` imports alike; ``from tokenshare import x`` and relative forms
  included). The entry points at the package root (``cli.py``, ``__main__.py``) may
  import core, data, engine and analysis (pure functions, for ``digest``), never app; no layer imports an entry point;
  ``tokenshare/__init__.py`` imports nothing from the package; every other module sits
  in a layer; the runtime package never imports ``benchmarks``, ``tests``, ``views``,
  ``app`` or ``scripts``.
- ``data-rooms``: every data module sits in a room (``tokenshare/data/<room>/``), and a
  room imports only rooms below it: {snapshot, reference} < {openrouter, sample,
  published} < {refresh}. The snapshot's layout needs nothing but core; the client, the
  sample and published roots build on it and not on each other; refresh uses them all.
- ``page-imports``: a page in ``views/`` imports only the app and analysis layers (and
  core): the workbench and compare pages too, so every query a page runs goes through
  the app layer's caches and limits.
- ``analysis-imports``: the analysis layer imports only core and itself: its functions are
  pure (no file, query or network), so what they need (the spend evidence) is passed in.
- ``folder-size``: no folder of ``tokenshare/`` holds more than 12 modules.
- ``function-length``: no function or method in ``tokenshare/``, ``views/`` or ``app.py``
  over 80 lines (from its ``def`` to its last line).
- ``private-library``: Altair and Streamlit are used through their public APIs only: no
  ``_name`` of theirs imported, or reached from one of their names (read, called or
  assigned), anywhere in the repository, so an upgrade cannot break us through an
  internal.
- ``private-call``: in ``tokenshare/``, ``views/`` and ``app.py`` no ``_name`` is imported
  from another module or reached on anything but ``self``, ``cls`` or ``super()``
  (namedtuple's ``_replace`` and kin are public).
- ``streamlit-outside-app``: only ``tokenshare/app/``, ``app.py``, ``views/``,
  ``benchmarks/`` and ``tests/`` import streamlit (plus the short allowlist below).
- ``duckdb-in-page``: no page in ``views/`` imports duckdb (pages call named queries).
- ``environ-outside-settings``: nothing in ``tokenshare/`` but ``core/settings.py``
  touches the environment (``os.environ``, ``os.getenv``, ``from os import environ``,
  ``getattr(os, "environ")``, ...).
- ``no-cycles``: no circle in the graph of imports between tokenshare modules.
- ``module-length``: no module in ``tokenshare/`` over 400 lines.
- ``parses``: every file checked is valid Python (else nothing above could be checked).

``test_each_rule_catches_a_planted_violation`` runs the same checks on a scratch tree
with one violation of each rule planted, so a rule cannot silently stop catching."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tests.layering import (
    LAYERS, LONG_MODULES, MAX_LINES, RULES, SETTINGS_FILE, check_tree, _python_files,
)

ROOT = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=None)
def _repo_violations() -> tuple[Violation, ...]:
    return tuple(check_tree(ROOT))


@pytest.mark.parametrize("rule", RULES)
def test_boundaries(rule):
    found = [v for v in _repo_violations() if v.rule == rule]
    assert not found, f"{len(found)} violation(s) of {rule}:\n" + "\n".join(map(str, found))


def test_the_checks_see_the_whole_tree():
    """Guards against a vacuous pass: the scan finds the package, its layers, the pages."""
    files = {s.relative_to(ROOT).as_posix() for s in _python_files(ROOT)}
    assert SETTINGS_FILE in files and "app.py" in files and "tokenshare/cli.py" in files
    assert {f.split("/")[1] for f in files if f.startswith("tokenshare/") and f.count("/") == 2} >= set(LAYERS)
    assert len([f for f in files if f.startswith("views/")]) >= 5
    assert not LONG_MODULES, "keep the long-module allowlist empty: split the module instead"


LONG_FUNCTION = "def long():\n" + "    x = 1\n" * 80  # 81 lines with its def line

PLANTED = {
    "tokenshare/__init__.py": '__version__ = "0"\n',
    "tokenshare/cli.py": "from tokenshare.data.snapshot import snap\nimport tokenshare.app.ui\n",
    "tokenshare/__main__.py": "from tokenshare.cli import main\n",
    "tokenshare/core/settings.py": "import os\nX = os.environ.get('A')\n",
    "tokenshare/core/sql.py": "def f():\n    from tokenshare import engine\n",
    "tokenshare/data/snapshot/snap.py": "import os\n\ndef f():\n    from . import remote\n    return os.getenv('B')\n",
    "tokenshare/data/snapshot/remote.py": "from tokenshare.data.snapshot.snap import f\nfrom os import environ\n",
    "tokenshare/data/snapshot/hook.py": "import importlib\nimportlib.import_module('tokenshare.app.ui')\n",
    # the data layer's rooms: snapshot is below refresh; openrouter and sample are peers
    "tokenshare/data/snapshot/layout.py": "from tokenshare.data.refresh import cli\n",
    "tokenshare/data/openrouter/client.py": "from tokenshare.data.snapshot import layout\n"
                                            "from tokenshare.data.sample import make\n",
    "tokenshare/data/sample/make.py": "from tokenshare.data.snapshot import layout\n",
    "tokenshare/data/refresh/pipeline.py": "from tokenshare.data.openrouter import client\n",
    "tokenshare/data/loose.py": "",  # in no room
    "tokenshare/engine/__init__.py": "",
    "tokenshare/engine/long.py": "class C:\n    " + LONG_FUNCTION.replace("\n", "\n    ") + "\n",
    "tokenshare/engine/caller.py": "from tokenshare.core.sql import _load\n\ndef f(client):\n"
                                   "    return client._get('/x'), client._replace(a=1), super()._hook()\n",
    **{f"tokenshare/engine/crowd/m{i}.py": "" for i in range(13)},  # 13 modules in one folder
    "tokenshare/analysis/metrics.py": "import pandas\nimport streamlit as st\n"
                                      "from tokenshare.data.reference import spend\n" + "x = 1\n" * 400,
    "tokenshare/app/ui.py": "import streamlit\nfrom ..core import settings\nfrom tokenshare.analysis import metrics\n",
    "tokenshare/stray.py": "import benchmarks.common\n",
    "views/share.py": "import streamlit as st\nimport duckdb\nfrom tokenshare.engine import db\n"
                      "from tokenshare.app import page\nfrom tokenshare.core import sql\n",
    "app.py": "import streamlit as st\n",
    "benchmarks/run.py": "import streamlit\nimport os\nos.environ['X'] = '1'\n",
    "tests/patch.py": "import altair as alt\nfrom altair.utils import schemapi\n"
                      "from streamlit.elements.vega_charts import _convert\n"
                      "alt.Chart._compute_hash = None\nschemapi._deep_copy(1)\nalt.Chart.__name__\n",
    "scripts/broken.py": "def (\n",
}


def test_each_rule_catches_a_planted_violation(tmp_path):
    for rel, text in PLANTED.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    got = {(v.path, v.line, v.rule) for v in check_tree(tmp_path)}
    assert got == {
        ("tokenshare/cli.py", 2, "layer-order"),  # an entry point importing the app layer
        ("tokenshare/core/sql.py", 2, "layer-order"),  # function-level `from tokenshare import engine`
        ("tokenshare/data/snapshot/hook.py", 2, "layer-order"),  # importlib.import_module('tokenshare.app.ui')
        ("tokenshare/stray.py", 1, "layer-order"),  # a module in no layer ...
        ("tokenshare/stray.py", 1, "layer-order"),  # ... importing benchmarks (same line: one entry)
        ("tokenshare/data/snapshot/layout.py", 1, "data-rooms"),  # snapshot imports refresh
        ("tokenshare/data/openrouter/client.py", 2, "data-rooms"),  # a peer room (sample)
        ("tokenshare/data/loose.py", 1, "data-rooms"),  # a data module in no room
        ("views/share.py", 3, "page-imports"),  # a page importing the engine
        ("tokenshare/analysis/metrics.py", 3, "analysis-imports"),  # analysis reading the data layer
        ("tokenshare/analysis/metrics.py", 2, "streamlit-outside-app"),
        ("tokenshare/analysis/metrics.py", MAX_LINES + 1, "module-length"),
        ("tokenshare/engine/crowd/", 1, "folder-size"),
        ("tokenshare/engine/long.py", 2, "function-length"),  # a method counts too
        ("tokenshare/engine/caller.py", 1, "private-call"),  # importing another module's _name
        ("tokenshare/engine/caller.py", 4, "private-call"),  # client._get (not _replace, not super()._x)
        ("tests/patch.py", 3, "private-library"),  # importing a private streamlit name
        ("tests/patch.py", 4, "private-library"),  # assigning one of altair's
        ("tests/patch.py", 5, "private-library"),  # calling one (not a dunder, line 6)
        ("views/share.py", 2, "duckdb-in-page"),
        ("tokenshare/data/snapshot/snap.py", 5, "environ-outside-settings"),  # os.getenv
        ("tokenshare/data/snapshot/remote.py", 2, "environ-outside-settings"),  # from os import environ
        ("tokenshare/data/snapshot/remote.py", 1, "no-cycles"),  # remote -> snap -> remote (function-level)
        ("scripts/broken.py", 1, "parses"),
    }
    assert {rule for _, _, rule in got} == set(RULES), "every rule has a planted violation"
    stray = [str(v) for v in check_tree(tmp_path) if v.path == "tokenshare/stray.py"]
    assert any("in no layer" in s for s in stray) and any("outside it" in s for s in stray)
