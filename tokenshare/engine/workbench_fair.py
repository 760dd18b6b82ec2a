"""Fair use of the workbench's workers (issue 26, finding 5): who may run a query now.

Four sessions running 5-second queries held both workers and a bystander's ``SELECT 1``
waited 8-16 s. Now:

- **Lanes.** ``general`` workers take any query at the full time limit. One more worker,
  the **quick lane**, is kept for short queries: a query runs there only when every
  general worker is taken, only for a session not marked heavy, and only for
  ``quick_limit_s`` (0.5 s); past that it is stopped and the session told to try again.
- **Heavy sessions.** A session whose query ran past ``quick_limit_s`` (or was stopped)
  is heavy for ``heavy_memory_s``: it waits for a general worker and never takes the
  quick lane, so eight visitors running heavy queries cannot crowd out a ``SELECT 1``.
- **One query at a time per session**; a second one while the first runs is refused at
  once.
- **Per client address**, where the app knows it (``address``; None for a visitor on
  localhost or behind a proxy on the same host): at most ``address_max`` queries queued
  or running at once, so one visitor opening many sessions from one address cannot take
  every worker; one more is refused at once with "try again in N s".
- **A bounded queue.** Sessions not known heavy go first, in the order they came; at
  most ``queue_max`` heavy and four times that many other sessions wait;
  past that, and after ``queue_wait`` seconds of waiting, the answer is "busy, try again
  in N s", N the time until the first running query must end. A session back before its
  N s counts as heavy, and its answer waits until then (no worker held, no CPU: a rerun
  loop would cost the server a page render each time): twenty sessions retrying at once no longer fill the queue kept
  for sessions not known heavy, so a newcomer is not told "busy" while they arrive.

No processes here: the pool (workbench_pool) asks ``enter`` which lane a query takes and
tells ``leave`` how it went."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass

from tokenshare.engine.workbench_gate import Refused

QUICK_LIMIT_S = 0.5
HEAVY_MEMORY_S = 60.0
QUEUE_MAX = 4
# Queued or running queries per client address: fewer than the workers (two general and
# the quick lane), so another address always finds one.
ADDRESS_MAX = 2

SESSION_BUSY = ("Your previous workbench query is still running (one query at a time per visitor). "
                "Try again when it has finished.")
ADDRESS_BUSY = ("Too many workbench queries from your address at once (at most {limit} queued or running). "
                "Try again in {retry} s.")
BUSY = ("The workbench is busy: every worker is running other visitors' queries and {waiting} more are "
        "waiting. Try again in {retry} s.")


@dataclass
class Ticket:
    session: object
    lane: str  # "general" or "quick"
    time_limit: float
    started: float
    address: str | None = None


class FairGate:
    def __init__(self, general: int, *, quick: int = 1, time_limit: float, queue_wait: float,
                 quick_limit_s: float = QUICK_LIMIT_S, heavy_memory_s: float = HEAVY_MEMORY_S,
                 queue_max: int = QUEUE_MAX, address_max: int = ADDRESS_MAX, clock=time.monotonic):
        self.free = {"general": general, "quick": quick}
        self.time_limit = time_limit
        self.queue_wait = queue_wait
        self.quick_limit_s = min(quick_limit_s, time_limit)
        self.heavy_memory_s = heavy_memory_s
        self.queue_max = queue_max
        self.address_max = address_max
        self.clock = clock
        self._cond = threading.Condition()
        self._running: dict[object, Ticket] = {}
        self._heavy: dict[object, float] = {}  # session -> when it was last marked heavy
        self._told: dict[object, float] = {}  # session -> when it was told it could try again
        self._queue: dict[bool, list] = {True: [], False: []}  # heavy? -> waiters in arrival order
        self._by_address: Counter = Counter()  # address -> its queries queued or running

    def is_heavy(self, session) -> bool:
        at = self._heavy.get(session)
        return at is not None and self.clock() - at < self.heavy_memory_s

    def retry_in(self) -> int:
        """Seconds until the first running general query must have ended."""
        ends = [t.started + t.time_limit for t in self._running.values() if t.lane == "general"]
        return max(1, math.ceil(min(ends) - self.clock())) if ends else 1

    def enter(self, session, address: str | None = None) -> Ticket:
        """The lane for ``session``'s query (waiting up to ``queue_wait``), or Refused.
        ``address``: the visitor's client address, when known."""
        with self._cond:
            if session in self._running:
                raise Refused(SESSION_BUSY)
            if address is not None and self._by_address[address] >= self.address_max:
                raise Refused(ADDRESS_BUSY.format(limit=self.address_max, retry=self.retry_in()))
            told = self._told.pop(session, None)
            if told is not None and self.clock() < told:
                self._heavy[session] = self.clock()  # back before "try again in N s": hammering
                # and its answer waits until then: each rerun renders a whole page on the
                # server, so a session rerunning in a loop would take the CPU from the pages
                until = time.monotonic() + min(told - self.clock(), self.time_limit)
                while (left := until - time.monotonic()) > 0:
                    self._cond.wait(left)
                if session in self._running:
                    raise Refused(SESSION_BUSY)
            heavy = self.is_heavy(session)
            limit = self.queue_max if heavy else self.queue_max * 4
            if len(self._queue[heavy]) >= limit and not self._can_start(heavy, None):
                raise self._busy(session, self._queued())
            self._count(address, +1)
            try:
                self._wait_turn(session, heavy)
            except Refused:
                self._count(address, -1)
                raise
            lane = "general" if self.free["general"] > 0 else "quick"
            self.free[lane] -= 1
            limit_s = self.time_limit if lane == "general" else self.quick_limit_s
            ticket = Ticket(session, lane, limit_s, self.clock(), address)
            self._running[session] = ticket
            return ticket

    def _busy(self, session, waiting: int) -> Refused:
        """ "Busy, try again in N s", remembered: a session back sooner is treated as heavy."""
        retry = self.retry_in()
        self._told[session] = self.clock() + retry
        if len(self._told) > 10_000:
            now = self.clock()
            self._told = {s: t for s, t in self._told.items() if t > now}
        return Refused(BUSY.format(waiting=waiting, retry=retry))

    def _wait_turn(self, session, heavy: bool) -> None:
        """In the queue until this query may start (the caller holds the lock), or Refused."""
        me = object()
        self._queue[heavy].append(me)
        try:
            deadline = self.clock() + self.queue_wait
            while not self._can_start(heavy, me):
                left = deadline - self.clock()
                if left <= 0:
                    raise self._busy(session, self._queued() - 1)
                self._cond.wait(left)
        finally:
            self._queue[heavy].remove(me)
            self._cond.notify_all()  # the next in line may go now

    def _count(self, address: str | None, step: int) -> None:
        if address is None:
            return
        self._by_address[address] += step
        if self._by_address[address] <= 0:
            del self._by_address[address]

    def _queued(self) -> int:
        return len(self._queue[True]) + len(self._queue[False])

    def _can_start(self, heavy: bool, me) -> bool:
        """Sessions not known heavy go first, in the order they came (the quick lane to
        the first of them); a heavy one takes a general worker nobody else waits for."""
        light = self._queue[False]
        if heavy:
            return self.free["general"] > 0 and not light
        if self.free["general"] > 0:
            return True
        return self.free["quick"] > 0 and (me is None or (light and light[0] is me))

    def leave(self, ticket: Ticket, seconds: float | None) -> None:
        """The query of ``ticket`` ended after ``seconds`` (None: stopped or failed)."""
        with self._cond:
            self._running.pop(ticket.session, None)
            self._count(ticket.address, -1)
            self.free[ticket.lane] += 1
            if seconds is None or seconds >= self.quick_limit_s:
                self._heavy[ticket.session] = self.clock()
            else:
                self._heavy.pop(ticket.session, None)
            if len(self._heavy) > 10_000:  # forget the oldest marks, not the memory's bound
                for s, _ in sorted(self._heavy.items(), key=lambda kv: kv[1])[:5_000]:
                    del self._heavy[s]
            self._cond.notify_all()


def quick_lane_message(limit: float, retry: int) -> str:
    return (f"The workbench's workers are all running longer queries; this one used the {limit:g} s kept for "
            f"short queries and was stopped. Try again in {retry} s.")
