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

import ast
import functools
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "tokenshare"
LAYERS = ("core", "data", "engine", "analysis", "app")  # lowest first
ENTRY_POINTS = ("tokenshare.cli", "tokenshare.__main__")
# analysis is pure functions over DataFrames (no streamlit): the digest command prints one
ENTRY_MAY_IMPORT = ("core", "data", "engine", "analysis")
OUTSIDE_PACKAGE = ("benchmarks", "tests", "views", "app", "scripts")  # never imported by tokenshare/
STREAMLIT_MAY_IMPORT = ("tokenshare/app/", "app.py", "views/", "benchmarks/", "tests/")
STREAMLIT_ALLOWLIST = {
    "scripts/load_test.py": "a load-test client: it speaks Streamlit's websocket protocol "
                            "(streamlit.proto messages) to a running server; it draws nothing",
}
SETTINGS_FILE = "tokenshare/core/settings.py"
ENVIRON_NAMES = frozenset({"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"})
MAX_LINES = 400
LONG_MODULES: dict[str, str] = {}  # path -> why it may be longer; keep it empty
SKIP_DIRS = frozenset({"__pycache__", "data", "bench_data", "sample_data", "node_modules", "venv"})
RULES = ("layer-order", "streamlit-outside-app", "duckdb-in-page", "environ-outside-settings",
         "no-cycles", "module-length", "parses")


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    rule: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.what}"


@dataclass(frozen=True)
class Source:
    path: str  # relative to the root, with /
    module: str  # dotted name (tokenshare.data.snapshot, views.share, app)
    is_package: bool
    text: str
    tree: ast.Module | None


def _python_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        top = Path(dirpath) == root
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__"
                             and not (top and d in SKIP_DIRS))
        out += [Path(dirpath) / f for f in sorted(filenames) if f.endswith(".py")]
    return out


def _source(root: Path, file: Path) -> Source:
    rel = file.relative_to(root).as_posix()
    parts = rel[:-3].split("/")
    is_package = parts[-1] == "__init__"
    module = ".".join(parts[:-1] if is_package else parts)
    text = file.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text, filename=rel)
    except SyntaxError:
        tree = None
    return Source(rel, module, is_package, text, tree)


def package_modules(root: Path) -> set[str]:
    """Every module and package (folders count, with or without ``__init__.py``)."""
    out = set()
    for f in (root / PACKAGE).rglob("*.py"):
        parts = f.relative_to(root).with_suffix("").parts
        out.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        out.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return out


def imports(src: Source, known: set[str]) -> list[tuple[str, int]]:
    """(module imported, line) for every import anywhere in the file, resolved to the
    most specific module in ``known`` when it is a tokenshare one: ``from tokenshare
    import data`` is tokenshare.data, ``from tokenshare.core import settings`` is
    tokenshare.core.settings, ``from tokenshare import __version__`` is tokenshare."""
    if src.tree is None:
        return []
    package = src.module if src.is_package else src.module.rpartition(".")[0]

    def resolve(name: str) -> str:
        while name and name.split(".")[0] == PACKAGE and name not in known:
            name = name.rpartition(".")[0]
        return name

    out = []
    for node in ast.walk(src.tree):
        if isinstance(node, ast.Import):
            out += [(resolve(a.name), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.append((sub if sub in known else resolve(base), node.lineno))
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id in {"__import__", "import_module"}))):
            out.append((resolve(node.args[0].value), node.lineno))
    return out


def layer_of(module: str) -> str:
    """``root`` (tokenshare/__init__), ``entry`` (cli, __main__), a layer, or
    ``unplaced``."""
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    if module in ENTRY_POINTS:
        return "entry"
    return parts[1] if parts[1] in LAYERS else "unplaced"


