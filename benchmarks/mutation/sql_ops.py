"""SQL mutation operators, over the tokens of a named query (comments and string
literals are tokens of their own, so nothing inside them is mutated).

Operators: ``<``/``<=`` and ``>``/``>=`` flips; ASC/DESC flips and a DESC added to an
ORDER BY item without a direction (a tie-break reversed); one conjunct of a
WHERE/ON/FILTER/HAVING/QUALIFY dropped (a lone condition becomes TRUE);
``IS [NOT] DISTINCT FROM`` vs ``<>``/``=``; aggregate and function swaps (sum/max/min,
count(DISTINCT x)/count(x), row_number/rank, lag/lead, greatest/least, bool_or/bool_and,
arg_max/arg_min); integer bounds +/-1 (window frames, intervals, literals next to an
arithmetic or comparison operator); coalesce's default changed."""

from __future__ import annotations

import re

from benchmarks.mutation.mutant import Mutant

_TOKEN = re.compile(r"""
    (?P<comment>--[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")*")
  | (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<param>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|<>|!=|::|->>|->|=>|:=|\|\||[-+*/%<>=(),.;\[\]{}:?!^~&|])
""", re.X | re.S)


class Tok:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind, text, start, end):
        self.kind, self.text, self.start, self.end = kind, text, start, end

    @property
    def up(self) -> str:
        return self.text.upper()

    def __repr__(self):
        return f"Tok({self.kind}, {self.text!r})"


def tokens(text: str) -> list[Tok]:
    """The query's tokens without whitespace and comments."""
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:  # an odd character: keep it as an operator token
            out.append(Tok("op", text[pos], pos, pos + 1))
            pos += 1
            continue
        if m.lastgroup not in ("ws", "comment"):
            out.append(Tok(m.lastgroup, m.group(), m.start(), m.end()))
        pos = m.end()
    return out


CMP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
SWAPS = {"SUM": "max", "MAX": "min", "MIN": "max", "AVG": "median", "GREATEST": "least", "LEAST": "greatest",
         "BOOL_OR": "bool_and", "BOOL_AND": "bool_or", "ARG_MAX": "arg_min", "ARG_MIN": "arg_max",
         "ROW_NUMBER": "rank", "LAG": "lead", "LEAD": "lag", "MAX_BY": "min_by", "MIN_BY": "max_by"}
CLAUSE_END = {"GROUP", "ORDER", "HAVING", "QUALIFY", "WINDOW", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "JOIN",
              "LEFT", "RIGHT", "INNER", "FULL", "CROSS", "SELECT", "FROM", "WHERE", "USING", "ON", "RETURNING",
              "ANTI", "SEMI", "ASOF", "POSITIONAL", "NATURAL"}
ARITH = {"+", "-", "*", "/", "%", "<", "<=", ">", ">=", "=", "<>", "!="}


def sql_mutants(path: str, text: str) -> list[Mutant]:
    toks = tokens(text)
    out: list[Mutant] = []
    for fn in (_cmp, _order, _conjuncts, _distinct, _swaps, _bounds, _coalesce):
        out.extend(fn(path, toks))
    return out


def _sub(path, tok, new, op):
    return Mutant(path, tok.start, tok.end, new, op)


def _cmp(path, toks):
    return [_sub(path, t, CMP[t.text], "sql.cmp") for t in toks if t.kind == "op" and t.text in CMP]


def _close(toks, i):
    """The index of the token closing the bracket (or CASE) opened at i."""
    depth = 0
    for j in range(i, len(toks)):
        if _opens(toks[j]):
            depth += 1
        elif _closes(toks[j]):
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def _opens(t):
    return (t.kind == "op" and t.text in "([") or (t.kind == "word" and t.up == "CASE")


def _closes(t):
    return (t.kind == "op" and t.text in ")]") or (t.kind == "word" and t.up == "END")


def _order(path, toks):
    out = []
    for i, t in enumerate(toks):
        if t.kind == "word" and t.up in ("ASC", "DESC"):
            out.append(_sub(path, t, "DESC" if t.up == "ASC" else "ASC", "sql.order"))
        if t.kind == "word" and t.up == "ORDER" and i + 1 < len(toks) and toks[i + 1].up == "BY":
            for lo, hi in _items(toks, i + 2, stop={"LIMIT", "OFFSET", "ROWS", "RANGE", "GROUPS"}):
                if not any(toks[k].up in ("ASC", "DESC") for k in range(lo, hi)):
                    last = toks[hi - 1]
                    out.append(Mutant(path, last.end, last.end, " DESC", "sql.order_desc"))
    return out


def _items(toks, i, stop=frozenset()):
    """Comma-separated items from token i to the end of the clause: (lo, hi) index pairs."""
    items, lo, depth, j = [], i, 0, i
    while j < len(toks):
        t = toks[j]
        if _opens(t):
            depth += 1
        elif _closes(t):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (t.text in (",", ";") or (t.kind == "word" and t.up in stop) or _ends_clause(toks, j)):
            if t.text != ",":
                break
            items.append((lo, j))
            lo = j + 1
        j += 1
    if j > lo:
        items.append((lo, j))
    return items


