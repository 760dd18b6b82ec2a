"""The server side of the workbench's worker processes: a small pool of warm workers.

- **Bounded and fair.** At most ``size`` queries run at once on general workers, plus
  one on a worker kept for short queries; who runs where and for how long, how many
  wait, and the "busy, try again in N s" answer are ``workbench_fair.FairGate``'s.
- **Warm.** Workers live on between queries (start-up, about a second of imports and
  attaching the tables, is paid once per worker): one starts with the pool and the
  others at once in the background; a worker that died, was killed or whose memory grew past
  ``recycle_rss_mb`` is retired and a replacement warmed in the background.
- **Asleep when idle.** After ``idle_stop_s`` without a query every worker is stopped
  (about 100 MB each); the next query starts one (about a second) and warms the
  others in the background.
- **Wall time.** The worker interrupts its own query at the time limit; if it has not
  answered ``kill_grace_s`` later the pool kills it (SIGKILL) and says so.
- **Nothing big comes back.** The pool reads at most the header and one Arrow IPC
  payload of a bounded size; a longer message is a broken worker.

Workers are started with ``subprocess`` as a fresh ``python -m
tokenshare.engine.workbench_worker`` (the effect of multiprocessing's 'spawn': no fork
of the server's threads, no copy of its memory)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import weakref
from multiprocessing import Pipe
from pathlib import Path

from tokenshare.engine.workbench_fair import BUSY, SESSION_BUSY, FairGate, quick_lane_message  # noqa: F401
from tokenshare.engine.workbench_gate import Refused

ROOT = Path(__file__).resolve().parents[2]  # where ``python -m tokenshare...`` finds the package
START_TIMEOUT_S = 60.0
MAX_HEADER_BYTES = 64 * 1024

class WorkerStartFailed(RuntimeError):
    pass


class _Lost(Exception):
    """The worker did not answer properly; ``str`` is the page's message."""


class Worker:
    """One worker process and the server's end of its socket pair."""

    def __init__(self, config: dict):
        self.config = config
        here, there = Pipe(duplex=True)
        fd = there.fileno()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tokenshare.engine.workbench_worker", str(fd)],
            cwd=ROOT, pass_fds=(fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        )
        there.close()
        self.conn = here
        try:
            self.conn.send_bytes(json.dumps(config).encode("utf-8"))
            if not self.conn.poll(START_TIMEOUT_S):
                raise WorkerStartFailed(f"no answer in {START_TIMEOUT_S:g} s")
            ready = json.loads(self.conn.recv_bytes(MAX_HEADER_BYTES * 16).decode("utf-8"))
        except (EOFError, OSError, ValueError) as exc:
            self.kill()
            raise WorkerStartFailed(f"the worker exited while starting ({type(exc).__name__})") from None
        except WorkerStartFailed:
            self.kill()
            raise
        if not ready.get("ready"):
            self.kill()
            raise WorkerStartFailed(ready.get("error", "unknown error"))
        self.info = ready["info"]
        self.address_space_limit = ready.get("address_space_limit")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def ask(self, text: str, time_limit: float, grace_s: float) -> tuple[dict, bytes | None]:
        """Send one query (stopped at ``time_limit``); its header and payload, or _Lost."""
        wait_s = time_limit + grace_s
        try:
            self.conn.send_bytes(json.dumps({"sql": text, "time_limit": time_limit}).encode("utf-8"))
            if not self.conn.poll(wait_s):
                raise _Lost(f"Stopped after the workbench's time limit of {time_limit:g} s "
                            "(the query did not stop by itself, so its process was ended). "
                            "Aggregate more, or narrow the dates.")
            header = json.loads(self.conn.recv_bytes(MAX_HEADER_BYTES).decode("utf-8"))
            payload = None
            if header.get("ok"):
                if not self.conn.poll(wait_s):
                    raise _Lost("The workbench's worker stopped answering; the query was ended.")
                payload = self.conn.recv_bytes(self.config["byte_cap"] * 2 + 2**20)
            return header, payload
        except (EOFError, OSError, ValueError):
            raise _Lost(self._death_message()) from None

    def _death_message(self) -> str:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        if code == -signal.SIGXCPU:
            return (f"Stopped: the query used the workbench's CPU limit ({self.config['cpu_s']:g} s of "
                    "processor time) and its process was ended. Aggregate more, or narrow the dates.")
        return ("Stopped: the query's process ended abnormally (most often a query that needs more memory "
                "than the workbench allows). Aggregate more, or return fewer or shorter values.")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


