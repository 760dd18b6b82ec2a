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


def tests_for(text: str, offset: int, files: list[str], test_texts: dict[str, str]) -> list[str]:
    """Of ``files`` (in their order), those whose text names the function holding
    ``offset`` or a caller of it in the module; all of ``files`` when none does or the
    mutant is outside every function."""
    try:
        name = enclosing(text, offset)
    except SyntaxError:
        return files
    if name is None:
        return files
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(entry_names(text, name))) + r")\b")
    picked = [f for f in files if pattern.search(test_texts.get(f, ""))]
    return picked or files
