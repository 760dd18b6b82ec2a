"""The navigation (app.py): the pages in three sections, each page's URL unchanged."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"
SECTIONS = {
    "Market": ["home", "share", "race", "race-animated", "countries", "launches"],
    "Evidence": ["claims", "spend", "providers", "value", "segments", "apps", "categories"],
    "Data": ["workbench", "compare", "data"],
}


def _navigation() -> dict[str, list[str]]:
    """Section -> the url_path of each st.Page in it, from the dict app.py hands over."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "pages" for t in node.targets):
            assert isinstance(node.value, ast.Dict), "app.py's pages are a dict of sections"
            return {k.value: [next(kw.value.value for kw in call.keywords if kw.arg == "url_path")
                              for call in v.elts]
                    for k, v in zip(node.value.keys, node.value.values)}
    raise AssertionError("app.py has no `pages = {...}`")


def test_the_pages_are_in_three_sections_in_order():
    assert _navigation() == SECTIONS


def test_every_page_is_in_one_section_once():
    paths = [p for section in _navigation().values() for p in section]
    assert len(paths) == len(set(paths))


def test_app_hands_the_sections_to_st_navigation():
    text = APP.read_text(encoding="utf-8")
    # the page st.navigation picks is run (and then handed to the share control)
    # expanded: with more than 12 pages Streamlit otherwise folds all but 10 behind "View N more"
    assert "current = st.navigation(pages, expanded=True)" in text
    assert "\ncurrent.run()\n" in text
