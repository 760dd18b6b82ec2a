"""Shared fixtures: real snapshots on disk and real DuckDB databases over them."""

from __future__ import annotations

import os

import pytest

# No background refresh in the tests (an app with a key would otherwise start one at
# OpenRouter from every AppTest run and browser-test server); the auto-refresh tests
# switch it on themselves.
os.environ["TOKENSHARE_AUTO_REFRESH"] = "0"

from tests.tiny import build_tiny_snapshot
from tokenshare.engine.db import SnapshotDB


@pytest.fixture(scope="session")
def tiny_snapshot(tmp_path_factory):
    return build_tiny_snapshot(tmp_path_factory.mktemp("tiny") / "snap")


@pytest.fixture(scope="session")
def tiny_db(tiny_snapshot):
    db = SnapshotDB(tiny_snapshot)
    yield db
    db.close()


def pytest_terminal_summary(terminalreporter):
    """The hostile inputs this run tried, by category (tests/hostile.py)."""
    from tests.hostile import TALLY

    if TALLY:
        parts = ", ".join(f"{k} {v:,}" for k, v in sorted(TALLY.items()))
        terminalreporter.write_line(f"hostile inputs tried: {sum(TALLY.values()):,} ({parts})")
