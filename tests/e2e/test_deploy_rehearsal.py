"""The deployment rehearsed (issue 11 part 5), as Community Cloud or a fresh server does
it: a fresh `git clone` of this repository (its committed HEAD) into a temporary
folder, a new virtual environment with `requirements.txt` alone (pip, from PyPI), then
`streamlit run app.py` from the clone with every file of the clone read-only except the
cache folder, the app reading a published root (the tiny snapshot, published by the
clone's own `python -m tokenshare publish`) from a local HTTP server, checked in
Chromium: the headline equals the figure computed from the Parquet files.

As root, file modes do not stop writes, so the app then runs as `nobody` (setpriv),
who owns only the cache folder and a home folder outside the clone. After the run,
`git status --ignored` of the clone shows nothing but the cache folder.

Records the cold start (process start to the headline drawn) and the server's peak
memory (VmHWM) in test-artifacts/deploy-rehearsal.txt and on stdout; they are reported
in docs/deploy.md, not asserted."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.e2e import server as srv
from tests.e2e.conftest import ARTIFACTS, _require_browser
from tests.e2e.published import StaticServer, headline

pytestmark = pytest.mark.browser

NOBODY = 65534


def _need(ok: bool, problem: str) -> None:
    if not ok:
        if srv.ci():
            pytest.fail(f"CI=true and the rehearsal cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def workspace():
    # not pytest's tmp_path: its folders are 0700, and the app may run as nobody
    base = Path(tempfile.mkdtemp(prefix="tokenshare-rehearsal-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_fresh_clone_new_venv_read_only_files_published_root(workspace, tiny_for_browser, context_factory):
    _require_browser()
    _need(shutil.which("git") is not None and
          subprocess.run(["git", "-C", str(srv.ROOT), "rev-parse", "HEAD"], capture_output=True).returncode == 0,
          "git and a git repository are needed")
    as_root = os.geteuid() == 0
    _need(not as_root or shutil.which("setpriv") is not None, "running as root needs setpriv to drop to nobody")
    figures: dict[str, str] = {}

    # 1. a fresh clone and a new venv from requirements.txt alone
    clone = workspace / "tokenshare"
    run(["git", "clone", "-q", "--depth", "1", f"file://{srv.ROOT}", str(clone)])
    venv = workspace / "venv"
    t0 = time.monotonic()
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
         str(clone / "requirements.txt")], timeout=1200)
    figures["venv from requirements.txt"] = f"{time.monotonic() - t0:.0f} s"

    # 2. a published root, made with the clone's own command, served over HTTP
    published = workspace / "published"
    run([str(python), "-m", "tokenshare", "publish", str(tiny_for_browser.path), "--to", str(published)], cwd=clone)
    share, week = headline(tiny_for_browser.path)
    assert f"{share:.1%}" == "62.0%"  # the tiny snapshot's headline, worked out by hand (tests/tiny.py)

    # 3. the clone read-only except its cache folder
    cache = clone / "data" / "cache"
    cache.mkdir(parents=True)
    home = workspace / "home"
    home.mkdir()
    for dirpath, dirnames, filenames in os.walk(clone):
        if Path(dirpath) == cache or cache in Path(dirpath).parents:
            continue
        for name in filenames + dirnames:
            p = Path(dirpath) / name
            if p not in (cache, cache.parent) and not p.is_symlink():
                p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    prefix: list[str] = []
    if as_root:
        for p in (cache, home):
            os.chown(p, NOBODY, NOBODY)
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    for p in (clone, clone / "data"):
        p.chmod(0o555)

    with StaticServer(published) as served:
        port = srv.free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TOKENSHARE_", "OPENROUTER_"))}
        env.update({"TOKENSHARE_SNAPSHOT": served.url, "HOME": str(home), "PYTHONUNBUFFERED": "1",
                    "NO_PROXY": "127.0.0.1,localhost"})
        log_path = workspace / "streamlit.log"
        log = open(log_path, "wb")
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [*prefix, str(python), "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        server = srv.Server(port, proc, log_path, env)
        try:
            deadline = time.monotonic() + 120
            while True:
                assert proc.poll() is None, server.log()[-3000:]
                if srv.health_ok(server.url):
                    break
                assert time.monotonic() < deadline, server.log()[-3000:]
                time.sleep(0.1)
            health_s = time.monotonic() - t0
            page = context_factory().new_page()
            srv.open_page(page, server.url + "/", timeout=120_000)
            srv.wait_charts_drawn(page, 1)
            assert srv.metric_values(page)[0] == f"{share:.1%}", (srv.alerts(page), server.log()[-3000:])
            drawn_s = time.monotonic() - t0
            assert page.locator(srv.EXCEPTION).count() == 0
            # a second page, to see the read-only clone serve more than the first view
            srv.open_page(page, server.url + "/race")
            srv.wait_charts_drawn(page, 1)
            assert page.locator(srv.EXCEPTION).count() == 0
            _, peak_kib = srv.rss_kib(proc.pid)
            figures["cold start: process to /_stcore/health ok"] = f"{health_s:.1f} s"
            figures["cold start: process to the headline drawn in Chromium"] = f"{drawn_s:.1f} s"
            figures["server peak memory (VmHWM, Share then Race)"] = f"{peak_kib / 1024:.0f} MiB"
        finally:
            server.stop()
        log_text = server.log()
    assert "Traceback" not in log_text, log_text[-3000:]

    # 4. nothing in the clone changed but the cache folder
    for p in (clone, clone / "data"):
        p.chmod(0o755)
    status = run(["git", "-C", str(clone), "status", "--porcelain", "--ignored", "--untracked-files=all"]).stdout
    outside = [ln for ln in status.splitlines() if not ln[3:].startswith("data/cache/")]
    assert outside == [], outside

    load = os.getloadavg()
    figures["load average (1, 5, 15 min)"] = ", ".join(f"{x:.1f}" for x in load)
    report = "\n".join(f"{k}: {v}" for k, v in figures.items())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "deploy-rehearsal.txt").write_text(report + "\n", encoding="utf-8")
    print("\ndeploy rehearsal:\n" + report)