def _layer_order(src: Source, deps: list[tuple[str, int]]) -> list[Violation]:
    out = []
    mine = layer_of(src.module)
    if mine == "unplaced":
        out.append(Violation(src.path, 1, "layer-order", f"{src.module} is in no layer: move it into "
                             f"tokenshare/{{{','.join(LAYERS)}}}/ (or out of the package)"))
    for target, line in deps:
        top = target.split(".")[0]
        if top in OUTSIDE_PACKAGE:
            out.append(Violation(src.path, line, "layer-order",
                                 f"the runtime package imports {target}, which lives outside it"))
        if top != PACKAGE or target == src.module:
            continue
        theirs = layer_of(target)
        if mine == "root":
            if theirs != "root":
                out.append(Violation(src.path, line, "layer-order", f"tokenshare/__init__.py imports {target}: "
                                     "importing the package must not load a layer"))
        elif mine == "entry":
            if theirs not in (*ENTRY_MAY_IMPORT, "root", "entry"):
                out.append(Violation(src.path, line, "layer-order", f"entry point {src.module} imports "
                                     f"{target} ({theirs}); entry points wire commands to "
                                     f"{', '.join(ENTRY_MAY_IMPORT)} only"))
        elif theirs in ("entry", "unplaced"):
            out.append(Violation(src.path, line, "layer-order",
                                 f"{src.module} imports {target}, which is {'an entry point' if theirs == 'entry' else 'in no layer'}"))
        elif theirs in LAYERS and mine in LAYERS and LAYERS.index(theirs) > LAYERS.index(mine):
            out.append(Violation(src.path, line, "layer-order",
                                 f"{mine} imports {target} ({theirs} is above {mine}: {' < '.join(LAYERS)})"))
    return out


def _environ(src: Source) -> list[Violation]:
    out = []
    for node in ast.walk(src.tree):
        hit = None
        if isinstance(node, ast.Attribute) and node.attr in ENVIRON_NAMES:
            hit = f"reads .{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module in {"os", "posix", "nt"}:
            names = {a.name for a in node.names}
            if names & (ENVIRON_NAMES | {"*"}):
                hit = f"imports {', '.join(sorted(names & (ENVIRON_NAMES | {'*'})))} from {node.module}"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and node.args[1].value in ENVIRON_NAMES):
            hit = f"reads getattr(..., {node.args[1].value!r})"
        if hit:
            out.append(Violation(src.path, node.lineno, "environ-outside-settings",
                                 f"{hit}: only {SETTINGS_FILE} reads the environment (use tokenshare.core.settings)"))
    return out


