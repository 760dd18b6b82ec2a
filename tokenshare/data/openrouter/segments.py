"""The Data API's segment series: ``rankings-daily`` with one segment filter.

Since July 2026 ``GET /api/v1/datasets/rankings-daily`` takes ``modality`` (text, image,
image_output, audio, tool_calling) and ``context_bucket`` (1K, 10K, 100K, 1M, 10M),
both from the exact dataset (``period=day`` allowed), and ``language_type`` (natural,
programming), a sampled weekly estimate like ``category`` (``period=day`` is a 400, and
it cannot be combined with the other filters). tokenshare asks for one filter at a
time, never a combination. The body is the usual rankings body (top 50 per date plus
``other``), validated by ``parse_rankings_body``: a date outside the window asked for,
or a malformed row, is a ``ValidationError`` naming the row.

The names tokenshare stores (``dimension`` = modality | context | language) and the API
parameter of each are in ``tokenshare.data.snapshot.layout.SEGMENTS``.
"""

from __future__ import annotations

import datetime as dt

from tokenshare.data.snapshot.layout import SEGMENTS
from tokenshare.data.openrouter.client import RANKINGS_PATH, OpenRouterClient
from tokenshare.data.openrouter.errors import BadRequestError
from tokenshare.data.openrouter.responses import RankingsResponse, parse_rankings_body


def segment_param(dimension: str, segment: str) -> tuple[str, str, bool]:
    """(API parameter, value, weekly estimate?) of a segment; ValueError for one the API
    does not document."""
    if dimension not in SEGMENTS:
        raise ValueError(f"unknown segment dimension {dimension!r}; known: {', '.join(SEGMENTS)}")
    param, values, weekly = SEGMENTS[dimension]
    if segment not in values:
        raise ValueError(f"unknown {dimension} segment {segment!r}; known: {', '.join(values)}")
    return param, segment, weekly


def segment_rankings(client: OpenRouterClient, dimension: str, segment: str,
                     start: dt.date, end: dt.date) -> RankingsResponse:
    """One validated segment series for [start, end]: daily for the exact dimensions,
    ISO weeks for the estimated one. A 400 (the API refuses the filter, or the filter
    with this period or these dates) is re-raised saying which segment it was."""
    param, value, weekly = segment_param(dimension, segment)
    period = "week" if weekly else "day"
    params = {"start_date": start.isoformat(), "end_date": end.isoformat(), "period": period, param: value}
    where = f"rankings-daily {start} to {end} (period={period}, {param}={value})"
    try:
        body = client.get_json(RANKINGS_PATH, params, where=where, data_api=True)
    except BadRequestError as exc:
        raise BadRequestError(
            f"OpenRouter refused the {dimension} segment {value!r} ({param}={value}, period={period}) with "
            f"HTTP 400: it rejects some combinations of filter, period and dates (did the API change?); "
            f"refresh without --segments meanwhile. ({exc.message})", where=where) from None
    return parse_rankings_body(body, start=start, end=end, period=period, where=where)
