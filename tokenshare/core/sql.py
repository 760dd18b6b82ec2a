"""Named SQL queries: one file per query under ``queries/<kind>/``, run with bound
parameters.

The kind folders say what a query is for (``pages``: what the pages draw; ``build``:
the derived query database; ``validate``: snapshot checks; ``workbench``, ``compare``,
``remote``, ``bench``). A query is still loaded by its name alone, so names are unique
across folders (checked here).

Python never formats a value into SQL text: a query is read from its file as it is and
every value goes in through DuckDB's ``$name`` parameters."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from tokenshare.core import settings

QUERIES_DIR = settings.QUERIES_DIR
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownQuery(KeyError):
    pass


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """The text of the query file named ``name``."""
    if not _NAME.match(name):
        raise UnknownQuery(name)
    path = query_paths().get(name)
    if path is None:
        raise UnknownQuery(name)
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def query_paths() -> dict[str, Path]:
    """Every named query: name -> file. Two files with one name is a mistake worth
    stopping on, since a name must say which SQL runs."""
    out: dict[str, Path] = {}
    for path in sorted(QUERIES_DIR.glob("*/*.sql")):
        if path.stem in out:
            raise RuntimeError(f"two queries named {path.stem!r}: {out[path.stem]} and {path}")
        out[path.stem] = path
    return out


def query_kind(name: str) -> str:
    """The folder a query lives in (pages, build, validate, ...)."""
    path = query_paths().get(name)
    if path is None:
        raise UnknownQuery(name)
    return path.parent.name


def query_file(name: str) -> str:
    """The query's file relative to the repository, for showing to users."""
    return f"queries/{query_kind(name)}/{name}.sql"


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
    return sorted(query_paths())


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


def query_summary(name: str) -> str:
    """The first sentence of a query's header, without the ``name:`` it starts with."""
    header = " ".join(query_header(name).split())
    if header.startswith(f"{name}:"):
        header = header[len(name) + 1:].strip()
    match = re.match(r"(.+?[.!?])(\s|$)", header)
    return (match.group(1) if match else header) or "(no header)"


def markdown_catalogue() -> str:
    """Every named query by folder with the first sentence of its header: the list in
    docs/queries.md (a test fails when a query is missing from it)."""
    out: list[str] = []
    kinds = sorted({query_kind(n) for n in all_query_names()})
    for kind in kinds:
        out += [f"### {kind}/", "", "| query | what it does |", "| --- | --- |"]
        for name in all_query_names():
            if query_kind(name) == kind:
                summary = query_summary(name).replace("|", r"\|")
                out.append(f"| `{name}` | {summary} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
