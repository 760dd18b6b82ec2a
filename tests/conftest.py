"""Shared fixtures: real snapshots on disk and real DuckDB databases over them."""

from __future__ import annotations

import pytest

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
