"""The URL registry (tokenshare/app/urls.py) is the one list of URL keys.

Read from the source (AST only, nothing is run): every key a page or the app layer binds
to the URL (``bind="query-params"``) or reads from it (``st.query_params``, the
``urlparams`` helpers) is declared in the registry, under the page that uses it; no page
words its own "Ignored … in the URL" notice; and docs/urls.md's URL table is the one the
registry generates."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tokenshare.app import urls
from tokenshare.app.urlcheck import check_key

ROOT = Path(__file__).resolve().parents[2]
SCANNED = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")), *sorted((ROOT / "tokenshare" / "app").rglob("*.py"))]
# The one module that reads st.query_params with a key it is given: it looks the key up
# in the registry first (urls.param raises for an undeclared key).
DYNAMIC_READER = ROOT / "tokenshare" / "app" / "urlparams.py"
KEY_HELPERS = {"warn_ignored", "last", "values", "param", "choices", "default"}  # urlparams.* / urls.*
README = ROOT / "docs" / "urls.md"  # the URL table (the README links to it)
START, END = "<!-- url-table:start -->", "<!-- url-table:end -->"


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _is_query_params(node) -> bool:
    """``st.query_params`` (or ``streamlit.query_params``)."""
    return isinstance(node, ast.Attribute) and node.attr == "query_params"


def url_keys_read(path: Path) -> list[tuple[str | None, int, str]]:
    """(key or None when not a constant, line, how) for every URL key the file binds or reads."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            kw = {k.arg: k.value for k in node.keywords if k.arg}
            bind = kw.get("bind")
            if isinstance(bind, ast.Constant) and bind.value == "query-params":
                key = kw.get("key")
                out.append((key.value if isinstance(key, ast.Constant) else None, node.lineno, "bind"))
            func = node.func
            if isinstance(func, ast.Attribute) and _is_query_params(func.value) and func.attr in ("get_all", "get"):
                arg = node.args[0] if node.args else None
                out.append((arg.value if isinstance(arg, ast.Constant) else None, node.lineno, "st.query_params"))
            if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id in ("urlparams", "urls") and func.attr in KEY_HELPERS and node.args
                    and isinstance(node.args[0], ast.Constant)):
                out.append((node.args[0].value, node.lineno, f"{func.value.id}.{func.attr}"))
        elif isinstance(node, ast.Subscript) and _is_query_params(node.value):
            sl = node.slice
            out.append((sl.value if isinstance(sl, ast.Constant) else None, node.lineno, "st.query_params[]"))
        elif isinstance(node, ast.Compare) and any(_is_query_params(c) for c in node.comparators):
            left = node.left
            out.append((left.value if isinstance(left, ast.Constant) else None, node.lineno, "in st.query_params"))
    return out


def app_pages() -> dict[str, set[str]]:
    """Page file -> its url paths, from the st.Page(...) calls in app.py."""
    out: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            out.setdefault(node.args[0].value, set()).add(kw["url_path"])
    return out


def test_the_scan_sees_the_pages_and_their_keys():
    """Guards against a vacuous pass."""
    found = {k for f in SCANNED for k, _, how in url_keys_read(f) if how == "bind"}
    assert {"start", "lab", "by", "frame", "sql", "view"} <= found
    assert len(app_pages()) >= 10


def test_every_key_the_app_reads_is_in_the_registry():
    problems = []
    for f in SCANNED:
        for key, line, how in url_keys_read(f):
            if key is None:
                if f != DYNAMIC_READER:
                    problems.append(f"{_rel(f)}:{line}: {how} with a key that is not a constant")
            elif key not in urls.PARAMS:
                problems.append(f"{_rel(f)}:{line}: {how} {key!r}, which tokenshare/app/urls.py does not declare")
    assert not problems, "\n".join(problems)


