"""Per-mutant test selection for a Python target: of the test files that name the module,
only those that name the mutated function, or a function of the same module that calls
it (directly or through other functions of the module).

A mutant in ``claims._launch_words`` need not run the tests of ``claims.claim_free``: the
module's test files are the right set for a mutant outside any function (a constant, an
import), and the fallback when no test file names the function or a caller of it. A test
file that reaches the function only through another module (a page test) is dropped by
this, so the score can fall by a mutant such a file alone caught; the default run
measured in docs/testing.md shows what it costs."""

from __future__ import annotations

import ast
import re


def _functions(tree: ast.Module) -> dict[str, ast.AST]:
    """Top-level functions and classes (a class by its name: tests name the class)."""
    return {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def _names_in(node: ast.AST) -> set[str]:
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
    return out


def enclosing(text: str, offset: int) -> str | None:
    """The top-level function or class whose source holds character ``offset``; None for
    module-level code."""
    tree = ast.parse(text)
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for name, node in _functions(tree).items():
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if starts[first - 1] <= offset < starts[node.end_lineno]:
            return name
    return None


def entry_names(text: str, name: str) -> set[str]:
    """``name`` and every top-level function or class of the module that reaches it
    through calls inside the module."""
    funcs = _functions(ast.parse(text))
    uses = {f: _names_in(node) - {f} for f, node in funcs.items()}
    reach = {name}
    grew = True
    while grew:
        grew = False
        for f, used in uses.items():
            if f not in reach and used & reach:
                reach.add(f)
                grew = True
    return reach


def tests_for(text: str, offset: int, files: list[str], test_texts: dict[str, str],
              items: bool = True) -> list[str]:
    """pytest's arguments for a mutant at ``offset`` of a module's ``text``: of ``files``
    (in their order), those whose text names the function holding ``offset`` or a caller
    of it in the module, and of each such file only the test functions that reach those
    names (``test_items``; the whole file when none does or ``items`` is False); all of
    ``files`` when no file names them or the mutant is outside every function."""
    try:
        name = enclosing(text, offset)
    except SyntaxError:
        return files
    if name is None:
        return files
    names = entry_names(text, name)
    pattern = _pattern(names)
    picked = [f for f in files if pattern.search(test_texts.get(f, ""))]
    if not picked:
        return files
    if not items:
        return picked
    out = []
    for f in picked:
        out.extend(test_items(f, test_texts.get(f, ""), names) or [f])
    return out


def files_of(args: list[str]) -> list[str]:
    """The test files of pytest arguments (``path`` or ``path::test``), once each."""
    return list(dict.fromkeys(a.split("::", 1)[0] for a in args))


def _pattern(names) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")


def _targets_of(node: ast.AST) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def test_items(path: str, text: str, names) -> list[str] | None:
    """The test functions of one test file (``path::test_x`` node ids, in file order) that
    reach ``names``: their source or decorators name one, or they use a fixture, helper or
    constant of the file that does (transitively). None (run the whole file) when the file
    has a test class, when no test function is picked, or when it does not parse."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    if any(isinstance(n, ast.ClassDef) and n.name.startswith("Test") for n in tree.body):
        return None
    lines = text.splitlines(keepends=True)

    def source(node) -> str:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return "".join(lines[first - 1:node.end_lineno])

    tests = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
             and n.name.startswith("test")]
    others = [(n, _targets_of(n), source(n)) for n in tree.body if n not in tests and _targets_of(n)]
    reach = set(names)
    grew = True
    while grew:  # helpers, fixtures and constants of the file that reach ``names``
        grew = False
        pattern = _pattern(reach)
        for _node, defined, src in others:
            if not defined <= reach and pattern.search(src):
                reach |= defined
                grew = True
    pattern = _pattern(reach)
    picked = [f"{path}::{t.name}" for t in tests
              if pattern.search(source(t)) or {a.arg for a in t.args.args} & reach]
    return picked or None

