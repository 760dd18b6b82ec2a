"""The mutation harness (benchmarks/mutation): its operators make the mutants expected
on tiny inputs (each listed by hand), and a planted mutant is killed by a test that
checks the mutated code while the unmutated code passes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from benchmarks.mutation.mutant import Mutant
from benchmarks.mutation.py_ops import py_mutants
from benchmarks.mutation.run import Worker, classify
from benchmarks.mutation.sql_ops import sql_mutants
from benchmarks.mutation.targets import read_keyed

SQL = """-- a comment with a < b and sum(x) that is never mutated
SELECT a, sum(x) AS s, coalesce(max(y), 0) AS m
FROM t JOIN u ON t.k = u.k AND t.d <= u.d
WHERE a > 1 AND b IS DISTINCT FROM 'x < y' AND c BETWEEN 1 AND 2
GROUP BY a
ORDER BY s DESC, a
"""


def mutated(mutants, text):
    return {(m.operator, m.apply(text)) for m in mutants}


def lines_changed(mutants, text):
    """Each mutant as (operator, the first changed line after the change)."""
    out = set()
    for m in mutants:
        new = m.apply(text).splitlines()
        old = text.splitlines()
        i = next(i for i, (a, b) in enumerate(zip(old, new)) if a != b)
        out.add((m.operator, new[i].strip()))
    return out


def test_sql_operators_make_the_expected_mutants():
    got = lines_changed(sql_mutants("q.sql", SQL), SQL)
    expected = {
        ("sql.cmp", "FROM t JOIN u ON t.k = u.k AND t.d < u.d"),
        ("sql.cmp", "WHERE a >= 1 AND b IS DISTINCT FROM 'x < y' AND c BETWEEN 1 AND 2"),
        ("sql.order", "ORDER BY s ASC, a"),
        ("sql.order_desc", "ORDER BY s DESC, a DESC"),
        ("sql.drop_on", "FROM t JOIN u ON t.d <= u.d"),
        ("sql.drop_on", "FROM t JOIN u ON t.k = u.k"),
        ("sql.drop_where", "WHERE b IS DISTINCT FROM 'x < y' AND c BETWEEN 1 AND 2"),
        ("sql.drop_where", "WHERE a > 1 AND c BETWEEN 1 AND 2"),
        ("sql.drop_where", "WHERE a > 1 AND b IS DISTINCT FROM 'x < y'"),  # BETWEEN's AND kept whole
        ("sql.distinct", "WHERE a > 1 AND b <> 'x < y' AND c BETWEEN 1 AND 2"),
        ("sql.swap", "SELECT a, max(x) AS s, coalesce(max(y), 0) AS m"),
        ("sql.swap", "SELECT a, sum(x) AS s, coalesce(min(y), 0) AS m"),
        ("sql.bound", "WHERE a > 2 AND b IS DISTINCT FROM 'x < y' AND c BETWEEN 1 AND 2"),
        ("sql.bound", "WHERE a > 0 AND b IS DISTINCT FROM 'x < y' AND c BETWEEN 1 AND 2"),
        ("sql.coalesce", "SELECT a, sum(x) AS s, coalesce(max(y), 1) AS m"),
    }
    assert got == expected
    assert all("a comment" in m.apply(SQL) for m in sql_mutants("q.sql", SQL))  # comments untouched


def test_sql_window_frames_intervals_and_a_lone_condition():
    text = ("SELECT sum(v) OVER (ORDER BY d ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) FROM t "
            "WHERE d >= DATE '2026-01-05' - INTERVAL 7 DAY\n")
    got = lines_changed(sql_mutants("q.sql", text), text)
    assert ("sql.bound", text.strip().replace("6 PRECEDING", "7 PRECEDING")) in got
    assert ("sql.bound", text.strip().replace("6 PRECEDING", "5 PRECEDING")) in got
    assert ("sql.bound", text.strip().replace("INTERVAL 7", "INTERVAL 8")) in got
    assert ("sql.drop_where", text.strip().split("WHERE")[0] + "WHERE TRUE") in got
    assert ("sql.order_desc", text.strip().replace("ORDER BY d ROWS", "ORDER BY d DESC ROWS")) in got


PY = textwrap.dedent('''\
    def top(df, n):
        """Docstring < kept."""
        kept = df[(df["tokens"] > 0) & ~df["is_partial"]]
        if n >= 1 and not kept.empty:
            return kept.sort_values("tokens", ascending=False).head(n)["tokens"].max()
        return None
''')


def test_python_operators_make_the_expected_mutants():
    got = lines_changed(py_mutants("m.py", PY), PY)
    kept = 'kept = df[(df["tokens"] > 0) & ~df["is_partial"]]'
    ret = 'return kept.sort_values("tokens", ascending=False).head(n)["tokens"].max()'
    expected = {
        ("py.cmp", kept.replace("> 0", ">= 0")),
        ("py.const", kept.replace("> 0", "> 1")),
        ("py.const", kept.replace("> 0", "> -1")),
        ("py.arith", kept.replace(") & ~", ") | ~")),
        ("py.drop_conjunct", 'kept = df[df["tokens"] > 0]'),
        ("py.drop_conjunct", 'kept = df[~df["is_partial"]]'),
        ("py.drop_filter", "kept = df"),
        ("py.negation", kept.replace("~", "")),
        ("py.cmp", "if n > 1 and not kept.empty:"),
        ("py.const", "if n >= 2 and not kept.empty:"),
        ("py.const", "if n >= 0 and not kept.empty:"),
        ("py.boolop", "if n >= 1 or not kept.empty:"),
        ("py.drop_conjunct", "if not kept.empty:"),
        ("py.drop_conjunct", "if n >= 1:"),
        ("py.negation", "if n >= 1 and kept.empty:"),
        ("py.const", ret.replace("False", "True")),
        ("py.swap", ret.replace(".head(", ".tail(")),
        ("py.swap", ret.replace(".max()", ".min()")),
    }
    assert got == expected  # the docstring's "<" is never mutated


def test_mutant_ids_survive_edits_elsewhere_in_the_file():
    m = next(m for m in py_mutants("m.py", PY) if m.operator == "py.drop_filter")
    shifted = "import os\n\n" + PY
    m2 = next(m for m in py_mutants("m.py", shifted) if m.operator == "py.drop_filter")
    assert m.key(PY) == m2.key(shifted) and m.line(PY) + 2 == m2.line(shifted)


def test_known_equivalent_and_pinned_files_read_ids_and_reasons(tmp_path):
    f = tmp_path / "equivalent.txt"
    f.write_text("# comment\n\nq.sql:sql.cmp:abc  only ever compared with distinct values\n")
    assert read_keyed(f) == {"q.sql:sql.cmp:abc": "only ever compared with distinct values"}


def test_a_planted_mutant_is_killed_and_the_original_passes(tmp_path):
    """A two-file project in a temporary folder: the harness's worker (fork server and
    all) runs its test unmutated (passes), with a mutant the test checks (killed), and
    with one it does not (survives); the file is put back after each."""
    (tmp_path / "shares.py").write_text("def share(part, whole):\n    return part / whole if whole > 0 else None\n")
    (tmp_path / "test_shares.py").write_text(
        "from shares import share\n\n\ndef test_share():\n    assert share(1, 4) == 0.25\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    logs = tmp_path / "logs"
    logs.mkdir()
    original = (tmp_path / "shares.py").read_text()
    # no pandas, Streamlit or pytest plugins needed here: a second, not a minute, under load
    worker = Worker(tmp_path, logs, preload=False, env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    try:
        rc, _, _ = worker.run(["test_shares.py"], 60, "baseline")
        assert classify(rc) == "survived"  # the unmutated code passes
        by_op = {(m.operator, m.replacement): m for m in py_mutants("shares.py", original)}
        killed = worker.run_mutant(by_op[("py.arith", "*")], original, ["test_shares.py"], 60, "div")
        assert killed.status == "killed", Path(killed.log).read_text()
        survived = worker.run_mutant(by_op[("py.cmp", ">=")], original, ["test_shares.py"], 60, "cmp")
        assert survived.status == "survived"  # whole == 0 is never tested: a real gap
        assert (tmp_path / "shares.py").read_text() == original
    finally:
        worker.close()


def test_the_command_line_lists_a_sample_without_running_it():
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-m", "benchmarks.mutation", "--only", "leader_spells", "--list"],
                         cwd=root, capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.startswith("1 targets, ")
    assert "queries/pages/leader_spells.sql:sql.order_desc:54d54fbf4d" in out  # the pinned tie-break reversal
    assert "tests/engine/test_queries.py" in out


def test_a_mutant_replaces_its_span_only():
    assert Mutant("x.sql", 6, 7, "<=", "sql.cmp").apply("a = b < c") == "a = b <= c"


NARROW_MODULE = '''LIMIT = 3


def _helper(x):
    return x + 1


def public(x):
    return _helper(x) * 2


def other(x):
    return x - LIMIT
'''

NARROW_TESTS = {
    "tests/test_a.py": "from m import public, other\n\n\n@pytest.fixture\ndef made():\n    return public(1)\n\n\n"
                       "def test_made(made):\n    assert made == 4\n\n\ndef test_other():\n    assert other(4) == 1\n",
    "tests/test_b.py": "from m import other\n\n\ndef test_other():\n    assert other(3) == 0\n",
}


def test_a_python_mutant_runs_the_tests_naming_its_function_or_a_caller():
    from benchmarks.mutation import narrow

    files = list(NARROW_TESTS)
    at = NARROW_MODULE.index("x + 1")  # inside _helper, which public calls
    assert narrow.enclosing(NARROW_MODULE, at) == "_helper"
    assert narrow.entry_names(NARROW_MODULE, "_helper") == {"_helper", "public"}
    # test_a names public (through its fixture `made`); test_b names neither
    assert narrow.tests_for(NARROW_MODULE, at, files, NARROW_TESTS) == ["tests/test_a.py::test_made"]
    assert narrow.tests_for(NARROW_MODULE, at, files, NARROW_TESTS, items=False) == ["tests/test_a.py"]
    # a module-level constant: every file; `other`: both files' test_other
    assert narrow.tests_for(NARROW_MODULE, NARROW_MODULE.index("3"), files, NARROW_TESTS) == files
    assert narrow.tests_for(NARROW_MODULE, NARROW_MODULE.index("x - LIMIT"), files, NARROW_TESTS) == [
        "tests/test_a.py::test_other", "tests/test_b.py::test_other"]
    assert narrow.files_of(["tests/test_a.py::test_made", "tests/test_a.py::test_other"]) == ["tests/test_a.py"]
