"""A pytest fork server: run as a script (``python forkserver.py``, so the repository is
not on ``sys.path``), it imports the heavy libraries once (pandas, DuckDB, Streamlit's
AppTest...) and then, for each job read from stdin (a JSON line: the repository copy,
pytest's arguments, a timeout, a log file), forks a child that changes into the copy,
puts it first on ``sys.path`` and runs ``pytest.main``; the project's own modules are
imported fresh in each child, from the copy, with the mutant in it. It answers one JSON
line per job: the exit code (None on a timeout) and the seconds taken.

Saves the 1.5-2.5 s each pytest process spends importing the same libraries, per mutant."""

from __future__ import annotations

import json
import os
import signal
import sys
import time


def _preload() -> None:
    import importlib.metadata

    import pytest  # noqa: F401
    for ep in importlib.metadata.entry_points(group="pytest11"):  # the plugins pytest loads each run
        try:
            ep.load()
        except Exception:  # a plugin that fails here fails (or not) in the child, as in pytest
            pass
    for name in ("numpy", "pandas", "pyarrow", "duckdb", "altair", "streamlit", "streamlit.testing.v1",
                 "requests"):
        try:
            __import__(name)
        except Exception:  # a library missing here is imported (or not) by the child
            pass


def _child(job: dict) -> None:
    os.setsid()
    fd = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.chdir(job["repo"])
    sys.path.insert(0, job["repo"])
    import pytest
    try:
        rc = int(pytest.main(job["args"]))
    except BaseException as exc:  # noqa: BLE001 - reported as an error code, never raised here
        print(f"forkserver child: {exc!r}", flush=True)
        rc = 3
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)


def _run(job: dict) -> dict:
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(job)
    deadline = t0 + job["timeout"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return {"rc": os.waitstatus_to_exitcode(status), "seconds": time.monotonic() - t0}
        if time.monotonic() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            return {"rc": None, "seconds": time.monotonic() - t0}
        time.sleep(0.05)


def main() -> None:
    if "--no-preload" not in sys.argv:
        _preload()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        print(json.dumps(_run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
