"""The checker behind tests/test_layers.py: the rules read from the source (AST only:
nothing is imported or run). The rules and their reasons are in test_layers.py's docstring."""

from __future__ import annotations

import ast
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from tests.layering_cycles import cycles

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
# path -> why it may use a private name of altair or streamlit; keep it empty
PRIVATE_LIBRARY_ALLOWLIST: dict[str, str] = {}
SETTINGS_FILE = "tokenshare/core/settings.py"
ENVIRON_NAMES = frozenset({"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"})
MAX_LINES = 400
LONG_MODULES: dict[str, str] = {}  # path -> why it may be longer; keep it empty
SKIP_DIRS = frozenset({"__pycache__", "data", "bench_data", "sample_data", "node_modules", "venv"})
# The data layer's rooms, lowest first: a room imports only rooms of a lower rank (and
# itself). snapshot and reference need only core; the client, the sample and published
# roots build on snapshot; refresh uses them all.
DATA_ROOMS = {"snapshot": 0, "reference": 0, "openrouter": 1, "sample": 1, "published": 1, "refresh": 2}
PAGE_MAY_IMPORT = ("app", "analysis", "core")  # pages reach engine and data through the app layer
ANALYSIS_MAY_IMPORT = ("core", "analysis")  # pure functions: no file, query or network
MAX_MODULES_PER_FOLDER = 12
MAX_FUNCTION_LINES = 80
PRIVATE_LIBRARIES = ("altair", "streamlit")  # used through their public APIs only
# names with a leading underscore that are public API (namedtuple's)
PUBLIC_UNDERSCORE = frozenset({"_replace", "_asdict", "_fields", "_make", "_field_defaults"})
RULES = ("layer-order", "data-rooms", "page-imports", "analysis-imports", "streamlit-outside-app",
         "duckdb-in-page", "environ-outside-settings", "no-cycles", "module-length", "folder-size",
         "function-length", "private-library", "private-call", "parses")


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


def _data_rooms(src: Source, deps: list[tuple[str, int]]) -> list[Violation]:
    """A data module sits in a room and imports only lower rooms (and its own)."""
    parts = src.module.split(".")
    if parts[:2] != [PACKAGE, "data"] or len(parts) < 3:
        return []
    mine = parts[2]
    if mine not in DATA_ROOMS:
        return [Violation(src.path, 1, "data-rooms", f"{src.module} is in no room of the data layer: "
                          f"move it into tokenshare/data/{{{','.join(DATA_ROOMS)}}}/")]
    out = []
    for target, line in deps:
        tparts = target.split(".")
        if tparts[:2] != [PACKAGE, "data"] or len(tparts) < 3 or tparts[2] == mine:
            continue
        theirs = tparts[2]
        if DATA_ROOMS.get(theirs, 99) >= DATA_ROOMS[mine]:
            out.append(Violation(src.path, line, "data-rooms", f"data/{mine} imports {target}: data/{theirs} "
                                 f"is not below data/{mine} ({_rooms_order()})"))
    return out


def _rooms_order() -> str:
    ranks = sorted(set(DATA_ROOMS.values()))
    return " < ".join("{" + ", ".join(r for r, k in DATA_ROOMS.items() if k == rank) + "}" for rank in ranks)


def _imports_only(src: Source, deps, rule: str, allowed: tuple[str, ...], who: str) -> list[Violation]:
    out = []
    for target, line in deps:
        tparts = target.split(".")
        if tparts[0] == PACKAGE and len(tparts) > 1 and tparts[1] not in allowed:
            out.append(Violation(src.path, line, rule, f"{who} imports {target}; {who} may import only "
                                 f"{', '.join(allowed)} from tokenshare"))
    return out


