"""The scheduled refresh end to end (issue 11 part 3): a local stand-in for the Data API
(tests/openrouter_server.py) -> scripts/refresh_and_publish.sh (what
.github/workflows/refresh.yml runs) -> a local bare git repository as the remote ->
its `snapshots` branch checked out into a folder served over HTTP on 127.0.0.1 -> the
app (a real `streamlit run` with TOKENSHARE_SNAPSHOT=http://127.0.0.1:PORT/) in
Chromium, showing the headline computed independently from the Parquet files.

Day 1 publishes 2025-01-01..14; day 2 adds 2025-01-15 and fetches only from
2025-01-12 (the last 3 days again), counted on the stand-in server; the branch stays one
parentless commit holding the newest 2 snapshots. A refresh refused with HTTP 401 and a
missing key exit non-zero and leave the branch's commit unchanged.

The script runs in this repository (it adds a temporary git worktree and ref, and
removes them); the remote is the bare repository's path."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import _require_browser
from tests.e2e.published import StaticServer, headline
from tests.hostile import tried
from tests.openrouter_server import API_KEY, DAILY_DAY_LATER, FakeOpenRouter
from tokenshare.core.formatting import as_of_text

pytestmark = pytest.mark.browser

SCRIPT = srv.ROOT / "scripts" / "refresh_and_publish.sh"
BRANCH = "snapshots"
D = dt.date


def _require_git_repo() -> None:
    ok = shutil.which("git") and subprocess.run(
        ["git", "-C", str(srv.ROOT), "rev-parse", "--is-inside-work-tree"], capture_output=True).returncode == 0
    if not ok:
        if srv.ci():
            pytest.fail("CI=true and the repository is not a git work tree (or git is missing)", pytrace=False)
        pytest.skip("the refresh-and-publish test needs git and a git work tree")


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def run_script(remote: Path, base_url: str, *refresh_args: str, key: str | None = API_KEY):
    env = dict(os.environ)
    for var in ("OPENROUTER_API_KEY", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(var, None)
    if key is not None:
        env["OPENROUTER_API_KEY"] = key
    env.update({
        "OPENROUTER_BASE_URL": base_url,
        "TOKENSHARE_PUBLISH_REMOTE": str(remote),
        "TOKENSHARE_INSTALL": "0",  # the test's environment has the requirements
        "NO_PROXY": "127.0.0.1,localhost",
    })
    return subprocess.run(["bash", str(SCRIPT), "--since", "2025-01-01", "--window-days", "30",
                           "--category", "programming", *refresh_args],
                          cwd=srv.ROOT, env=env, capture_output=True, text=True, timeout=180)


def assert_repository_left_alone(fetched: str | None = None) -> None:
    """The script leaves nothing in this repository: no worktree, no ref, and (having
    fetched the commit ``fetched``) no shallow mark."""
    assert "tokenshare-publish" not in git("worktree", "list", cwd=srv.ROOT)
    assert git("for-each-ref", "refs/tokenshare-publish", cwd=srv.ROOT) == ""
    common = Path(git("rev-parse", "--git-common-dir", cwd=srv.ROOT))
    shallow = (common if common.is_absolute() else srv.ROOT / common) / "shallow"
    assert fetched is None or not shallow.exists() or fetched not in shallow.read_text()


def branch_commit(remote: Path) -> str:
    return git("--git-dir", str(remote), "rev-parse", f"refs/heads/{BRANCH}")


def checkout(remote: Path, dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    git("clone", "-q", "--branch", BRANCH, "--single-branch", str(remote), str(dest))
    return dest


@pytest.fixture(scope="module")
def stand_in():
    with FakeOpenRouter() as s:
        yield s


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    _require_git_repo()
    path = tmp_path_factory.mktemp("remote") / "tokenshare.git"
    git("init", "-q", "--bare", str(path))
    return path


@pytest.fixture(scope="module")
def day1(remote, stand_in):
    run = run_script(remote, stand_in.base_url, "--until", "2025-01-14")
    assert run.returncode == 0, run.stdout + run.stderr
    return run


def test_day_one_publishes_one_parentless_commit(day1, remote, tmp_path):
    assert API_KEY not in day1.stdout + day1.stderr
    commit = branch_commit(remote)
    assert git("--git-dir", str(remote), "rev-list", "--count", commit) == "1"
    root = checkout(remote, tmp_path / "served")
    pointer = json.loads((root / "latest.json").read_text())
    assert (pointer["start_date"], pointer["end_date"]) == ("2025-01-01", "2025-01-14")
    manifest = json.loads((root / pointer["id"] / "manifest.json").read_text())
    assert {"usage_by_category.parquet", "model_endpoints.parquet"} <= set(manifest["files"])
    assert sorted(p.name for p in root.iterdir() if p.name != ".git") == sorted(["latest.json", pointer["id"]])
    assert not any(p.name.startswith(".publish") for p in root.rglob("*"))
    assert_repository_left_alone()


def test_a_failed_refresh_leaves_the_branch_and_fails(day1, remote, stand_in):
    before = branch_commit(remote)
    seen = len(stand_in.requests)
    bad_key = "sk-or-v1-WRONG-KEY-refresh-and-publish-0000"
    run = run_script(remote, stand_in.base_url, "--until", "2025-01-15", key=bad_key)
    out = run.stdout + run.stderr
    assert run.returncode != 0 and "branch is unchanged" in out, out
    assert any(r.status == 401 for r in stand_in.requests[seen:]), "the refresh did not reach the Data API"
    assert bad_key not in out
    assert branch_commit(remote) == before
    tried("refresh")

    run = run_script(remote, stand_in.base_url, "--until", "2025-01-15", key=None)
    assert run.returncode != 0 and "OPENROUTER_API_KEY is not set" in run.stderr
    assert branch_commit(remote) == before
    tried("refresh")

    run = run_script(remote, stand_in.base_url, "--until", "not-a-date")
    assert run.returncode != 0 and branch_commit(remote) == before
    tried("refresh")


def test_day_two_adds_only_the_new_days_and_the_app_shows_it(day1, remote, stand_in, tmp_path, context_factory):
    _require_browser()
    first = branch_commit(remote)
    stand_in.add_daily(DAILY_DAY_LATER)  # 2025-01-12..15, with 2025-01-13 restated
    seen = len(stand_in.requests)
    run = run_script(remote, stand_in.base_url, "--until", "2025-01-15")
    assert run.returncode == 0, run.stdout + run.stderr
    daily = [r.params for r in stand_in.requests[seen:]
             if r.path.endswith("/datasets/rankings-daily") and r.params.get("period", "day") == "day"]
    segment_filters = {"modality", "context_bucket"}
    windows = [(p["start_date"], p["end_date"]) for p in daily if not segment_filters & set(p)]
    assert windows == [("2025-01-12", "2025-01-15")], windows
    # --segments: the 10 daily segment lists, incrementally, over the same days
    segments = {(p["start_date"], p["end_date"]) for p in daily if segment_filters & set(p)}
    assert len([p for p in daily if segment_filters & set(p)]) == 10 and segments == {("2025-01-12", "2025-01-15")}

    commit = branch_commit(remote)
    assert commit != first and git("--git-dir", str(remote), "rev-list", "--count", commit) == "1"
    assert_repository_left_alone(fetched=first)
    root = checkout(remote, tmp_path / "served")
    pointer = json.loads((root / "latest.json").read_text())
    assert pointer["end_date"] == "2025-01-15"
    kept = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != ".git")
    assert len(kept) == 2 and pointer["id"] in kept  # --keep 2: today's and yesterday's
    snap = root / pointer["id"]
    claude_13 = [r["total_tokens"] for r in pq.read_table(snap / "usage.parquet").to_pylist()
                 if r["date"] == D(2025, 1, 13) and r["model_permaslug"].startswith("anthropic/")]
    assert claude_13 == [650_000]  # the restated figure won
    share, week = headline(snap)

    # the published branch, served over HTTP, read by the app
    with StaticServer(root) as served:
        app = srv.start_server(srv.server_env(served.url, {"TOKENSHARE_CACHE_DIR": str(tmp_path / "cache")}),
                               tmp_path / "streamlit.log")
        try:
            page = context_factory().new_page()
            srv.open_page(page, app.url + "/")
            srv.wait_charts_drawn(page, 1)
            assert srv.metric_values(page)[0] == f"{share:.1%}", (share, week, app.log()[-2000:])
            text = page.locator("[data-testid='stApp']").inner_text()
            assert "synthetic" not in text.lower()
            # the footer cites the published snapshot the pointer names: day 2's
            assert f"as of {as_of_text(pointer['as_of'])}" in text and f"Snapshot {pointer['id']}" in text, text[-600:]
        finally:
            app.stop()
