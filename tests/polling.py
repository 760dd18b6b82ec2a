"""Waiting for a condition, not for a time: ``wait_until`` polls until the condition
holds and fails, saying what it waited for, when the deadline passes first (a fixed
``time.sleep`` bets that the machine is fast enough, and wastes the rest when it is)."""

from __future__ import annotations

import time


def wait_until(condition, *, seconds: float, what: str, every: float = 0.02):
    """Call ``condition()`` until it returns something true, and return that; raise an
    AssertionError naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what}")
        time.sleep(every)
