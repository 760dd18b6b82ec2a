"""What is mutated, which tests cover it, which mutants are known to be equivalent, and
the deterministic sample.

Targets: every module of ``tokenshare/analysis/`` (``tail/`` included), the pure parts of
the engine (``ENGINE_PURE``), every named query under ``queries/pages`` and
``queries/build``.

Tests of a target: the test files outside ``tests/e2e`` that name it (a query by its
name, a module by its dotted path or ``from <package> import <module>``). A target no
test names (most build queries, a few page queries read through analysis code) falls
back one hop: the tests of the queries that use what it creates (``CREATE MACRO x``,
``CREATE TABLE x``), else the tests of the modules that name it, the three files naming
it most."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.mutation.mutant import Mutant
from benchmarks.mutation.py_ops import parses, py_mutants
from benchmarks.mutation.sql_ops import sql_mutants

ENGINE_PURE = ("tokenshare/engine/compare.py", "tokenshare/engine/workbench_gate.py",
               "tokenshare/engine/workbench_run.py")
# Test files too slow or too far from the figures to run per mutant (benches, a side venv).
NEVER = {"tests/test_bench.py", "tests/data/test_httpfs_in_place.py", "tests/test_docs.py",
         "tests/test_no_sql_formatting.py", "tests/test_layers.py", "tests/test_security.py",
         "tests/test_mutation_harness.py"}  # (it reads the query files to list their mutants)
FALLBACK_FILES = 3


@dataclass
class Target:
    path: str  # relative to the repository
    group: str  # "analysis", "engine" or "queries"
    tests: list[str] = field(default_factory=list)
    via: str = "named"  # how the tests were found: "named", "fallback" or "none"

    @property
    def name(self) -> str:
        p = Path(self.path)
        return p.stem if p.suffix == ".sql" else ".".join(p.with_suffix("").parts)


def list_targets(root: Path) -> list[Target]:
    out = [Target(str(p.relative_to(root)), "analysis") for p in sorted((root / "tokenshare/analysis").rglob("*.py"))
           if p.name != "__init__.py"]
    out += [Target(p, "engine") for p in ENGINE_PURE]
    for kind in ("pages", "build"):
        out += [Target(str(p.relative_to(root)), "queries") for p in sorted((root / "queries" / kind).glob("*.sql"))]
    return out


class TestIndex:
    """The text of every Python file under tests/ (e2e left out) and of the code."""

    def __init__(self, root: Path):
        self.root = root
        self.tests = {str(p.relative_to(root)): p.read_text(encoding="utf-8")
                      for p in sorted((root / "tests").rglob("*.py")) if "e2e" not in p.parts}
        self.code = {str(p.relative_to(root)): p.read_text(encoding="utf-8")
                     for d in ("tokenshare", "views") for p in sorted((root / d).rglob("*.py"))}
        # the fallback reads the pages and build queries only (the workbench's examples
        # name every table too, and their tests are the sandbox's)
        self.queries = {p.stem: p.read_text(encoding="utf-8")
                        for kind in ("pages", "build") for p in sorted((root / "queries" / kind).glob("*.sql"))}

    def naming(self, pattern: re.Pattern, texts: dict[str, str], word: str) -> Counter:
        """The files whose text matches ``pattern`` (``word``, a plain substring of every
        match, filters first: a regular expression over every file is slow)."""
        return Counter({path: n for path, text in texts.items()
                        if word in text and (n := len(pattern.findall(text)))})

    def test_files(self, counts: Counter) -> list[str]:
        """The test files among ``counts``, plus those importing a helper module among
        them (tests/tail_market.py is read through the tests that import it)."""
        out = Counter()
        for path, n in counts.items():
            if Path(path).name.startswith("test_"):
                out[path] += n
            else:
                helper = re.compile(rf"\b{re.escape(_dotted(path))}\b")
                for t, k in self.naming(helper, self.tests, _dotted(path)).items():
                    if Path(t).name.startswith("test_"):
                        out[t] += n * k
        return [p for p, _ in out.most_common() if p not in NEVER]

    def for_query(self, name: str) -> list[str]:
        # a query is run by its name in quotes: db.query("lab_ranks", ...)
        return self.test_files(self.naming(re.compile(rf"[\"']{name}[\"']"), self.tests, name))

    def for_module(self, dotted: str) -> list[str]:
        package, _, mod = dotted.rpartition(".")
        pattern = re.compile(rf"\b{re.escape(dotted)}\b|from {re.escape(package)} import [^\n]*\b{mod}\b")
        return self.test_files(self.naming(pattern, self.tests, mod))


def _dotted(path: str) -> str:
    return ".".join(Path(path).with_suffix("").parts)


def map_tests(targets: list[Target], index: TestIndex) -> None:
    for t in targets:
        if t.path.endswith(".sql"):
            t.tests = index.for_query(t.name)
            if not t.tests:
                t.tests, t.via = _query_fallback(t.name, index), "fallback"
        else:
            t.tests = index.for_module(t.name)
            if not t.tests:
                users = index.naming(re.compile(rf"\b{re.escape(t.name)}\b"), index.code, t.name)
                t.tests, t.via = _first(Counter({f: 1 for u in users for f in index.for_module(_dotted(u))})), "fallback"
        if not t.tests:
            t.via = "none"


def _query_fallback(name: str, index: TestIndex) -> list[str]:
    created = re.findall(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+)?(?:MACRO|TABLE|VIEW)\s+(\w+)",
                         index.queries[name], re.I)
    files: Counter = Counter()
    for obj in created:
        for q, text in index.queries.items():
            if q != name and obj in text and re.search(rf"\b{obj}\b", text):
                files.update(index.for_query(q))
    if not files:
        users = index.naming(re.compile(rf"[\"']{name}[\"']"), index.code, name)
        for u in users:
            files.update(index.for_module(_dotted(u)))
    return _first(files)


def _first(files: Counter) -> list[str]:
    return [p for p, _ in files.most_common(FALLBACK_FILES)]


def mutants_of(root: Path, target: Target) -> list[Mutant]:
    text = (root / target.path).read_text(encoding="utf-8")
    return sql_mutants(target.path, text) if target.path.endswith(".sql") else py_mutants(target.path, text)


def sample(root: Path, target: Target, mutants: list[Mutant], rate: float, seed: int,
           pinned: set[str]) -> list[Mutant]:
    """A deterministic sample: ``rate`` of the target's mutants (at least one), chosen by
    a generator seeded with ``seed`` and the target's path, plus every pinned mutant. The
    Python ones are checked to parse (a mutant that is not Python is not a test of the
    tests)."""
    text = (root / target.path).read_text(encoding="utf-8")
    if not target.path.endswith(".sql"):
        mutants = [m for m in mutants if parses(text, m)] if rate >= 1 else mutants
    keep = [m for m in mutants if m.key(text) in pinned]
    rest = [m for m in mutants if m.key(text) not in pinned]
    k = len(rest) if rate >= 1 else max(1, round(rate * len(rest)))
    rng = random.Random(f"{seed}:{target.path}")
    order = rng.sample(rest, len(rest))
    picked = []
    for m in order:
        if len(picked) >= k:
            break
        if target.path.endswith(".sql") or rate >= 1 or parses(text, m):
            picked.append(m)
    return keep + sorted(picked, key=lambda m: (m.start, m.operator, m.replacement))


def read_keyed(path: Path) -> dict[str, str]:
    """A file of mutant ids, one a line, each followed by its reason (``#`` comments)."""
    out = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, reason = line.partition(" ")
        out[key] = reason.strip()
    return out