class WorkerPool:
    def __init__(self, config: dict, *, size: int = 2, queue_wait: float = 10.0, kill_grace_s: float = 2.0,
                 recycle_rss_mb: int = 400, idle_stop_s: float | None = 600.0):
        self.config = config
        self.size = size
        self.queue_wait = queue_wait
        self.kill_grace_s = kill_grace_s
        self.recycle_kib = recycle_rss_mb * 1024
        # ``size`` general workers and one more kept for short queries (workbench_fair)
        self.gate = FairGate(size, quick=1, time_limit=config["time_limit"], queue_wait=queue_wait)
        self.size = size + 1
        self._lock = threading.Lock()
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._closed = False
        self._running = 0  # queries between gate and answer
        self._last_used = time.monotonic()
        self._asleep = False
        self._closing = threading.Event()  # set by close(): the idle watcher ends
        # One warm worker to begin with; more start when visitors overlap (up to ``size``),
        # so an idle app costs one worker's memory, not ``size``.
        first = self._start()
        self.info = first.info
        self._idle.append(first)
        # Every worker warm before it is needed: a worker started on demand while heavy
        # queries hold both cores took 15 s to start, and a short query waited for it.
        for _ in range(self.size - 1):
            self._warm_in_background()
        self._finalizer = weakref.finalize(self, _kill_all, self._all)
        if idle_stop_s is not None:
            threading.Thread(target=_watch_idle, args=(weakref.ref(self), idle_stop_s, self._closing),
                             name="workbench-idle", daemon=True).start()

    # ---------------------------------------------------------------- workers

    def _start(self) -> Worker:
        worker = Worker(self.config)
        with self._lock:
            self._all.add(worker)
        return worker

    def _warm_in_background(self) -> None:
        def warm():
            try:
                worker = self._start()
            except WorkerStartFailed:
                return
            with self._lock:
                if self._closed or len(self._idle) >= self.size:
                    keep = False
                else:
                    self._idle.append(worker)
                    keep = True
            if not keep:
                self._retire(worker)

        threading.Thread(target=warm, name="workbench-warm", daemon=True).start()

    def _take(self) -> Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                self._all.discard(worker)
        return self._start()  # none warm yet: start one now (the caller holds a slot)

    def _give_back(self, worker: Worker) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                return
        self._retire(worker)

    def _retire(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def stop_if_idle(self, idle_s: float) -> bool:
        """Stop every worker when no query has run for ``idle_s``; whether it did."""
        with self._lock:
            if self._closed or self._running or time.monotonic() - self._last_used < idle_s or not self._idle:
                return False
            idle, self._idle = self._idle, []
            self._asleep = True
        for worker in idle:
            self._retire(worker)
        return True

    def _wake_up(self) -> None:
        """The first query after the workers were stopped: warm the others meanwhile."""
        with self._lock:
            asleep, self._asleep = self._asleep, False
        if asleep:
            for _ in range(self.size - 1):
                self._warm_in_background()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._all if w.alive()]

    # ---------------------------------------------------------------- queries

    def run(self, text: str, session=None, address: str | None = None) -> tuple[dict, bytes | None]:
        """One query on a free worker: (header, Arrow IPC payload or None), or Refused.
        Which worker, and for how long, is ``FairGate``'s call (workbench_fair);
        ``address`` is the visitor's client address where the app knows it."""
        if self._closed:
            raise Refused("The workbench has been closed (the snapshot changed). Reload the page.")
        ticket = self.gate.enter(object() if session is None else session, address)
        t0 = time.monotonic()
        seconds = None
        with self._lock:
            self._running += 1
            self._last_used = t0
        self._wake_up()
        try:
            header, payload = self._run_on_worker(text, ticket)
            stopped = not header.get("ok") and "time limit" in str(header.get("message", ""))
            if not stopped:
                seconds = time.monotonic() - t0
            elif ticket.lane == "quick":
                raise Refused(quick_lane_message(ticket.time_limit, self.gate.retry_in()))
            return header, payload
        finally:
            with self._lock:
                self._running -= 1
                self._last_used = time.monotonic()
            self.gate.leave(ticket, seconds)

    def _run_on_worker(self, text: str, ticket) -> tuple[dict, bytes | None]:
        try:
            worker = self._take()
        except WorkerStartFailed as exc:
            raise Refused(f"The workbench could not start a worker process: {exc}") from None
        try:
            header, payload = worker.ask(text, ticket.time_limit, self.kill_grace_s)
        except _Lost as lost:
            self._retire(worker)
            self._warm_in_background()
            if ticket.lane == "quick" and "time limit" in str(lost):
                raise Refused(quick_lane_message(ticket.time_limit, self.gate.retry_in())) from None
            raise Refused(str(lost)) from None
        if int(header.get("rss_kib", 0)) > self.recycle_kib:
            self._retire(worker)  # DuckDB and the allocator keep memory: start afresh
            self._warm_in_background()
        else:
            self._give_back(worker)
        return header, payload

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        self._closing.set()
        for worker in idle:
            self._retire(worker)
        self._finalizer()


def _watch_idle(pool_ref, idle_s: float, closed: threading.Event) -> None:
    """Stop the pool's workers once it has been idle ``idle_s`` (checked a few times per
    period); holds only a weak reference, so a dropped pool is still collected."""
    while not closed.wait(max(0.2, min(idle_s / 4, 30.0))):
        pool = pool_ref()
        if pool is None:
            return
        pool.stop_if_idle(idle_s)
        del pool


def _kill_all(workers: set) -> None:
    for worker in list(workers):
        worker.kill()
    workers.clear()

