"""The SQL workbench's gate: what a visitor's text may be before it runs.

It uses DuckDB's own parser, never a regular expression over the SQL:

1. the text is not empty and not over ``MAX_SQL_CHARS`` (refused with the limit in the
   message; never cut), and ``duckdb.extract_statements`` finds exactly one statement,
   of type SELECT (also written as WITH, FROM-first, DESCRIBE, SHOW, SUMMARIZE);
2. its parse tree (``json_serialize_sql``) reads only an allowlist: the snapshot's
   tables (and the query's own CTEs), the generator table functions in
   ``ALLOWED_TABLE_FUNCTIONS``, and the engine's plain scalar, aggregate and window
   functions minus the catalogue ones (``current_setting``, ``duckdb_*``, ``pg_*``,
   ``version``...). A table name that is one of the engine's catalogue views or table
   functions (``duckdb_databases``, ``pg_settings``...), any schema- or
   database-qualified name (``pg_catalog.pg_settings``, ``information_schema.tables``),
   ``SHOW TABLES`` / ``SHOW DATABASES`` and file paths are refused, each with a message
   that says why. A statement DuckDB cannot show as a tree is refused rather than let
   through unchecked.

The gate runs inside the worker process (tokenshare/engine/workbench_worker.py), so
even parsing a hostile text happens under the worker's limits."""

from __future__ import annotations

import json

import duckdb

from tokenshare.core import sql as named_sql

MAX_SQL_CHARS = 20_000
TABLES = ("usage", "models", "labs", "usage_by_category", "model_endpoints")

# Table functions a query may call: generators only (no catalogue, no files).
ALLOWED_TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})

# Functions that read the engine's settings, catalogue, session or environment rather
# than data: refused even though the engine has them.
CATALOGUE_PREFIXES = ("duckdb_", "pg_", "has_", "pragma_", "current_setting", "current_database",
                      "current_schema", "current_catalog", "current_query", "current_connection",
                      "current_transaction", "current_role", "current_user")
CATALOGUE_FUNCTIONS = frozenset({
    "version", "getvariable", "getenv", "session_user", "user", "in_search_path", "col_description",
    "obj_description", "shobj_description", "txid_current", "get_block_size", "which_secret",
    "format_pg_type", "format_type", "query_table", "query",
})

_ST = duckdb.StatementType
REFUSED_STATEMENTS = {
    _ST.COPY: "`COPY` reads or writes files",
    _ST.COPY_DATABASE: "`COPY FROM DATABASE` copies a database",
    _ST.EXPORT: "`EXPORT DATABASE` writes files",
    _ST.ATTACH: "`ATTACH` opens another database",
    _ST.DETACH: "`DETACH` changes the attached databases",
    _ST.LOAD: "`INSTALL` and `LOAD` add extensions",
    _ST.EXTENSION: "extension statements add or change extensions",
    _ST.SET: "`SET`, `RESET` and `USE` change settings",
    _ST.VARIABLE_SET: "`SET VARIABLE` changes state",
    _ST.PRAGMA: "`PRAGMA` (and `IMPORT DATABASE`) change settings or read files",
    _ST.CALL: "`CALL` runs procedures (and `CHECKPOINT`)",
    _ST.CREATE: "`CREATE` writes to the database",
    _ST.CREATE_FUNC: "`CREATE FUNCTION` writes to the database",
    _ST.INSERT: "`INSERT` writes to the database",
    _ST.UPDATE: "`UPDATE` writes to the database",
    _ST.DELETE: "`DELETE` writes to the database",
    _ST.MERGE_INTO: "`MERGE INTO` writes to the database",
    _ST.DROP: "`DROP` writes to the database",
    _ST.ALTER: "`ALTER` writes to the database",
    _ST.VACUUM: "`VACUUM` maintains the database",
    _ST.ANALYZE: "`ANALYZE` maintains the database",
    _ST.TRANSACTION: "transaction statements are managed by the workbench",
    _ST.PREPARE: "`PREPARE` is not needed here",
    _ST.EXECUTE: "`EXECUTE` is not needed here",
    _ST.EXPLAIN: "`EXPLAIN` is not offered here",
    _ST.MULTI: "this statement expands to several statements (e.g. `PIVOT` without a subquery)",
}

