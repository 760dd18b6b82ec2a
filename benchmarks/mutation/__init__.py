"""Mutation testing: ``python -m benchmarks.mutation [--only NAME ...] [--rate R]`` (not in CI).

Plants one small bug at a time (a mutant) in the code that carries the app's figures and
runs the tests that cover it: a mutant the tests fail on is killed; one they pass is a
survivor, a bug the suite would not notice (or an equivalent mutant, which changes no
result: those are listed with a reason in ``equivalent.txt`` and left out of the score).

- What is mutated (``targets``): ``tokenshare/analysis/`` (``tail/`` included), the pure
  parts of the engine, every named query under ``queries/pages`` and ``queries/build``.
- Operators: ``py_ops`` (``ast``-found, applied as text edits) and ``sql_ops`` (over the
  query's tokens). ``mutant`` holds one mutant, its stable id and its diff.
- Tests per target: the test files outside ``tests/e2e`` that name it (``targets``); a
  test file that fails unmutated, or takes longer than ``--slow``, is left out. A Python
  mutant runs fewer (``narrow``): of those files, the ones naming the function it is in
  or a function of the module calling it, and of each only the test functions that reach
  those names (through a fixture, helper or constant of the file too); a mutant outside
  every function, or one whose function no test names, runs them all.
- Running (``run``, ``forkserver``): the repository is copied once per worker (two by
  default) to a temporary folder, never edited in place; each mutant is written into
  its worker's copy, ``pytest -x -q -p no:cacheprovider <files>`` runs in a child forked
  from a server that has the heavy libraries imported, with a timeout per mutant
  (3x the files' baseline + 10 s, at least 30 s), and the file is put back.
- Sampling: a full run has some 2,000 mutants and would take hours on two cores, so by
  default 5% of each target's mutants (at least one) are run, drawn by a generator
  seeded with ``--seed`` and the target's path (the same sample every run of unchanged
  files), plus the mutants in ``pinned.txt``; ``--only NAME`` runs every mutant of one
  module or query. Every sampled mutant runs (``--budget`` can stop new ones starting).
- ``report``: the score per module and per query, per group, the survivors with their
  diffs; ``--json`` keeps a run and ``--compare`` prints it beside this one."""
