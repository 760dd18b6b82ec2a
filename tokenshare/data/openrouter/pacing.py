"""Pacing and retries for OpenRouter's Data API, kept under its published limits.

The Data API allows 30 requests a minute and 500 a day. ``Pacer`` spaces requests at
least ``60 / per_minute`` seconds apart (28 a minute by default), and the client stops
a run before ``DEFAULT_MAX_REQUESTS``. Retries (connection errors, read timeouts, 5xx,
and 429 honouring ``Retry-After``) are urllib3's ``Retry`` on an ``HTTPAdapter``;
``PacedRetry`` only makes its sleeping injectable, refuses to wait absurdly long, and
counts and paces the retried attempts like the first ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from urllib3.util.retry import Retry

from tokenshare.data.openrouter.errors import RetryAfterTooLong

RATE_LIMIT_PER_MINUTE = 30
DAILY_LIMIT = 500
# Stay strictly under both limits: 28 a minute, and at most 490 Data API requests in
# one run (the rest of the day's 500 is left for retries elsewhere and other tools).
DEFAULT_PER_MINUTE = 28
DEFAULT_MAX_REQUESTS = 490


# --------------------------------------------------------------------------- pacing


class Pacer:
    """Spaces Data API requests at least ``60 / per_minute`` seconds apart.

    ``clock`` and ``sleep`` are injectable so tests run without waiting."""

    def __init__(
        self,
        per_minute: float = DEFAULT_PER_MINUTE,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not 0 < per_minute < RATE_LIMIT_PER_MINUTE:
            raise ValueError(f"per_minute must be between 0 and {RATE_LIMIT_PER_MINUTE} (exclusive)")
        self.interval = 60.0 / per_minute
        self.clock = clock
        self.sleep = sleep
        self._next: float | None = None
        self.waited = 0.0

    def wait(self) -> None:
        now = self.clock()
        if self._next is not None and now < self._next:
            delay = self._next - now
            self.sleep(delay)
            self.waited += delay
            now = max(self.clock(), self._next)
        self._next = now + self.interval


# --------------------------------------------------------------------------- retries


@dataclass
class RetryContext:
    """What a retry needs from the client: how to sleep, what to do before each
    attempt (pacing, budget, counting), and the longest Retry-After it may wait."""


    sleep: Callable[[float], None]
    before_attempt: Callable[[], None]
    max_retry_after: float
    retries_sent: int = 0
    slept: list = field(default_factory=list)


class PacedRetry(Retry):
    """urllib3 ``Retry`` whose sleeps go through an injectable function.

    Retry-After is honoured as urllib3 does (``respect_retry_after_header``); a wait
    longer than ``max_retry_after`` raises ``RetryAfterTooLong`` instead of hanging.
    Each retried attempt also goes through the pacer and the request budget."""

    retry_context: RetryContext | None = None  # set by the client for each request (data or models)

    def new(self, **kw: Any) -> "PacedRetry":
        r = super().new(**kw)
        r.retry_context = self.retry_context
        return r

    def sleep(self, response=None) -> None:
        ctx = self.retry_context
        if ctx is None:  # pragma: no cover - always set by the client
            return super().sleep(response)
        seconds = 0.0
        header = response.headers.get("Retry-After") if response is not None else None
        if self.respect_retry_after_header and header is not None:
            seconds = self.parse_retry_after(header)
            if seconds > ctx.max_retry_after:
                raise RetryAfterTooLong(
                    f"HTTP {response.status}: OpenRouter asks to wait {seconds:.0f} s before "
                    f"the next request (Retry-After); that is longer than {ctx.max_retry_after:.0f} s, "
                    "so this run stops. The Data API allows 30 requests a minute and 500 a day; "
                    "try again later."
                )
        if not seconds:
            seconds = self.get_backoff_time()
        if seconds > 0:
            ctx.slept.append(seconds)
            ctx.sleep(seconds)
        ctx.before_attempt()
        ctx.retries_sent += 1