# Message texts (plain constants: no SQL is ever assembled from pieces here).
READ_ONLY = ("The workbench is read-only: only SELECT statements run (including WITH, FROM-first, "
             "DESCRIBE, SHOW and SUMMARIZE).")
ONLY_TABLES = ("The workbench only reads the snapshot's tables: usage, models, labs, usage_by_category and "
               "model_endpoints.")
PLAIN_SELECT = "Write it as a plain `SELECT`."
CATALOGUE = "it reads the engine's catalogue or settings, not the snapshot's data"

_FILE_HINTS = ("read_", "parquet_", "glob", "sniff_csv", "iceberg", "delta_scan", "csv", "json", "text", "blob",
               "sqlite", "postgres", "mysql", "http", "s3")


class Refused(Exception):
    """The query was not run. ``str(exc)`` says why, in words for the page."""


def code(text: str, limit: int = 300) -> str:
    """Text from the query (or DuckDB's message about it) as a Markdown code span, which
    the page shows literally: backticks inside become a look-alike so they can't close
    the span, and the rest (links, images, bold) is never rendered. The query comes from
    the URL, so a shared link must not be able to write Markdown into the app's notices."""
    text = " ".join(str(text).split()).replace("`", "\uff40")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"`{text}`"


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def check_length(text: str) -> None:
    """Refused when empty or over the limit: a long text is refused whole, never cut."""
    if not text or not text.strip():
        raise Refused("The query is empty. Write a `SELECT`, or load an example.")
    if len(text) > MAX_SQL_CHARS:
        raise Refused(f"The query is {len(text):,} characters long; the workbench takes up to "
                      f"{MAX_SQL_CHARS:,}. Nothing was run: shorten it (nothing is cut off silently).")


def single_select(text: str) -> str:
    """The one SELECT statement in ``text``, or Refused."""
    check_length(text)
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as exc:
        raise Refused(f"DuckDB could not parse the query: {code(first_line(exc))}") from None
    if not statements:
        raise Refused("The query has no statement in it (only comments?). Write a `SELECT`.")
    if len(statements) > 1:
        raise Refused(
            f"The text holds {len(statements)} statements; the workbench runs one statement at a time. "
            "Remove the extra `;`-separated statements."
        )
    st = statements[0]
    if st.type in REFUSED_STATEMENTS:
        raise Refused(f"Refused: {REFUSED_STATEMENTS[st.type]}. {READ_ONLY}")
    if st.type != _ST.SELECT:
        raise Refused(f"Refused: `{str(st.type).split('.')[-1]}` statements are not run here. {READ_ONLY}")
    return st.query.strip().rstrip(";").strip()


# --------------------------------------------------------------------------- the allowlist


class Catalogue:
    """What the engine itself offers, read once per worker: the names of its catalogue
    views and table functions (refused as table names) and the functions a query may
    call (scalar, aggregate, window and macro functions, minus the catalogue ones)."""

    def __init__(self, con, tables):
        cur = con.cursor()
        try:
            rows = named_sql.run(cur, "workbench_catalogue").fetchall()
        finally:
            cur.close()
        self.tables = frozenset(t.lower() for t in tables)
        self.reserved = frozenset(name for name, kind in rows if kind in ("view", "table", "table_function")) \
            - self.tables
        self.functions = frozenset(name for name, kind in rows if kind == "function" and not is_catalogue(name))
        self.other_functions = frozenset(name for name, kind in rows if kind in ("table_function", "pragma"))


def is_catalogue(function_name: str) -> bool:
    name = function_name.lower()
    return name in CATALOGUE_FUNCTIONS or name.startswith(CATALOGUE_PREFIXES)


