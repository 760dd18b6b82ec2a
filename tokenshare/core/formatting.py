"""How numbers read on screen: tokens as people write them, shares as percentages."""

from __future__ import annotations

import datetime as dt
import math
import re

# A date and a time of day (the manifest's form: 2026-11-23T02:00:00Z).
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_UNITS = ((1e15, "Q"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def human_tokens(n) -> str:
    """3_200_000_000_000 -> '3.2T', 840_000_000_000 -> '840B', 950 -> '950'."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "–"
    n = float(n)
    sign = "-" if n < 0 else ""
    n = abs(n)
    for size, unit in _UNITS:
        if n >= size * 0.9995:
            v = n / size
            if v >= 999.5 and unit != "Q":
                continue
            text = f"{v:.0f}" if v >= 100 else f"{v:.1f}".rstrip("0").rstrip(".") if v >= 10 else f"{v:.2f}".rstrip("0").rstrip(".")
            return f"{sign}{text}{unit}"
    return f"{sign}{n:.0f}"


def pct(x, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{100 * x:.{digits}f}%"


def pp_delta(x, digits: int = 1) -> str:
    """A change in share, in percentage points: +2.3 pp."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{100 * x:+.{digits}f} pp"


def as_date(d):
    """A pandas Timestamp or datetime as a plain date; anything else as it is."""
    return d.date() if isinstance(d, dt.datetime) else d  # pandas Timestamps are datetimes


def period_label(period, grain: str) -> str:
    """'2026-11-16' -> 'week of 16 Nov 2026' (ISO week), 'Nov 2026', '22 Nov 2026'."""
    if period is None:
        return "–"
    period = as_date(period)
    if grain == "month":
        return period.strftime("%b %Y")
    if grain == "week":
        return f"week of {period.day} {period.strftime('%b %Y')}"
    return f"{period.day} {period.strftime('%b %Y')}"


def as_of_text(value) -> str:
    """A snapshot's as-of time as people read it: '2026-11-23T02:00:00Z' ->
    '2026-11-23 02:00 UTC' (an offset is turned into UTC, a time without one is taken as
    UTC); anything that is not an ISO 8601 time comes back as its text. One colon, not
    two: Streamlit's Markdown reads ':00:' as an emoji code and fetches its emoji
    plugin (265 kB) for any text holding one, which every page's footer did."""
    text = "" if value is None else str(value)
    iso = text.strip()
    if not _ISO_TIME.match(iso):
        return text  # a date alone, or not a time at all: not given a time it does not have
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return text
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return f"{when:%Y-%m-%d %H:%M} UTC"
