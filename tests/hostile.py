"""A tally of the hostile inputs the suite tries, by category, printed at the end of a
run (tests/conftest.py), so "how many hostile inputs does this suite try" has a figure.

A test that tries hostile inputs calls ``tried("<category>", n)`` once per input (or
once with the count of a batch) after asserting each input's outcome. Categories in
use: workbench, url, snapshot, refresh, data-text, publish, published-root."""

from __future__ import annotations

from collections import Counter

TALLY: Counter = Counter()


def tried(category: str, n: int = 1) -> None:
    TALLY[category] += n
