"""The chart point budget: no chart sends more than CHART_POINT_BUDGET data rows to the
browser (``st.altair_chart`` sends a chart's whole data, without Altair's own row
limit). A chart of ``series`` lines or bands over a date range holds about
periods x series rows, so a page asks ``chart_grain`` for the finest grain that fits and
runs its named query (which aggregates in SQL) at that grain: a day grain over two years
with 28 series (19,348 rows) is drawn by week (99 x 28 = 2,772 rows) and the page says so."""

from __future__ import annotations

import datetime as dt

CHART_POINT_BUDGET = 5000
GRAIN_ORDER = ("day", "week", "month")


def periods_in(start: dt.date, end: dt.date, grain: str) -> int:
    """How many day / ISO week / month periods overlap [start, end]."""
    if end < start:
        return 0
    if grain == "day":
        return (end - start).days + 1
    if grain == "week":
        first = start - dt.timedelta(days=start.weekday())
        last = end - dt.timedelta(days=end.weekday())
        return (last - first).days // 7 + 1
    return (end.year - start.year) * 12 + end.month - start.month + 1


def chart_grain(start: dt.date, end: dt.date, grain: str, series: int,
                budget: int = CHART_POINT_BUDGET) -> str:
    """``grain``, or the first coarser one at which periods x series fits the budget
    (month when none does)."""
    if grain not in GRAIN_ORDER:
        return grain
    for g in GRAIN_ORDER[GRAIN_ORDER.index(grain):]:
        if periods_in(start, end, g) * max(series, 1) <= budget:
            return g
    return GRAIN_ORDER[-1]


def coarsened_note(start: dt.date, end: dt.date, grain: str, used: str, series: int,
                   budget: int = CHART_POINT_BUDGET) -> str:
    n = periods_in(start, end, grain)
    return (
        f"Drawn by {used}: {n:,} {grain}s × up to {series} series would be {n * series:,} points, "
        f"more than a chart sends to the browser ({budget:,}). Narrow the dates or lower Top N "
        f"to see {grain}s."
    )
