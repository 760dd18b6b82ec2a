"""The pages app.py declares, read from its source, so a page added there is tested."""

from __future__ import annotations

import ast

from tests.e2e import server as srv


def app_page_entries() -> list[dict]:
    """Every st.Page(...) in app.py: url_path, default, hidden; so a page added there
    is tested here."""
    tree = ast.parse((srv.APP).read_text(encoding="utf-8"))
    entries = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            entries.append({"url_path": kw.get("url_path"), "default": kw.get("default") is True,
                            "hidden": kw.get("visibility") == "hidden"})
    assert entries and all(e["url_path"] for e in entries), "every st.Page in app.py names its url_path"
    return entries


def app_pages() -> list[str]:
    """The public URL path of every page: "" for the default page."""
    return ["" if e["default"] else e["url_path"] for e in app_page_entries()]


# Query strings that make a page show everything it can draw.
PAGE_QUERY = {"countries": "?country=US", "data": "?part=Coverage"}  # Data: the tab with its charts
# Charts a page draws at least (with PAGE_QUERY). A page not named here must still
# draw a chart, a table or a message, with every chart drawn and no exception.
MIN_CHARTS = {"": 2, "share": 2, "race": 2, "countries": 2, "providers": 2, "data": 2}