def _function_lengths(src: Source) -> list[Violation]:
    out = []
    for node in ast.walk(src.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                out.append(Violation(src.path, node.lineno, "function-length",
                                     f"{node.name} is {lines} lines, over {MAX_FUNCTION_LINES}: split it by job"))
    return out


def _library_aliases(tree: ast.Module) -> set[str]:
    """Local names bound to altair or streamlit (modules or anything imported from them)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names
                      if a.name.split(".")[0] in PRIVATE_LIBRARIES}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PRIVATE_LIBRARIES:
            names |= {a.asname or a.name for a in node.names}
    return names


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in PUBLIC_UNDERSCORE


def _private_library(src: Source) -> list[Violation]:
    """No private Altair or Streamlit name imported, or reached as an attribute of one of
    their names (called, read or assigned alike)."""
    out = []
    aliases = _library_aliases(src.tree)
    for node in ast.walk(src.tree):
        hit = None
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PRIVATE_LIBRARIES:
            private = [a.name for a in node.names if _is_private(a.name)]
            if private or any(_is_private(p) for p in node.module.split(".")):
                hit = f"imports {', '.join(private) or node.module} from {node.module}"
        elif isinstance(node, ast.Import):
            private = [a.name for a in node.names if a.name.split(".")[0] in PRIVATE_LIBRARIES
                       and any(_is_private(p) for p in a.name.split("."))]
            hit = f"imports {', '.join(private)}" if private else None
        elif isinstance(node, ast.Attribute) and _is_private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in aliases:
                hit = f"reaches {ast.unparse(node)}"
        if hit and src.path not in PRIVATE_LIBRARY_ALLOWLIST:
            out.append(Violation(src.path, node.lineno, "private-library",
                                 f"{hit}: use {' and '.join(PRIVATE_LIBRARIES)} through their public APIs only"))
    return out


def _private_calls(src: Source) -> list[Violation]:
    """No private name of another module: not imported from a tokenshare module, not
    reached as an attribute of anything but ``self``, ``cls`` or ``super()``."""
    out = []
    for node in ast.walk(src.tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE):
            private = [a.name for a in node.names if _is_private(a.name)]
            if private:
                out.append(Violation(src.path, node.lineno, "private-call",
                                     f"imports {', '.join(private)} from {node.module}: private to that module"))
        elif isinstance(node, ast.Attribute) and _is_private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
                continue
            out.append(Violation(src.path, node.lineno, "private-call",
                                 f"reaches {ast.unparse(node)}: private to its module or class"))
    return out


def _folder_sizes(sources: list[Source]) -> list[Violation]:
    counts: dict[str, int] = {}
    for src in sources:
        folder, _, name = src.path.rpartition("/")
        if src.path.startswith(PACKAGE + "/") and name != "__init__.py":
            counts[folder] = counts.get(folder, 0) + 1
    return [Violation(folder + "/", 1, "folder-size", f"{n} modules, over {MAX_MODULES_PER_FOLDER}: "
                      "split the folder into rooms by job") for folder, n in counts.items()
            if n > MAX_MODULES_PER_FOLDER]


def _source_rules(src: Source, deps: list[tuple[str, int]]) -> list[Violation]:
    """Every rule that one file decides alone."""
    out = [] if src.path in PRIVATE_LIBRARY_ALLOWLIST else _private_library(src)
    tops = {(t.split(".")[0], line) for t, line in deps}
    if not src.path.startswith(STREAMLIT_MAY_IMPORT) and src.path not in STREAMLIT_ALLOWLIST:
        out += [Violation(src.path, line, "streamlit-outside-app",
                          f"imports streamlit; only {', '.join(STREAMLIT_MAY_IMPORT)} may")
                for top, line in sorted(tops) if top == "streamlit"]
    runs_in_app = src.path.startswith(("views/", PACKAGE + "/")) or src.path == "app.py"
    if runs_in_app:
        out += _function_lengths(src) + _private_calls(src)
    if src.path.startswith("views/"):
        out += [Violation(src.path, line, "duckdb-in-page",
                          "a page imports duckdb; pages run named queries through the app layer")
                for top, line in sorted(tops) if top == "duckdb"]
        out += _imports_only(src, deps, "page-imports", PAGE_MAY_IMPORT, "a page")
    if not src.path.startswith(PACKAGE + "/"):
        return out
    out += _layer_order(src, deps) + _data_rooms(src, deps)
    if layer_of(src.module) == "analysis":
        out += _imports_only(src, deps, "analysis-imports", ANALYSIS_MAY_IMPORT, "the analysis layer")
    if src.path != SETTINGS_FILE:
        out += _environ(src)
    lines = len(src.text.splitlines())
    if lines > MAX_LINES and src.path not in LONG_MODULES:
        out.append(Violation(src.path, MAX_LINES + 1, "module-length",
                             f"{lines} lines, over {MAX_LINES}: split it by job"))
    return out


def check_tree(root: Path) -> list[Violation]:
    sources = [_source(root, f) for f in _python_files(root)]
    known = package_modules(root)
    out: list[Violation] = _folder_sizes(sources)
    graph: dict[str, dict[str, int]] = {}
    paths: dict[str, str] = {}
    for src in sources:
        if src.tree is None:
            out.append(Violation(src.path, 1, "parses", "not valid Python: no other rule could check it"))
            continue
        deps = imports(src, known)
        out += _source_rules(src, deps)
        if not src.path.startswith(PACKAGE + "/"):
            continue
        paths[src.module] = src.path
        edges = graph.setdefault(src.module, {})
        for target, line in deps:
            if target.split(".")[0] == PACKAGE:
                edges.setdefault(target, line)
    for edges in graph.values():  # only modules with a file (a folder without __init__ runs no code)
        for target in [t for t in edges if t not in graph]:
            del edges[target]
    out += [Violation(path, line, "no-cycles", what) for path, line, what in cycles(graph, paths)]
    return sorted(set(out))
