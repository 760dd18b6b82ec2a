"""Python mutation operators, found with ``ast`` and applied as small text edits at the
node's position (so a mutant's diff is the one changed expression, comments kept).

Operators: comparison flips (``<``/``<=``, ``>``/``>=``, ``==``/``!=``, ``in``/``not in``,
``is``/``is not``); arithmetic swaps (``+``/``-``, ``*``/``/``, ``&``/``|``); ``and``/``or``;
one condition of an ``and`` or of a pandas ``&`` filter dropped, a whole ``df[cond]`` filter
dropped; ``not``/``~`` removed;
integer constants +/-1 and booleans flipped; ``ascending=`` flipped; method and builtin
swaps (``max``/``min``, ``idxmax``/``idxmin``, ``nlargest``/``nsmallest``, ``head``/``tail``,
``first``/``last``). Annotations, docstrings and string constants are left alone."""

from __future__ import annotations

import ast
import re

from benchmarks.mutation.mutant import Mutant, offsets

CMP = {ast.Lt: ("<", "<="), ast.LtE: ("<=", "<"), ast.Gt: (">", ">="), ast.GtE: (">=", ">"),
       ast.Eq: ("==", "!="), ast.NotEq: ("!=", "=="), ast.In: ("in", "not in"), ast.NotIn: ("not in", "in"),
       ast.Is: ("is", "is not"), ast.IsNot: ("is not", "is")}
ARITH = {ast.Add: ("+", "-"), ast.Sub: ("-", "+"), ast.Mult: ("*", "/"), ast.Div: ("/", "*"),
         ast.BitAnd: ("&", "|"), ast.BitOr: ("|", "&")}
NAME_SWAPS = {"max": "min", "min": "max", "idxmax": "idxmin", "idxmin": "idxmax", "nlargest": "nsmallest",
              "nsmallest": "nlargest", "head": "tail", "tail": "head", "first": "last", "last": "first",
              "cummax": "cummin", "cummin": "cummax"}


class _Pos:
    """ast positions (1-based line, UTF-8 byte column) to character offsets."""

    def __init__(self, text: str):
        self.text = text
        self.starts = offsets(text)
        self.lines = text.split("\n")

    def at(self, line: int, col: int) -> int:
        return self.starts[line - 1] + len(self.lines[line - 1].encode()[:col].decode(errors="ignore"))

    def start(self, node) -> int:
        return self.at(node.lineno, node.col_offset)

    def end(self, node) -> int:
        return self.at(node.end_lineno, node.end_col_offset)


def py_mutants(path: str, text: str) -> list[Mutant]:
    tree = ast.parse(text)
    pos = _Pos(text)
    out: list[Mutant] = []
    for node in _walk(tree):
        out.extend(_node_mutants(path, text, pos, node))
    return out


def _walk(tree):
    """Every node but annotations and docstrings."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for field, value in ast.iter_fields(node):
            if field in ("annotation", "returns", "decorator_list"):
                continue
            kids = value if isinstance(value, list) else [value]
            for i, kid in enumerate(kids):
                if not isinstance(kid, ast.AST):
                    continue
                if field == "body" and i == 0 and isinstance(kid, ast.Expr) and isinstance(kid.value, ast.Constant):
                    continue  # a docstring
                stack.append(kid)


def _gap_op(path, text, pos, left, right, old, new, op):
    """The operator ``old`` in the text between two nodes, replaced by ``new``."""
    lo, hi = pos.end(left), pos.start(right)
    pattern = r"\bnot\s+in\b" if old == "not in" else r"\bis\s+not\b" if old == "is not" else \
        rf"\b{old}\b" if old.isalpha() else re.escape(old) + r"(?![=<>])"
    m = re.search(pattern, text[lo:hi])
    if not m:
        return None
    return Mutant(path, lo + m.start(), lo + m.end(), new, op)


def _node_mutants(path, text, pos, node):
    out = []
    if isinstance(node, ast.Compare):
        left = node.left
        for cmp_op, right in zip(node.ops, node.comparators):
            old, new = CMP.get(type(cmp_op), (None, None))
            if old:
                out.append(_gap_op(path, text, pos, left, right, old, new, "py.cmp"))
            left = right
    elif isinstance(node, ast.BinOp) and type(node.op) in ARITH:
        old, new = ARITH[type(node.op)]
        if not (isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):
            out.append(_gap_op(path, text, pos, node.left, node.right, old, new, "py.arith"))
        if isinstance(node.op, ast.BitAnd):  # a pandas filter: keep one side
            for keep in (node.left, node.right):
                out.append(Mutant(path, pos.start(node), pos.end(node), _src(text, pos, keep), "py.drop_conjunct"))
    elif isinstance(node, ast.BoolOp):
        old, new = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        for a, b in zip(node.values, node.values[1:]):
            out.append(_gap_op(path, text, pos, a, b, old, new, "py.boolop"))
        if isinstance(node.op, ast.And):
            for k in range(len(node.values)):
                rest = [_src(text, pos, v) for i, v in enumerate(node.values) if i != k]
                out.append(Mutant(path, pos.start(node), pos.end(node), " and ".join(rest), "py.drop_conjunct"))
    elif isinstance(node, ast.Subscript) and _is_filter(node.slice):  # df[cond] -> df
        out.append(Mutant(path, pos.start(node), pos.end(node), _src(text, pos, node.value), "py.drop_filter"))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.Invert)):
        out.append(Mutant(path, pos.start(node), pos.end(node), _src(text, pos, node.operand), "py.negation"))
    elif isinstance(node, ast.Constant) and type(node.value) is bool:
        out.append(Mutant(path, pos.start(node), pos.end(node), str(not node.value), "py.const"))
    elif isinstance(node, ast.Constant) and type(node.value) is int:
        for n in (node.value + 1, node.value - 1):
            out.append(Mutant(path, pos.start(node), pos.end(node), str(n), "py.const"))
    elif isinstance(node, ast.keyword) and node.arg == "ascending" and not isinstance(node.value, ast.Constant):
        v = _src(text, pos, node.value)
        out.append(Mutant(path, pos.start(node.value), pos.end(node.value), f"not ({v})", "py.ascending"))
    elif isinstance(node, ast.Attribute) and node.attr in NAME_SWAPS:
        end = pos.end(node)
        out.append(Mutant(path, end - len(node.attr), end, NAME_SWAPS[node.attr], "py.swap"))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("max", "min"):
        out.append(Mutant(path, pos.start(node.func), pos.end(node.func), NAME_SWAPS[node.func.id], "py.swap"))
    return [m for m in out if m is not None]


def _is_filter(s) -> bool:
    """A pandas row filter: a comparison, a negation or a combination of conditions."""
    return isinstance(s, ast.Compare) or (isinstance(s, ast.UnaryOp) and isinstance(s.op, ast.Invert)) or \
        (isinstance(s, ast.BinOp) and isinstance(s.op, (ast.BitAnd, ast.BitOr)))


def _src(text, pos, node) -> str:
    s = text[pos.start(node):pos.end(node)]
    return f"({s})" if "\n" in s else s


def parses(text, m) -> bool:
    """Whether the mutant is still Python (checked on the sampled mutants only: it costs a parse)."""
    try:
        ast.parse(m.apply(text))
    except SyntaxError:
        return False
    return True
