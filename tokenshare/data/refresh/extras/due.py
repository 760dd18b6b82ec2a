"""Which extra tables the in-app auto-refresh asks for (``AutoRefresher``).

Each of the four tables at most once a UTC day (the task window is 7 days, the app
rankings 30, the session cost and benchmarks weekly: a second fetch the same day adds
nothing), and only with room left in the automatic budget: all four cost at most
``ALL_EXTRA_REQUESTS`` (16) Data API requests, and a plan over the run's budget is refused
as a whole, so they are asked for only when ``AUTO_EXTRAS_RESERVE`` requests would still
be left for the usage, category and segment windows (an incremental run needs ~25)."""

from __future__ import annotations

import datetime as dt

from tokenshare.data.refresh.extras.tables import ASKABLE, planned_requests

ALL_EXTRA_REQUESTS = sum(planned_requests(n) for n in ASKABLE)
AUTO_EXTRAS_RESERVE = 100


def fetched_today(snapshot, name: str, today: dt.date) -> bool:
    """Whether ``snapshot``'s manifest says table ``name`` was fetched on ``today``."""
    extras = snapshot.manifest.get("extras") if snapshot is not None else None
    rec = extras.get(name) if isinstance(extras, dict) else None
    return isinstance(rec, dict) and rec.get("fetched_on") == today.isoformat() and not rec.get("failed")


def extras_due(newest, now: dt.datetime, remaining: int) -> tuple[str, ...]:
    """The tables to fetch in this run: none fetched today in ``newest`` (the snapshot the
    refresh builds on, or None), or nothing when fewer than the tables' requests plus the
    reserve are ``remaining`` in today's budget."""
    if remaining < ALL_EXTRA_REQUESTS + AUTO_EXTRAS_RESERVE:
        return ()
    today = now.astimezone(dt.timezone.utc).date()
    return tuple(n for n in ASKABLE if not fetched_today(newest, n, today))
