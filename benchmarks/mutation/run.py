"""Running mutants: two copies of the repository (one per worker), a fork server in each,
the baseline (every test file run once unmutated: it must pass, and its time sets the
timeouts), then every sampled mutant applied to its worker's copy, its tests run, and
the file put back.

The working tree is never written: the copies are made once, under a temporary folder,
from ``git ls-files`` (tracked and untracked-but-not-ignored files)."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.mutation.mutant import Mutant

PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider"]
FORKSERVER = Path(__file__).with_name("forkserver.py")


@dataclass
class Outcome:
    status: str  # "killed", "timeout", "survived", "error", "not run"
    seconds: float = 0.0
    log: str = ""


def repo_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, check=True,
                         capture_output=True).stdout.decode()
    return [f for f in out.split("\0") if f and (root / f).is_file()]


def copy_repo(root: Path, dest: Path, files: list[str]) -> None:
    for f in files:
        target = dest / f
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / f, target)


def tree_hash(root: Path, files: list[str]) -> str:
    """A hash of what every test file's result depends on but its own text: the code,
    the queries, the sample and the shared test helpers (tests/ files not named test_*)."""
    h = hashlib.sha256()
    for f in sorted(files):
        top = f.split("/", 1)[0]
        helper = top == "tests" and not Path(f).name.startswith("test_")
        if top in ("tokenshare", "queries", "views", "sample_data") or f == "app.py" or helper:
            h.update(f.encode() + b"\0" + (root / f).read_bytes())
    return h.hexdigest()


def file_key(root: Path, tree: str, test_file: str) -> str:
    """The key of one test file's baseline: the shared tree and the file's own text."""
    return hashlib.sha256(tree.encode() + (root / test_file).read_bytes()).hexdigest()


class Worker:
    """One repository copy and its fork server."""

    def __init__(self, repo: Path, logs: Path, preload: bool = True, env: dict | None = None):
        self.repo, self.logs = repo, logs
        # PYTHONDONTWRITEBYTECODE: an old .pyc must never stand in for a mutant
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **(env or {}))
        cmd = [sys.executable, "-B", str(FORKSERVER)] + ([] if preload else ["--no-preload"])
        self.proc = subprocess.Popen(cmd, cwd=repo, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        ready = self.proc.stdout.readline()
        if "ready" not in ready:
            raise RuntimeError(f"the fork server did not start: {ready!r}")

    def run(self, tests: list[str], timeout: float, log_name: str) -> tuple[int | None, float, Path]:
        log = self.logs / f"{log_name}.log"
        job = {"repo": str(self.repo), "args": PYTEST_ARGS + tests, "timeout": timeout, "log": str(log)}
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        return answer["rc"], answer["seconds"], log

    def run_mutant(self, mutant: Mutant, original: str, tests: list[str], timeout: float, name: str) -> Outcome:
        path = self.repo / mutant.path
        path.write_text(mutant.apply(original), encoding="utf-8")
        try:
            rc, seconds, log = self.run(tests, timeout, name)
        finally:
            path.write_text(original, encoding="utf-8")
        return Outcome(classify(rc), seconds, str(log))

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def classify(rc: int | None) -> str:
    """pytest's exit code: 0 all passed (the mutant survived), 1 a test failed, 2 a
    collection error (the mutant broke an import: killed too); no code is a timeout."""
    if rc is None:
        return "timeout"
    return {0: "survived", 1: "killed", 2: "killed"}.get(rc, "error")


class Pool:
    def __init__(self, root: Path, jobs: int):
        self.root = root
        self.tmp = Path(tempfile.mkdtemp(prefix="tokenshare-mutation-"))
        files = repo_files(root)
        self.tree = tree_hash(root, files)
        self.workers = []
        for i in range(jobs):
            repo = self.tmp / f"w{i}"
            copy_repo(root, repo, files)
            logs = self.tmp / f"logs{i}"
            logs.mkdir()
            self.workers.append(Worker(repo, logs))

    def map(self, jobs: list, fn, deadline: float | None = None) -> list:
        """``fn(worker, job)`` for every job, on every worker at once, in order of the
        list; jobs not started by ``deadline`` (time.monotonic) are answered None."""
        q: queue.Queue = queue.Queue()
        for i, job in enumerate(jobs):
            q.put((i, job))
        results: list = [None] * len(jobs)

        def loop(worker):
            while True:
                try:
                    i, job = q.get_nowait()
                except queue.Empty:
                    return
                if deadline is not None and time.monotonic() > deadline:
                    continue
                results[i] = fn(worker, job)

        threads = [threading.Thread(target=loop, args=(w,)) for w in self.workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    def close(self) -> None:
        for w in self.workers:
            w.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def baseline(pool: Pool, files: list[str], cache: Path, refresh: bool, slow: float) -> dict[str, dict]:
    """Each test file run alone, unmutated: {file: {"rc", "seconds"}}. A file's result is
    kept in ``cache`` while it and what it depends on (``tree_hash``) are unchanged, so a
    second run only runs the files that changed. A file stopped at its timeout has rc None."""
    kept = {}
    if cache.is_file() and not refresh:
        kept = json.loads(cache.read_text()).get("files", {})
    keys = {f: file_key(pool.root, pool.tree, f) for f in files}
    out = {f: kept[f] for f in files if f in kept and kept[f].get("key") == keys[f]}
    todo = [f for f in files if f not in out]
    # a file still running at twice ``slow`` would be left out anyway: stop it there
    results = pool.map(todo, lambda w, f: w.run([f], max(60.0, 2 * slow), "baseline-" + f.replace("/", "_")))
    for f, (rc, seconds, _log) in zip(todo, results):
        out[f] = {"rc": rc, "seconds": round(seconds, 2), "key": keys[f]}
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"files": {**kept, **out}}, indent=1))
    return out
