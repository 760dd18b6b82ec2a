"""The chart point budget: no chart sends more than CHART_POINT_BUDGET data rows to the
browser (``st.altair_chart`` sends a chart's whole data, without Altair's own row
limit). A chart of ``series`` lines or bands over a date range holds about
periods x series rows, so a page asks ``chart_grain`` for the finest grain that fits and
runs its named query (which aggregates in SQL) at that grain: a day grain over two years
with 28 series (19,348 rows) is drawn by week (99 x 28 = 2,772 rows) and the page says so."""

from __future__ import annotations

import datetime as dt

CHART_POINT_BUDGET = 5000
# A chart that draws a symbol for every row (lines with a point per period, so each
# period's tooltip is there) costs the browser far more per row than a line or a band:
# each symbol is an SVG element rewritten on every redraw. 691 days x 2 lines of points
# was 13,000 DOM changes and ~0.5 s of a visitor's wait per Period change (issue 25).
POINT_MARK_BUDGET = 1000
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
    what = "a chart sends to the browser" if budget >= CHART_POINT_BUDGET else "a chart of points draws"
    return (
        f"Drawn by {used}: {n:,} {grain}s × up to {series} series would be {n * series:,} points, "
        f"more than {what} ({budget:,}). Narrow the dates"
        + (" or lower Top N" if series > 2 else "") + f" to see {grain}s."
    )


def chart_points(proto) -> int:
    """Data rows a chart sends to the browser (what the budget limits): Streamlit moves
    an Altair chart's data out of the spec into Arrow datasets beside it
    (proto.datasets), so count those, plus any data left inline in the spec (top-level
    datasets, or a layer's ``data.values``). ``proto`` is a chart element's protobuf
    (``AppTest``'s ``c.proto``)."""
    import json

    import pyarrow as pa

    n = 0
    for d in proto.datasets:
        n += pa.ipc.open_stream(d.data.data).read_all().num_rows
    if proto.HasField("data") and proto.data.data:
        n += pa.ipc.open_stream(proto.data.data).read_all().num_rows
    spec = json.loads(proto.spec)
    n += sum(len(v) for v in (spec.get("datasets") or {}).values() if isinstance(v, list))
    return n + _inline_values(spec)


def _inline_values(node) -> int:
    """Rows given inline anywhere in a spec (``"data": {"values": [...]}``, as the
    charts' one-row reference rules are)."""
    if isinstance(node, list):
        return sum(_inline_values(v) for v in node)
    if not isinstance(node, dict):
        return 0
    n = 0
    for k, v in node.items():
        if k == "data" and isinstance(v, dict) and isinstance(v.get("values"), list):
            n += len(v["values"])
        else:
            n += _inline_values(v)
    return n
