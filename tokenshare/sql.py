"""Named SQL queries: one file per query in ``queries/``, run with bound parameters.

Python never formats a value into SQL text: a query is read from its file as it is and
every value goes in through DuckDB's ``$name`` parameters."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownQuery(KeyError):
    pass


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """The text of queries/<name>.sql."""
    if not _NAME.match(name):
        raise UnknownQuery(name)
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise UnknownQuery(name)
    return path.read_text(encoding="utf-8")


def query_header(name: str) -> str:
    """The leading comment of a query: what it returns and its parameters."""
    lines = []
    for line in load_sql(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def query_parameters(name: str) -> list[str]:
    """The $parameters a query uses, in order of first use."""
    seen: list[str] = []
    for m in re.finditer(r"\$([a-z_][a-z0-9_]*)", _strip_comments(load_sql(name))):
        if m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def all_query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def run(con, name: str, params: dict | None = None):
    """Execute a named query on a DuckDB connection or cursor, binding only the
    parameters the query uses. Returns the DuckDB result (cursor)."""
    sql = load_sql(name)
    used = query_parameters(name)
    params = params or {}
    missing = [p for p in used if p not in params]
    if missing:
        raise TypeError(f"query {name!r} needs parameters {missing}")
    return con.execute(sql, {k: params[k] for k in used})
