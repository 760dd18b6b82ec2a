"""Auto-refresh: one background incremental refresh when the open snapshot is too old.

The app (``tokenshare.app.hosting.autorefresh``) calls ``AutoRefresher.maybe_start`` on every
rerun; it returns at once. A refresh starts only when

- the snapshot the app shows is older than the maximum age (its ``as_of``; the
  synthetic sample always is), and a key is configured;
- no earlier attempt asks to wait (``next_attempt_at`` in the state file: after a
  success the maximum age, after a failure ``min(max age, 1 h)``, after the daily budget
  ran out the next UTC midnight);
- no thread of this process is already refreshing this folder (a ``threading.Lock``),
  and no other process is (a ``flock``, ``refresh_lock`` on ``<folder>/.auto-refresh/``;
  the refresh itself also holds ``<folder>/.refresh.lock``, so the owner's button and
  the CLI exclude it too).

The refresh is ``refresh --categories --segments`` plus the extra tables due (``extras.due``:
at most 16 requests, once a UTC day): incremental, validated, written to a temporary folder and
renamed, so a run that fails or is killed leaves every snapshot as it was and none half
written is ever opened. Its Data API requests (retries included) are counted against a
daily budget kept beside the snapshots (``.data-api-budget.json``, under a ``flock``):
every process and restart sharing the folder shares the count, and a run stops with a
clear reason when the day's budget is used up.

Its progress is written to ``<folder>/.auto-refresh.json`` (atomically, at every step),
which any process reads (``read_status``); the key is never in it. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from tokenshare.core.files import write_text_atomic
from tokenshare.core.statefile import read_state
from tokenshare.data.snapshot.layout import Snapshot
from tokenshare.data.openrouter.client import OpenRouterClient
from tokenshare.data.openrouter.errors import BudgetExceeded, OpenRouterError, redact
from tokenshare.data.openrouter.key import resolve_api_key
from tokenshare.data.openrouter.pacing import DEFAULT_MAX_REQUESTS
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh
from tokenshare.data.refresh.fetch import parse_as_of
from tokenshare.data.refresh.lock import lock_held, refresh_lock
from tokenshare.data.refresh.extras.due import extras_due
from tokenshare.data.refresh.errors import RefreshError, RefreshInterrupted

STATE_NAME = ".auto-refresh.json"
BUDGET_NAME = ".data-api-budget.json"
BUDGET_LOCK_NAME = ".data-api-budget.lock"
LOCK_DIR_NAME = ".auto-refresh"  # holds the cross-process lock (refresh_lock's file)
# The Data API allows 500 requests a day per account; automatic refreshes use at most
# this many of them (counted in BUDGET_NAME), leaving the rest to the owner.
DAILY_BUDGET = DEFAULT_MAX_REQUESTS
FAILURE_BACKOFF_S = 3600.0

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_json_atomic(path: Path, data: dict) -> None:
    write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True))


def _read_json(path: Path) -> dict:
    return read_state(path).data  # a missing, mangled or hostile file reads as {} (core/statefile.py)


# --------------------------------------------------------------------------- the daily budget


class DailyBudget:
    """Data API requests counted per UTC day in ``<folder>/.data-api-budget.json``,
    shared by every process using the folder (read-modify-write under a ``flock``)."""

    def __init__(self, folder: Path, limit: int = DAILY_BUDGET, clock: Clock = utcnow):
        self.folder = Path(folder)
        self.limit = limit
        self.clock = clock

    @property
    def path(self) -> Path:
        return self.folder / BUDGET_NAME

    def _day(self) -> str:
        return self.clock().astimezone(dt.timezone.utc).date().isoformat()

    def used(self) -> int:
        data = _read_json(self.path)
        if data.get("day") != self._day():
            return 0
        n = data.get("requests")
        return n if isinstance(n, int) and n >= 0 else self.limit  # a mangled count spends nothing

    def remaining(self) -> int:
        return max(self.limit - self.used(), 0)

    def take(self) -> int | None:
        """Count one request; the count so far, or None when the day's budget is spent."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / BUDGET_LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # held for microseconds: waiting is fine
            used = self.used()
            if used >= self.limit:
                return None
            _write_json_atomic(self.path, {"day": self._day(), "requests": used + 1, "limit": self.limit})
            return used + 1
        finally:
            os.close(fd)  # closing releases the flock

    def next_reset(self) -> dt.datetime:
        now = self.clock().astimezone(dt.timezone.utc)
        return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), dt.timezone.utc)


class BudgetedClient(OpenRouterClient):
    """The OpenRouter client, each Data API attempt (retries too) also counted against
    the shared ``DailyBudget``; a spent budget raises ``BudgetExceeded``."""

    def __init__(self, budget: DailyBudget, **kw):
        self.budget = budget
        kw.setdefault("max_requests", min(DEFAULT_MAX_REQUESTS, budget.remaining()))
        super().__init__(**kw)

    def _before_data_attempt(self) -> None:
        if self.requests_made + 1 <= self.max_requests and self.budget.take() is None:
            raise BudgetExceeded(
                f"the automatic refreshes' daily budget of {self.budget.limit} Data API requests is used up "
                f"(counted in {self.budget.path.name} beside the snapshots; the API allows 500 a day); "
                f"the next try is after {_iso(self.budget.next_reset())}")
        super()._before_data_attempt()


