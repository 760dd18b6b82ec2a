"""Which snapshots a published root keeps, so pinned links (``snapshot=<id>``) stay alive:
the newest snapshot of each of the last ``daily`` days that have one, plus the first
snapshot of each ISO week (Monday to Sunday, UTC) of the last ``weekly`` weeks, counted
back from the newest snapshot's week. The newest is always kept.

With a snapshot a day, the defaults (7 daily, 52 weekly) keep at most 7 + 52 = 59
snapshots, of which 6 or 7 of the dailies can also be weekly ones: a year of links in
about 53-59 snapshots. A snapshot's day is its ``published_at`` (else its ``as_of``)."""

from __future__ import annotations

import datetime as dt

DEFAULT_DAILY = 7
DEFAULT_WEEKLY = 52


def day_of(entry: dict) -> dt.date | None:
    """The UTC day of a history entry (published_at, else as_of), or None when neither parses."""
    for key in ("published_at", "as_of"):
        text = str(entry.get(key) or "")[:10]
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            continue
    return None


def week_of(day: dt.date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso[0], iso[1]


def weeks_between(earlier: dt.date, later: dt.date) -> int:
    """Whole ISO weeks from ``earlier``'s week to ``later``'s (0: the same week)."""
    monday = lambda d: d - dt.timedelta(days=d.weekday())  # noqa: E731
    return (monday(later) - monday(earlier)).days // 7


def keep_ids(entries: list[dict], daily: int = DEFAULT_DAILY, weekly: int = DEFAULT_WEEKLY) -> list[str]:
    """The ids of ``entries`` (history entries, newest first: the first is the snapshot
    just published) that the policy keeps, in that order. Entries without a date are
    kept only when newest."""
    if not entries:
        return []
    dated = [(e, day_of(e)) for e in entries]
    keep = {entries[0]["id"]}
    newest_day = next((d for _, d in dated if d is not None), None)
    if newest_day is None:
        return [entries[0]["id"]]
    days_seen: list[dt.date] = []
    for e, d in dated:  # newest first: the first entry of a day is that day's newest
        if d is None or d in days_seen:
            continue
        days_seen.append(d)
        if len(days_seen) <= daily:
            keep.add(e["id"])
    first_of_week: dict[tuple[int, int], str] = {}
    for e, d in dated:  # newest first: the last one seen of a week is its first
        if d is not None and 0 <= weeks_between(d, newest_day) < weekly:
            first_of_week[week_of(d)] = e["id"]
    keep.update(first_of_week.values())
    return [e["id"] for e in entries if e["id"] in keep]