def _nodes(tree):
    """Every dict in the parse tree, without recursion (a hostile query can nest its
    tree far deeper than Python's recursion limit)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _looks_like_file(name: str) -> bool:
    return any(ch in name for ch in "/\\.:~") or name.lower().startswith(("http", "s3"))


def check_sources(con, statement: str, catalogue: Catalogue) -> None:
    """Refused when the statement reads anything outside the allowlist."""
    cur = con.cursor()
    try:
        ast_text = named_sql.run(cur, "workbench_parse", {"q": statement}).fetchall()[0][0]
    finally:
        cur.close()
    try:
        tree = json.loads(ast_text)
    except RecursionError:
        raise Refused("The query nests too deeply for the workbench to check (hundreds of levels of "
                      "subqueries or CASE). Flatten it, e.g. with a WITH clause.") from None
    if tree.get("error"):
        raise Refused("Refused: the workbench cannot check this statement's parts (DuckDB cannot show its "
                      "parse tree: " + code(tree.get("error_message", "")) + "). " + PLAIN_SELECT)
    table_function_nodes = set()
    for node in _nodes(tree.get("statements", [])):
        kind = node.get("type")
        if kind == "TABLE_FUNCTION":
            fn = node.get("function") or {}
            table_function_nodes.add(id(fn))
            _check_table_function(fn)
        elif kind == "BASE_TABLE":
            _check_table(node, catalogue)
        elif kind == "SHOW_REF":
            name = str(node.get("table_name") or "").strip('"').lower()
            if name and name not in catalogue.tables:
                shown = "ALL TABLES" if name.startswith("__show") else name.upper()
                raise Refused(f"Refused: {code('SHOW ' + shown)}: {CATALOGUE}. {ONLY_TABLES}")
        elif node.get("class") == "FUNCTION" and id(node) not in table_function_nodes:
            _check_function(node, catalogue)


def _check_table_function(fn: dict) -> None:
    name = str(fn.get("function_name", ""))
    low = name.lower()
    if (fn.get("schema") or fn.get("catalog")) or low not in ALLOWED_TABLE_FUNCTIONS:
        if any(h in low for h in _FILE_HINTS):
            raise Refused(f"Refused: {code(name + '(...)')} reads files. {ONLY_TABLES}")
        raise Refused(
            f"Refused: the table function {code(name + '(...)')} is not available here. Allowed: "
            + ", ".join(f"`{f}`" for f in sorted(ALLOWED_TABLE_FUNCTIONS)) + "."
        )


def _check_table(node: dict, catalogue: Catalogue) -> None:
    name = str(node.get("table_name", ""))
    low = name.lower()
    if _looks_like_file(name):
        raise Refused(f"Refused: the table name {code(name)} is a file path, and reading files is not allowed. "
                      f"{ONLY_TABLES}")
    qualifier = ".".join(str(node.get(k) or "") for k in ("catalog_name", "schema_name") if node.get(k))
    if qualifier:
        raise Refused(f"Refused: {code(qualifier + '.' + name)}: names qualified by a schema or database "
                      f"(`pg_catalog`, `information_schema`, ...) are not available. {ONLY_TABLES}")
    if low in catalogue.reserved:
        raise Refused(f"Refused: {code(name)}: {CATALOGUE}. {ONLY_TABLES}")


def _check_function(node: dict, catalogue: Catalogue) -> None:
    name = str(node.get("function_name", ""))
    low = name.lower()
    if node.get("is_operator"):
        return
    if node.get("schema") or node.get("catalog"):
        raise Refused(f"Refused: {code(name + '(...)')} is qualified by a schema or database; call functions "
                      "by their plain name.")
    if is_catalogue(low):
        raise Refused(f"Refused: {code(name + '(...)')}: {CATALOGUE}. {ONLY_TABLES}")
    if low in catalogue.other_functions and low not in catalogue.functions | ALLOWED_TABLE_FUNCTIONS:
        raise Refused(f"Refused: {code(name + '(...)')} is not a plain scalar or aggregate function.")
    # A name the engine does not know at all is left to DuckDB, which refuses it as unknown.