# --------------------------------------------------------------------------- status


@dataclass
class Status:
    """What the state file says: ``state`` is idle, running, done or failed."""

    state: str = "idle"
    pid: int | None = None
    started_at: str | None = None
    updated_at: str | None = None
    finished_at: str | None = None
    step: int = 0  # steps done (the model catalogue, then each window)
    steps: int = 0
    windows_done: int = 0
    windows: int = 0
    rows: int = 0
    message: str = ""
    reason: str | None = None  # why it failed
    snapshot: str | None = None  # the folder written
    requests: int = 0  # Data API requests this run
    next_attempt_at: str | None = None
    problem: str | None = None  # why the state file was not read (mangled): a notice, never saved

    @property
    def running(self) -> bool:
        return self.state == "running"

    def line(self) -> str:
        """One short sentence for the page header."""
        if self.windows and self.windows_done < self.windows and self.step >= 1:
            return f"Fetching real data: window {self.windows_done + 1} of {self.windows}"
        if self.steps and self.step == 0:
            return "Fetching real data: the model catalogue"
        if self.steps and self.step >= self.steps:
            return "Fetching real data: writing the new snapshot"
        return "Fetching real data: planning"


def read_status(folder: Path) -> Status:
    """The state file's status. A mangled file is no status (``idle``) with ``problem``
    saying why; a "running" whose run no longer holds its lock reads as failed (the
    process stopped mid-refresh: nothing was written)."""
    state = read_state(Path(folder) / STATE_NAME)
    known = {k: v for k, v in state.data.items() if k in Status.__dataclass_fields__ and k != "problem"}
    ints = {"step", "steps", "windows_done", "windows", "rows", "requests"}
    for k, v in known.items():  # a mangled file reads as no status, never as a crash
        if not (v is None and k not in ints or isinstance(v, int) and not isinstance(v, bool) and
                k in ints | {"pid"} or isinstance(v, str) and k not in ints | {"pid"}):
            return Status(problem=f"{STATE_NAME}: field {k!r} has the wrong type; read as no status")
    status = Status(**known, problem=state.problem)
    if status.running and not lock_held(Path(folder) / LOCK_DIR_NAME):
        status.state = "failed"
        status.reason = ("the process running it stopped before it finished (the app was stopped or "
                         "restarted); no snapshot was written, the previous one stays open")
        status.next_attempt_at = None  # try again at once
    return status


# --------------------------------------------------------------------------- when


def snapshot_age_s(snapshot: Snapshot | None, now: dt.datetime) -> float | None:
    """Seconds since the snapshot's ``as_of``; None (infinitely old) for no snapshot, the
    synthetic sample, or an ``as_of`` that is not a time."""
    if snapshot is None or snapshot.synthetic:
        return None
    t = parse_as_of(snapshot.as_of)
    if t.year < 2000:
        return None
    return (now - t).total_seconds()


def is_due(snapshot: Snapshot | None, max_age_s: float, now: dt.datetime) -> bool:
    age = snapshot_age_s(snapshot, now)
    return age is None or age > max_age_s


# --------------------------------------------------------------------------- the runner


