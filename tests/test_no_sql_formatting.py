"""No Python file builds SQL by string formatting with a variable.

All SQL lives in queries/*.sql and every value goes in as a bound ``$parameter``
(tokenshare/core/sql.py). This test parses every Python file of the app (app.py, views/,
tokenshare/, scripts/) with ``ast`` and fails on:

1. a call that runs SQL, ``.execute(`` ``.executemany(`` ``.sql(`` ``.query(``
   (``duckdb.sql(``, a connection, cursor or relation), whose SQL argument is an
   f-string with placeholders, a ``%`` or ``.format()`` formatting, or a ``+``
   concatenation that involves anything but string literals;
2. anywhere at all, a formatted string (f-string with placeholders, ``.format()``,
   ``%``, ``+`` with a non-literal) whose literal text looks like SQL (SELECT, FROM,
   WHERE, INSERT, CREATE, ...), so SQL cannot be built into a variable first.

The checker itself is tested on small snippets at the bottom, both ways."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["app.py", "views", "tokenshare", "scripts"]

RUN_METHODS = {"execute", "executemany", "sql", "query"}
# Uppercase SQL keywords (as whole words): how SQL is written in this code base.
SQL_UPPER = re.compile(
    r"\b(SELECT|FROM|WHERE|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|JOIN|COPY|ATTACH|PRAGMA|VALUES|UNION|GROUP BY|ORDER BY)\b"
)
# Lowercase SQL: a statement verb at the start and its structure after it.
SQL_LOWER = re.compile(
    r"^\s*\(?\s*(select|with|insert|create|update|delete|drop|alter|copy|attach|pragma|describe|summarize)\b"
    r"[\s\S]*\b(from|into|table|view|set|as|where|to)\b",
)


def python_files() -> list[Path]:
    files = []
    for entry in SCANNED:
        p = ROOT / entry
        if p.is_file():
            files.append(p)
        elif p.is_dir():
            files.extend(sorted(q for q in p.rglob("*.py") if "__pycache__" not in q.parts))
    return files


@dataclass
class Finding:
    where: str
    line: int
    why: str
    code: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.why}\n    {self.code}"


def _literal_text(node: ast.AST) -> str:
    """The string-literal parts of an expression (what the SQL would say)."""
    parts = []
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            parts.append(n.value)
    return " ".join(parts)


def _is_str_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _formatting(node: ast.AST) -> str | None:
    """How ``node`` formats a variable into a string, or None if it does not."""
    if isinstance(node, ast.JoinedStr):
        if any(isinstance(v, ast.FormattedValue) for v in node.values):
            return "an f-string with placeholders"
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        if _is_str_literal(node.func.value) or isinstance(node.func.value, ast.JoinedStr):
            return "str.format()"
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod) and (_is_str_literal(node.left) or isinstance(node.left, ast.JoinedStr)):
            return "%-formatting"
        if isinstance(node.op, ast.Add):
            operands = _add_operands(node)
            stringy = any(_is_str_literal(o) or isinstance(o, ast.JoinedStr) for o in operands)
            if stringy and not all(_is_str_literal(o) for o in operands):
                return "+ concatenation with a variable"
    return None


def _add_operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _add_operands(node.left) + _add_operands(node.right)
    return [node]


def _looks_like_sql(text: str) -> bool:
    return bool(SQL_UPPER.search(text) or SQL_LOWER.search(text))


def _sql_arguments(call: ast.Call) -> list[ast.AST]:
    """Every argument that could be the SQL (``relation.query(name, sql)`` takes it
    second)."""
    return list(call.args) + [kw.value for kw in call.keywords if kw.arg is not None]


def _built(node: ast.AST) -> str | None:
    """Formatting as above, or a + of anything that is not all literals."""
    how = _formatting(node)
    if how is None and isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        if not all(_is_str_literal(o) for o in _add_operands(node)):
            how = "+ or % of variables"
    return how


def scan_source(source: str, where: str = "<snippet>") -> list[Finding]:
    tree = ast.parse(source)
    lines = source.splitlines()
    found: list[Finding] = []
    seen: set[tuple[int, int]] = set()

    def report(node: ast.AST, why: str) -> None:
        key = (node.lineno, node.col_offset)
        if key in seen:
            return
        seen.add(key)
        found.append(Finding(where, node.lineno, why, lines[node.lineno - 1].strip()))

    for node in ast.walk(tree):
        # 1. the SQL argument of a call that runs SQL
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RUN_METHODS:
            for arg in _sql_arguments(node):
                how = _built(arg)
                if how:
                    report(arg, f".{node.func.attr}() is given SQL built by {how}")
        # 2. SQL-looking text formatted with a variable, anywhere
        how = _formatting(node)
        if how and _looks_like_sql(_literal_text(node)):
            report(node, f"SQL-looking text built by {how}")
    return found


def scan_file(path: Path) -> list[Finding]:
    return scan_source(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))


def test_the_scan_sees_the_code():
    files = python_files()
    names = {str(p.relative_to(ROOT)) for p in files}
    assert "app.py" in names and "tokenshare/core/sql.py" in names and "tokenshare/engine/db.py" in names
    assert any(n.startswith("views/") for n in names)


def test_no_python_file_formats_sql():
    findings = [f for path in python_files() for f in scan_file(path)]
    assert not findings, (
        "SQL built by string formatting (move it to queries/<name>.sql with $parameters and run it "
        "with tokenshare.core.sql.run):\n" + "\n".join(str(f) for f in findings)
    )


# --------------------------------------------------------------------------- the checker


@pytest.mark.parametrize("snippet", [
    'con.execute(f"SELECT * FROM usage WHERE author = \'{lab}\'")',
    'con.execute(f"select * from {table}")',
    'cur.sql("SELECT * FROM usage WHERE date > \'%s\'" % start)',
    'duckdb.sql("SELECT * FROM {}".format(table))',
    'rel.query("t", "SELECT * FROM t WHERE x = " + value)',
    'con.executemany(base + " VALUES (?)", rows)',
    'con.execute(sql_text + where_clause)',
    'con.execute(query=f"DELETE FROM usage WHERE x = {x}")',
    'q = f"SELECT * FROM read_parquet(\'{path}\')"',
    'q = "CREATE VIEW v AS SELECT * FROM " + name',
    'q = "INSERT INTO t VALUES (%s)" % v',
    'q = "with x as (select 1) select * from {}".format(t)',
    'q = f"""\n    SELECT a\n    FROM {tbl}\n"""',
    'q = "ATTACH \'" + path + "\' AS db"',
])
def test_the_checker_catches(snippet):
    assert scan_source(snippet), snippet


@pytest.mark.parametrize("snippet", [
    'con.execute("SELECT * FROM usage WHERE author = $lab", {"lab": lab})',
    'con.execute(sql.load_sql(name), params)',
    'sql.run(con, "setup_labs", {"labs_csv": str(path)})',
    'con.execute("SELECT 1 " "FROM usage")',
    'st.warning(f"Ignored `lab={v}` in the URL: choose from {options}.")',
    'msg = f"Select a lab from the list: {names}"',
    'st.caption(f"{n} rows from {path}")',
    'df.query("tokens > 0")',
    'db.query(name, start=start, labs=list(labs))',
    'con.execute(sql_text, {"n": a + b})',
    'title = "Share of tokens by " + label',
    'text = f"{human_tokens(x)} tokens, {pct(s)} of named volume"',
])
def test_the_checker_lets_through(snippet):
    assert scan_source(snippet) == [], snippet
