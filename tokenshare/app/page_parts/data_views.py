"""The Data page's views: every page query (``queries/pages/``) whose header names the
page that draws it, in a line ``-- Page: <page> — <what it shows>``. Adding that line to
a query is all it takes to offer its table on the Data page (``?view=<query name>``)."""

from __future__ import annotations

import re
from functools import lru_cache

from tokenshare.core import sql

PAGE_LINE = re.compile(r"^Page:\s*(?P<page>.+?)\s+—\s+(?P<what>.+)$")


@lru_cache(maxsize=1)
def data_views() -> dict[str, str]:
    """Query name -> "<page>: <what it shows>", grouped by page (A to Z), then by name."""
    found = []
    for name in sql.all_query_names():
        if sql.query_kind(name) != "pages":
            continue
        for line in sql.query_header(name).splitlines():
            m = PAGE_LINE.match(line)
            if m:
                found.append((m["page"], name, f"{m['page']}: {m['what']}"))
    return {name: label for _, name, label in sorted(found)}


def header_without_page_line(name: str) -> str:
    """The query's header comment (what it returns, its parameters), less the Page line."""
    return "\n".join(line for line in sql.query_header(name).splitlines() if not PAGE_LINE.match(line))