def _conjuncts(path, toks):
    out = []
    for i, t in enumerate(toks):
        if t.kind != "word" or t.up not in ("WHERE", "ON", "HAVING", "QUALIFY"):
            continue
        if t.up == "ON" and i > 0 and toks[i - 1].up in ("DISTINCT", "DELETE"):
            continue
        kind = "FILTER" if t.up == "WHERE" and i >= 2 and toks[i - 2].up == "FILTER" else t.up
        parts = _split_and(toks, i + 1)
        if not parts:
            continue
        op = f"sql.drop_{kind.lower()}"
        if len(parts) == 1:
            lo, hi = parts[0]
            out.append(Mutant(path, toks[lo].start, toks[hi - 1].end, "TRUE", op))
            continue
        for k, (lo, hi) in enumerate(parts):
            if k + 1 < len(parts):  # drop "cond AND " up to the next conjunct
                out.append(Mutant(path, toks[lo].start, toks[parts[k + 1][0]].start, "", op))
            else:  # drop " AND cond" after the previous one
                out.append(Mutant(path, toks[parts[k - 1][1] - 1].end, toks[hi - 1].end, "", op))
    return out


def _ends_clause(toks, j) -> bool:
    """A clause keyword at token j (the FROM of IS [NOT] DISTINCT FROM is none)."""
    t = toks[j]
    return t.kind == "word" and t.up in CLAUSE_END and not (t.up == "FROM" and toks[j - 1].up == "DISTINCT")


def _split_and(toks, i):
    """The top-level conjuncts of the condition starting at token i: (lo, hi) pairs."""
    parts, lo, depth, between, j = [], i, 0, 0, i
    while j < len(toks):
        t = toks[j]
        if _opens(t):
            depth += 1
        elif _closes(t):
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            if t.text in (",", ";") or _ends_clause(toks, j):
                break
            if t.kind == "word" and t.up == "BETWEEN":
                between += 1
            elif t.kind == "word" and t.up == "AND":
                if between:
                    between -= 1
                else:
                    parts.append((lo, j))
                    lo = j + 1
        j += 1
    if j > lo:
        parts.append((lo, j))
    return parts


def _distinct(path, toks):
    out = []
    for i, t in enumerate(toks):
        if t.kind == "word" and t.up == "IS":
            words = [x.up for x in toks[i + 1:i + 4]]
            if words[:2] == ["DISTINCT", "FROM"]:
                out.append(Mutant(path, t.start, toks[i + 2].end, "<>", "sql.distinct"))
            elif words == ["NOT", "DISTINCT", "FROM"]:
                out.append(Mutant(path, t.start, toks[i + 3].end, "=", "sql.distinct"))
        elif t.kind == "op" and t.text in ("<>", "!="):
            out.append(_sub(path, t, "IS DISTINCT FROM", "sql.distinct"))
    return out


def _swaps(path, toks):
    out = []
    for i, t in enumerate(toks[:-1]):
        if t.kind != "word" or toks[i + 1].text != "(" or (i > 0 and toks[i - 1].text == "."):
            continue
        if t.up in SWAPS:
            out.append(_sub(path, t, SWAPS[t.up], "sql.swap"))
        elif t.up == "COUNT" and i + 2 < len(toks) and toks[i + 2].up == "DISTINCT":
            out.append(Mutant(path, toks[i + 2].start, toks[i + 2].end + 1, "", "sql.swap"))
    return out


def _bounds(path, toks):
    out = []
    for i, t in enumerate(toks):
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.kind == "number" and "." not in t.text:
            framed = nxt is not None and nxt.up in ("PRECEDING", "FOLLOWING")
            interval = prev is not None and prev.up == "INTERVAL"
            arith = (prev is not None and prev.kind == "op" and prev.text in ARITH) or \
                    (nxt is not None and nxt.kind == "op" and nxt.text in ARITH)
            if framed or interval or arith or (prev is not None and prev.up in ("LIMIT", "OFFSET")):
                n = int(t.text)
                out.append(_sub(path, t, str(n + 1), "sql.bound"))
                if n > 0:
                    out.append(_sub(path, t, str(n - 1), "sql.bound"))
        elif t.kind == "string" and prev is not None and prev.up == "INTERVAL":
            m = re.match(r"'(\d+)(.*)'$", t.text, re.S)
            if m:
                n = int(m.group(1))
                out.append(_sub(path, t, f"'{n + 1}{m.group(2)}'", "sql.bound"))
    return out


def _coalesce(path, toks):
    out = []
    for i, t in enumerate(toks[:-1]):
        if t.kind == "word" and t.up in ("COALESCE", "IFNULL") and toks[i + 1].text == "(":
            close = _close(toks, i + 1)
            items = _items(toks, i + 2)
            if len(items) < 2:
                continue
            lo, hi = items[-1]
            if hi > close:
                continue
            arg = toks[lo:hi]
            if len(arg) == 1 and arg[0].kind == "number":
                new = str(int(float(arg[0].text)) + 1)
            elif len(arg) == 1 and arg[0].up == "NULL":
                continue
            else:
                new = "NULL"
            out.append(Mutant(path, toks[lo].start, toks[hi - 1].end, new, "sql.coalesce"))
    return out
