"""Docs that cannot drift: every setting and every named query has its line in docs/
(the URL keys' table is checked in tests/app/test_url_registry.py).

- docs/settings.md's table is the one ``settings.markdown_table()`` makes of
  ``settings.VARIABLES``; every ``TOKENSHARE_*`` / ``OPENROUTER_*`` name the app's code
  (``tokenshare/``, ``app.py``, ``views/``) names is declared there, and every declared
  one is named by the code; a name only scripts, deployment files or tests use is named
  in some doc;
- docs/queries.md's list is the one ``sql.markdown_catalogue()`` makes of ``queries/``.
Each check also runs on a planted tree, so it cannot pass vacuously."""

from __future__ import annotations

import re
from pathlib import Path

from tokenshare.core import settings, sql

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"\b(?:TOKENSHARE|OPENROUTER)_[A-Z][A-Z0-9_]*[A-Z0-9]\b")
APP_CODE = ("tokenshare", "views", "app.py")
OTHER_CODE = ("scripts", "deploy", ".github", "tests", "benchmarks", ".ci")
SKIP = frozenset({"__pycache__", "node_modules", ".tools"})


def _between(text: str, marker: str) -> str:
    start, end = f"<!-- {marker}:start -->\n", f"<!-- {marker}:end -->"
    assert start in text and end in text, f"the doc lost its {marker} markers"
    return text.split(start, 1)[1].split(end, 1)[0]


def _files(root: Path, tops: tuple[str, ...]):
    for top in tops:
        base = root / top
        paths = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for p in paths:
            if (p.is_file() and not SKIP & set(p.parts) and p.suffix not in {".parquet", ".png", ".duckdb"}
                    and p.name != Path(__file__).name):  # this file plants names of its own
                yield p


def names_in(root: Path, tops: tuple[str, ...]) -> dict[str, str]:
    """Each variable name the files under ``tops`` mention -> the first file naming it."""
    out: dict[str, str] = {}
    for p in _files(root, tops):
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for name in NAME.findall(text):
            out.setdefault(name, p.relative_to(root).as_posix())
    return out


def drift(root: Path, declared: set[str], docs_text: str) -> list[str]:
    """What is missing: names the app's code uses but does not declare, declared names
    it never uses, and names other files use that no doc mentions."""
    app = names_in(root, APP_CODE)
    problems = [f"{n} (named in {f}) is not declared in tokenshare/core/settings.py VARIABLES"
                for n, f in sorted(app.items()) if n not in declared]
    problems += [f"{n} is declared in VARIABLES but no code in {', '.join(APP_CODE)} names it"
                 for n in sorted(declared - set(app))]
    other = names_in(root, OTHER_CODE)
    problems += [f"{n} (named in {f}) is described in no doc under docs/"
                 for n, f in sorted(other.items()) if n not in app and n not in docs_text]
    return problems


def _docs_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "docs").glob("*.md")))


def test_the_settings_table_is_the_generated_one():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert _between(doc, "settings-table").strip() == settings.markdown_table().strip(), (
        "docs/settings.md's table is not the one settings.markdown_table() makes: paste the new one in")


def test_every_variable_is_declared_and_documented():
    declared = {v.name for v in settings.VARIABLES}
    assert len(declared) == len(settings.VARIABLES), "a variable is declared twice"
    problems = drift(ROOT, declared, _docs_text(ROOT))
    assert not problems, "\n".join(problems)


def test_the_drift_check_catches_planted_names(tmp_path):
    (tmp_path / "tokenshare").mkdir()
    (tmp_path / "tokenshare" / "mod.py").write_text('X = "TOKENSHARE_NEW_KNOB"\nY = "TOKENSHARE_KNOWN"\n')
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run.sh").write_text('echo "$TOKENSHARE_SCRIPT_ONLY $TOKENSHARE_DOCUMENTED"\n')
    problems = drift(tmp_path, {"TOKENSHARE_KNOWN", "TOKENSHARE_STALE"}, "TOKENSHARE_DOCUMENTED is ...")
    assert [p.split(" ")[0] for p in problems] == [
        "TOKENSHARE_NEW_KNOB", "TOKENSHARE_STALE", "TOKENSHARE_SCRIPT_ONLY"], problems


def test_the_query_list_is_the_generated_one():
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert _between(doc, "queries") == sql.markdown_catalogue(), (
        "docs/queries.md's list is not the one sql.markdown_catalogue() makes: paste the new one in")


def test_every_query_has_a_line_and_a_header():
    listed = re.findall(r"^\| `([a-z0-9_]+)` \|", sql.markdown_catalogue(), re.M)
    assert sorted(listed) == sql.all_query_names()
    assert all(sql.query_summary(n) != "(no header)" for n in listed), "a query has no header comment"