def _cycles(graph: dict[str, dict[str, int]], paths: dict[str, str]) -> list[Violation]:
    """One violation per strongly connected component of more than one module (or a
    module importing itself), naming one circle in it edge by edge."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    comps: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan; the graph is a few dozen modules deep at most
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            comps.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    out = []
    for comp in comps:
        start = min(comp)
        if len(comp) == 1 and start not in graph.get(start, {}):
            continue
        members = set(comp)
        prev: dict[str, str] = {}
        frontier, cycle = [start], None
        while frontier and cycle is None:  # shortest circle back to start
            nxt = []
            for v in frontier:
                for w in sorted(graph[v]):
                    if w == start:
                        cycle = [v]
                        break
                    if w in members and w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if cycle:
                    break
            frontier = nxt
        while cycle[-1] != start:
            cycle.append(prev[cycle[-1]])
        cycle.reverse()
        ring = cycle + [start]
        steps = ", ".join(f"{a} -> {b} ({paths[a]}:{graph[a][b]})" for a, b in zip(ring, ring[1:]))
        out.append(Violation(paths[start], graph[start][ring[1]], "no-cycles",
                             f"import circle among {len(members)} modules: {steps}"))
    return out


def check_tree(root: Path) -> list[Violation]:
    sources = [_source(root, f) for f in _python_files(root)]
    known = package_modules(root)
    out: list[Violation] = []
    graph: dict[str, dict[str, int]] = {}
    paths: dict[str, str] = {}
    for src in sources:
        if src.tree is None:
            out.append(Violation(src.path, 1, "parses", "not valid Python: no other rule could check it"))
            continue
        deps = imports(src, known)
        tops = {(t.split(".")[0], line) for t, line in deps}
        in_package = src.path.startswith(PACKAGE + "/")
        if not src.path.startswith(STREAMLIT_MAY_IMPORT) and src.path not in STREAMLIT_ALLOWLIST:
            out += [Violation(src.path, line, "streamlit-outside-app",
                              f"imports streamlit; only {', '.join(STREAMLIT_MAY_IMPORT)} may")
                    for top, line in sorted(tops) if top == "streamlit"]
        if src.path.startswith("views/"):
            out += [Violation(src.path, line, "duckdb-in-page",
                              "a page imports duckdb; pages run named queries through the app layer")
                    for top, line in sorted(tops) if top == "duckdb"]
        if not in_package:
            continue
        out += _layer_order(src, deps)
        if src.path != SETTINGS_FILE:
            out += _environ(src)
        lines = len(src.text.splitlines())
        if lines > MAX_LINES and src.path not in LONG_MODULES:
            out.append(Violation(src.path, MAX_LINES + 1, "module-length",
                                 f"{lines} lines, over {MAX_LINES}: split it by job"))
        paths[src.module] = src.path
        edges = graph.setdefault(src.module, {})
        for target, line in deps:
            if target.split(".")[0] == PACKAGE:
                edges.setdefault(target, line)
    for edges in graph.values():  # only modules with a file (a folder without __init__ runs no code)
        for target in [t for t in edges if t not in graph]:
            del edges[target]
    return sorted(set(out + _cycles(graph, paths)))


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


PLANTED = {
    "tokenshare/__init__.py": '__version__ = "0"\n',
    "tokenshare/cli.py": "from tokenshare.data import snap\nimport tokenshare.app.ui\n",
    "tokenshare/__main__.py": "from tokenshare.cli import main\n",
    "tokenshare/core/settings.py": "import os\nX = os.environ.get('A')\n",
    "tokenshare/core/sql.py": "def f():\n    from tokenshare import engine\n",
    "tokenshare/data/snap.py": "import os\n\ndef f():\n    from . import remote\n    return os.getenv('B')\n",
    "tokenshare/data/remote.py": "from tokenshare.data.snap import f\nfrom os import environ\n",
    "tokenshare/data/hook.py": "import importlib\nimportlib.import_module('tokenshare.app.ui')\n",
    "tokenshare/engine/__init__.py": "",
    "tokenshare/analysis/metrics.py": "import pandas\nimport streamlit as st\n" + "x = 1\n" * 400,
    "tokenshare/app/ui.py": "import streamlit\nfrom ..core import settings\nfrom tokenshare.analysis import metrics\n",
    "tokenshare/stray.py": "import benchmarks.common\n",
    "views/share.py": "import streamlit as st\nimport duckdb\n",
    "app.py": "import streamlit as st\n",
    "benchmarks/run.py": "import streamlit\nimport os\nos.environ['X'] = '1'\n",
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
        ("tokenshare/data/hook.py", 2, "layer-order"),  # importlib.import_module('tokenshare.app.ui')
        ("tokenshare/stray.py", 1, "layer-order"),  # a module in no layer ...
        ("tokenshare/stray.py", 1, "layer-order"),  # ... importing benchmarks (same line: one entry)
        ("tokenshare/analysis/metrics.py", 2, "streamlit-outside-app"),
        ("tokenshare/analysis/metrics.py", MAX_LINES + 1, "module-length"),
        ("views/share.py", 2, "duckdb-in-page"),
        ("tokenshare/data/snap.py", 5, "environ-outside-settings"),  # os.getenv
        ("tokenshare/data/remote.py", 2, "environ-outside-settings"),  # from os import environ
        ("tokenshare/data/remote.py", 1, "no-cycles"),  # remote -> snap -> remote (function-level)
        ("scripts/broken.py", 1, "parses"),
    }
    stray = [str(v) for v in check_tree(tmp_path) if v.path == "tokenshare/stray.py"]
    assert any("in no layer" in s for s in stray) and any("outside it" in s for s in stray)
