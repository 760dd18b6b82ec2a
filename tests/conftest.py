"""Shared fixtures: real snapshots on disk and real DuckDB databases over them."""

from __future__ import annotations

import os
from pathlib import Path

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


# --------------------------------------------------------------------- parallel runs
# scripts/test.sh runs the suite on two pytest-xdist workers with --dist loadgroup: a
# group is a unit of work that one worker runs whole. The browser suite (tests/e2e/) is
# one group, so its session servers (app_server, sample_server) and its Chromium start
# once, in one worker, and its timing-sensitive waits (server.wait_rerun) never share the
# machine with a second browser run; every other module is a group of its own, so its
# module-scoped fixtures (snapshots, servers, sandboxes) are built once, not once per
# worker. A test may name its own group with @pytest.mark.xdist_group("...").
E2E = Path(__file__).resolve().parent / "e2e"
BROWSER_GROUP = "browser"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            in_e2e = E2E in Path(item.path).parents
            group = BROWSER_GROUP if in_e2e else item.nodeid.split("::", 1)[0]
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_sessionfinish(session):
    """On an xdist worker: hand this worker's hostile-input tally to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from tests.hostile import TALLY

        workeroutput["hostile_tally"] = dict(TALLY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """On the xdist controller: add up the workers' hostile-input tallies."""
    from tests.hostile import TALLY

    TALLY.update(getattr(node, "workeroutput", {}).get("hostile_tally", {}))


def pytest_terminal_summary(terminalreporter):
    """The hostile inputs this run tried, by category (tests/hostile.py), all workers'."""
    from tests.hostile import TALLY

    if TALLY:
        parts = ", ".join(f"{k} {v:,}" for k, v in sorted(TALLY.items()))
        terminalreporter.write_line(f"hostile inputs tried: {sum(TALLY.values()):,} ({parts})")