@dataclass
class AutoRefresher:
    """The background refresh of one snapshots folder in this process."""

    folder: Path
    max_age_s: float
    clock: Clock = utcnow
    daily_budget: int = DAILY_BUDGET
    categories: bool = True
    # the segment lists too (incremental: about a dozen requests a day once a snapshot has
    # them), so a hosted copy bounds what the daily top-50 cut hides (docs/tail.md)
    segments: bool = True
    extras: bool = True  # the four extra tables, once a UTC day with room in the budget (extras_due)
    client_kw: dict = field(default_factory=dict)  # tests: timeouts, pacer, base_url
    refresh_kw: dict = field(default_factory=dict)  # tests: today, window_days
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    unwritable: tuple[dt.datetime, str] | None = None  # (when, why) the folder could not be written

    def status(self) -> Status:
        return read_status(self.folder)

    def options(self, extras: tuple[str, ...] = ()) -> RefreshOptions:
        """The refresh this runs: ``refresh --categories --segments`` into its folder
        (incremental), with the extra tables ``extras`` (``--benchmarks`` ...)."""
        return RefreshOptions(self.folder, categories=self.categories, segments=self.segments, extras=extras,
                              **self.refresh_kw)

    def running_here(self) -> bool:
        t = self._thread
        return t is not None and t.is_alive()

    def maybe_start(self, shown: Snapshot | None, secrets: Mapping[str, Any] | None) -> str:
        """Start the background refresh if it is due; never waits. Says what it did
        (``started``, or why not)."""
        now = self.clock()
        if not is_due(shown, self.max_age_s, now):
            return "fresh"
        with self._lock:
            if self.running_here():
                return "running"
            if self.unwritable and (now - self.unwritable[0]).total_seconds() < FAILURE_BACKOFF_S:
                return "waiting"
            status = self.status()
            if status.running:
                return "running elsewhere"
            if status.next_attempt_at and now < parse_as_of(status.next_attempt_at):
                return "waiting"
            self._thread = threading.Thread(target=self.run, args=(secrets,), name="tokenshare-auto-refresh",
                                            daemon=True)
            self._thread.start()
            return "started"

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the run (in the thread)

    def run(self, secrets: Mapping[str, Any] | None = None) -> Status:
        """One refresh, holding the cross-process lock; returns the final status (the
        status unchanged when another process holds the lock or the folder's newest
        snapshot is fresh already)."""
        try:
            with refresh_lock(Path(self.folder) / LOCK_DIR_NAME):
                return self._run_locked(secrets)
        except RefreshError:  # another process is refreshing: it writes the status
            return self.status()
        except OSError as exc:  # e.g. a read-only folder: no status file either, so kept here
            self.unwritable = (self.clock(), f"cannot write to {self.folder}: {exc.strerror or exc}")
            return Status(state="failed", reason=self.unwritable[1])

    def _run_locked(self, secrets: Mapping[str, Any] | None) -> Status:
        from tokenshare.data.refresh.plan import newest_openrouter_snapshot

        now = self.clock()
        previous = self.status()
        if previous.next_attempt_at and now < parse_as_of(previous.next_attempt_at):
            return previous
        newest, _ = newest_openrouter_snapshot(Path(self.folder))
        if newest is not None and not is_due(newest, self.max_age_s, now):
            return previous  # another process (or the CLI) refreshed meanwhile
        status = Status(state="running", pid=os.getpid(), started_at=_iso(now), updated_at=_iso(now),
                        message="starting")
        self._save(status)
        budget = DailyBudget(self.folder, self.daily_budget, self.clock)
        client = None
        try:
            if budget.remaining() == 0:
                raise BudgetExceeded(
                    f"the automatic refreshes' daily budget of {budget.limit} Data API requests is used up "
                    f"(counted in {BUDGET_NAME} beside the snapshots; the API allows 500 a day); the next try "
                    f"is after {_iso(budget.next_reset())}")
            key = resolve_api_key(secrets)
            client = BudgetedClient(budget, api_key=key, **self.client_kw)
            asked = extras_due(newest, self.clock(), budget.remaining()) if self.extras else ()
            result = run_refresh(self.options(asked), progress=self._progress(status), secrets=secrets,
                                 client=client)
        except (RefreshError, RefreshInterrupted, OpenRouterError) as exc:
            self._finish(status, client, "failed", reason=str(exc), budget=budget)
        except Exception as exc:  # noqa: BLE001 - a thread that dies silently would say "running" forever
            self._finish(status, client, "failed", reason=f"unexpected error: {type(exc).__name__}: {exc}",
                         budget=budget)
        else:
            status.snapshot = result.path.name
            self._finish(status, client, "done", budget=budget)
        finally:
            if client is not None:
                client.close()
        return status

    def _progress(self, status: Status):
        def progress(done: int, total: int, rows: int, message: str) -> None:
            status.step, status.steps, status.rows = done, total, rows
            status.windows = max(total - 1, 0)  # the first step is the model catalogue
            status.windows_done = max(done - 1, 0)
            status.message = redact(message)[:300]
            status.updated_at = _iso(self.clock())
            self._save(status)
        return progress

    def _finish(self, status: Status, client: OpenRouterClient | None, state: str, *,
                budget: DailyBudget, reason: str | None = None) -> None:
        now = self.clock()
        status.state = state
        status.finished_at = status.updated_at = _iso(now)
        status.requests = client.requests_made if client is not None else 0
        if reason is not None:
            if "budget" in reason:
                reason += f" (today's automatic budget: {budget.remaining()} of {budget.limit} requests left)"
            status.reason = redact(reason)[:2000]
        if state == "done":
            wait = dt.timedelta(seconds=self.max_age_s)
        elif reason and "daily budget" in reason:
            wait = budget.next_reset() - now
        else:
            wait = dt.timedelta(seconds=min(self.max_age_s, FAILURE_BACKOFF_S))
        status.next_attempt_at = _iso(now + wait)
        self._save(status)

    def _save(self, status: Status) -> None:
        try:
            Path(self.folder).mkdir(parents=True, exist_ok=True)
            _write_json_atomic(Path(self.folder) / STATE_NAME, {**asdict(status), "problem": None})
        except OSError:
            pass  # a status that cannot be written never stops the refresh


_REGISTRY: dict[str, AutoRefresher] = {}
_REGISTRY_LOCK = threading.Lock()


def refresher_for(folder: Path, max_age_s: float, **kw) -> AutoRefresher:
    """The one AutoRefresher of this process for ``folder`` (its max age updated)."""
    key = os.path.abspath(folder)  # no syscalls: this runs on every page view
    with _REGISTRY_LOCK:
        r = _REGISTRY.get(key)
        if r is None:
            r = _REGISTRY[key] = AutoRefresher(Path(folder), max_age_s, **kw)
        r.max_age_s = max_age_s
        return r