def test_each_key_is_declared_for_the_pages_that_bind_it():
    pages = app_pages()
    known_paths = set().union(*pages.values())
    bound_by: dict[str, set[str]] = {}
    problems = []
    for f in SCANNED:
        for key, line, how in url_keys_read(f):
            if how != "bind" or key is None:
                continue
            rel = _rel(f)
            bound_by.setdefault(key, set()).add(rel)
            spec = urls.PARAMS.get(key)
            if spec is None:
                continue  # reported by the test above
            if spec.is_global:
                if rel != "tokenshare/app/sidebar.py":
                    problems.append(f"{rel}:{line}: global key {key!r} is bound outside the sidebar")
            elif rel not in pages or not pages[rel] & set(spec.pages):
                problems.append(f"{rel}:{line}: {key!r} is bound here, but the registry lists it for {spec.pages}")
    for key, spec in urls.PARAMS.items():
        if key not in bound_by and spec.widget:
            problems.append(f"{key!r} is declared but no widget binds it")
        if not spec.is_global:
            unknown = set(spec.pages) - known_paths
            if unknown:
                problems.append(f"{key!r} names pages app.py does not have: {sorted(unknown)}")
    assert not problems, "\n".join(problems)


def test_pages_word_no_notice_of_their_own():
    """The "Ignored … in the URL" notices all come from tokenshare.app.urlcheck."""
    for f in sorted((ROOT / "views").glob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "Ignored" not in node.value, f"{_rel(f)}:{node.lineno} words an 'Ignored' notice itself"


def test_app_py_imports_no_page_vocabulary():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tokenshare"):
            assert not (node.module or "").startswith("tokenshare.analysis"), node.module
            assert all(not a.name.isupper() for a in node.names), [a.name for a in node.names]


@pytest.mark.parametrize("key", sorted(urls.PARAMS))
def test_every_declaration_is_complete(key):
    p = urls.PARAMS[key]
    assert p.key == key and p.kind in (urls.DATE, urls.CHOICE, urls.NUMBER, urls.SWITCH, urls.TEXT, urls.PICK, urls.MANY)
    assert p.pages and p.meaning.endswith(".")
    if p.kind in (urls.CHOICE, urls.SWITCH):
        assert p.choices and p.default in (p.choices if p.kind == urls.CHOICE else (True, False))
    if p.kind == urls.NUMBER:
        assert p.low <= p.default <= p.high
    if p.kind in (urls.DATE, urls.PICK, urls.MANY, urls.TEXT):
        assert p.values_text, "say what the values are"
    assert p.default is not None or p.default_text, "say what the default is"


def test_page_keys_are_checked_with_the_values_the_page_offers():
    assert check_key("old", ["nope"], allowed=["a", "sample"]) == [
        "Ignored `old=nope` in the URL: snapshots here are `a`, `sample` (folder names under data/snapshots/, "
        "or `sample`)."]
    assert check_key("category", ["x", "y", "roleplay"], allowed=["roleplay"]) == [
        "Ignored unknown categories `x`, `y` in the URL: choose from `roleplay`."]
    assert check_key("frame", ["2026-01-14"], allowed=["2026-01-12"], accept=lambda v: True) == []
    assert check_key("markers", ["TRUE"]) == [] and check_key("markers", ["yes"])
    assert check_key("sql", ["anything at all"]) == []  # the workbench checks its SQL itself
    with pytest.raises(KeyError, match="not declared"):
        check_key("nope", ["x"])


def test_the_readme_has_the_generated_url_table():
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text, (
        f"docs/urls.md needs the URL table between {START} and {END} (generate it with "
        "python -c 'from tokenshare.app import urls; print(urls.markdown_table())')")
    between = text.split(START, 1)[1].split(END, 1)[0]
    assert between.strip() == urls.markdown_table().strip(), (
        "docs/urls.md's URL table is not the one tokenshare/app/urls.py generates; replace it with "
        "python -c 'from tokenshare.app import urls; print(urls.markdown_table())'")
