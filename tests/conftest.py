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


# --------------------------------------------------------------------- parallel runs
# scripts/test.sh runs the suite on two pytest-xdist workers (-n 2 --dist loadgroup). A
# group is a unit of work one worker runs whole. The browser suite
# (tests/e2e/) is one group, handed out first: its session servers (app_server,
# sample_server) and its Chromium start once, in one worker, and its timing-sensitive
# waits (server.wait_rerun) never share the machine with a second browser suite. Every
# other test file is a group of its own, so its module-scoped fixtures (snapshots,
# servers, sandboxes) are built once, not once per worker; the other worker takes them
# one by one (the long ones first, FIRST), and the browser worker joins in when it is
# done. The deploy rehearsal (tests/e2e/test_deploy_rehearsal.py) is a file group too:
# most of its minute is a pip install into a new venv, which needs no browser.
#
# The groups come from the file path here, not from @pytest.mark.xdist_group: xdist 3.8
# marks a group by renaming the test's node id, which pytest 9.2 no longer reads (the
# id is structured now), so --dist loadgroup alone would split every file over both
# workers and start the browser suite's servers twice.
BROWSER_GROUP = "browser"
BESIDE_BROWSER = {"tests/e2e/test_deploy_rehearsal.py"}
# Handed out first, in this order: the groups of a minute or more (the httpfs check
# builds its side venv on a fresh machine).
FIRST = (BROWSER_GROUP, "tests/e2e/test_deploy_rehearsal.py", "tests/data/test_httpfs_in_place.py")


def xdist_group(nodeid: str) -> str:
    """The group of a test: "browser" for tests/e2e/ (but the files in BESIDE_BROWSER),
    else the test's file."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("tests/e2e/") and path not in BESIDE_BROWSER:
        return BROWSER_GROUP
    return path


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid)

        def _assign_work_unit(self, node) -> None:
            # the long units first (xdist orders the rest by test count, which would
            # leave a one-test minute such as the rehearsal for the end, on its own)
            for group in reversed(FIRST):
                if group in self.workqueue:
                    self.workqueue.move_to_end(group, last=False)
            super()._assign_work_unit(node)

    return GroupScheduling(config, log)


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
