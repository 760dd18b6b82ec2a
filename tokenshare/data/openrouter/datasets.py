"""Four more Data API endpoints (issue 23), each body validated into rows of its
snapshot table (``tokenshare.data.snapshot.extra_tables``). The shapes are OpenRouter's
OpenAPI spec (``OpenRouterTeam/docs``, ``openapi/openapi.yaml``; the parts used are
trimmed into ``tests/fixtures/openrouter/openapi-extras.json``):

- ``GET /benchmarks?source=artificial-analysis``: ``UnifiedBenchmarksResponse`` with
  ``UnifiedBenchmarksAAItem`` items (indices are numbers or null; pricing strings, USD
  per token, or null) and ``UnifiedBenchmarksMeta`` (``citation``, ``source_url``...);
- ``GET /datasets/session-cost``: ``SessionCostResponse``, paged by ``limit``/``offset``;
- ``GET /classifications/task?window=7d``: ``TaskClassificationResponse`` (no ``meta``:
  ``data.as_of`` is the window's last day, ``data.window_days`` its length);
- ``GET /datasets/app-rankings``: ``AppRankingsResponse`` (``total_tokens`` a decimal string).

A body that does not match is a ``ValidationError`` naming the item and the field; the
caller (``refresh.extras``) then keeps the table's previous rows and says so. Null
indices are not an error (the source has not scored the model): they stay NULL.
"""

from __future__ import annotations

import datetime as dt
import math

from tokenshare.data.openrouter.endpoints import parse_price
from tokenshare.data.openrouter.errors import ValidationError

BENCHMARKS_PATH = "/benchmarks"
SESSION_COST_PATH = "/datasets/session-cost"
TASKS_PATH = "/classifications/task"
APPS_PATH = "/datasets/app-rankings"
TURN_RANGES = ("1-turn", "2-9-turns", "10-49-turns", "50-plus-turns")
MAX_ITEMS = 5_000
MAX_TEXT = 200
INDICES = ("intelligence_index", "coding_index", "agentic_index")


def _obj(value, what: str, where: str) -> dict:
    if not isinstance(value, dict):
        raise ValidationError(f"{what} is {'missing' if value is None else 'not an object'}", where=where)
    return value


def _items(body, where: str, key: str = "data") -> list:
    items = _obj(body, "the body", where).get(key)
    if not isinstance(items, list):
        raise ValidationError(f"{key} is missing or not a list", where=where)
    if len(items) > MAX_ITEMS:
        raise ValidationError(f"{key} lists {len(items):,} items (at most {MAX_ITEMS:,})", where=where)
    return items


def _text(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{key} is {'missing' if value is None else repr(value)[:40]}, not a name", where=where)
    if len(value) > MAX_TEXT:
        raise ValidationError(f"{key} is {len(value)} characters long (at most {MAX_TEXT})", where=where)
    return value.strip()


def _number(item: dict, key: str, where: str, *, low: float, high: float, nullable: bool = False) -> float | None:
    value = item.get(key)
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise ValidationError(f"{key} is {repr(value)[:40]}, not a number from {low:g} to {high:g}", where=where)
    return float(value)


def _whole(item: dict, key: str, where: str, *, low: int = 0) -> int:
    value = item.get(key)
    if isinstance(value, str) and value.isdigit() and len(value) <= 19:
        value = int(value)  # total_tokens: a decimal string, so 64-bit values survive JSON
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value < 2**63:
        raise ValidationError(f"{key} is {repr(value)[:40]}, not a whole number of {low} or more", where=where)
    return value


def _date(value, what: str, where: str) -> dt.date:
    """A YYYY-MM-DD date (a timestamp's date part is taken)."""
    try:
        if isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    raise ValidationError(f"{what} is {repr(value)[:40]}, not a date", where=where)


def _meta(body, where: str, required: tuple[str, ...]) -> dict:
    meta = _obj(_obj(body, "the body", where).get("meta"), "meta", where)
    for key in required:
        if key not in meta:
            raise ValidationError(f"meta.{key} is missing", where=where)
    # kept in the manifest: short scalars only
    return {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool)) or v is None}


def parse_benchmarks_body(body, *, fetched_on: dt.date, where: str) -> tuple[list[dict], dict]:
    """(benchmarks rows, meta) of an Artificial Analysis benchmarks body."""
    meta = _meta(body, where, ("as_of", "citation"))
    rows, seen = [], set()
    for i, item in enumerate(_items(body, where), start=1):
        at = f"{where}, item {i}"
        item = _obj(item, "the item", at)
        slug = _text(item, "model_permaslug", at)
        at = f"{where}, model {slug!r}"
        if item.get("source", "artificial-analysis") != "artificial-analysis":
            raise ValidationError(f"source is {repr(item.get('source'))[:40]}, not artificial-analysis", where=at)
        for key in INDICES:
            if key not in item:
                raise ValidationError(f"{key} is missing (the spec requires it, null when unscored)", where=at)
        if slug in seen:
            raise ValidationError("is listed twice", where=at)
        seen.add(slug)
        pricing = item.get("pricing")
        if pricing is not None and not isinstance(pricing, dict):
            raise ValidationError("pricing is not an object or null", where=at)
        pricing = pricing or {}
        rows.append({
            "model_permaslug": slug, "display_name": _text(item, "display_name", at),
            **{k: _number(item, k, at, low=0, high=100, nullable=True) for k in INDICES},
            "price_prompt_usd_per_mtok": parse_price(pricing.get("prompt"), field="prompt", where=at, required=False),
            "price_completion_usd_per_mtok": parse_price(pricing.get("completion"), field="completion", where=at,
                                                         required=False),
            "fetched_on": fetched_on,
        })
    return rows, meta


def parse_session_cost_body(body, *, fetched_on: dt.date, where: str) -> tuple[list[dict], dict]:
    """(session_cost rows, meta) of one session-cost page. A page of a window with no
    published snapshot (``window_days`` null) has no rows."""
    meta = _meta(body, where, ("as_of", "window_days", "window_end_date"))
    items = _items(body, where)
    if meta["window_days"] is None or meta["window_end_date"] is None:
        if items:
            raise ValidationError("lists cells but meta.window_days or meta.window_end_date is null", where=where)
        return [], meta
    days = _whole(meta, "window_days", where, low=1)
    end = _date(meta["window_end_date"], "meta.window_end_date", where)
    rows = []
    for i, item in enumerate(items, start=1):
        at = f"{where}, cell {i}"
        item = _obj(item, "the cell", at)
        turn = item.get("turn_range")
        if turn not in TURN_RANGES:
            raise ValidationError(f"turn_range is {repr(turn)[:40]}, not one of {', '.join(TURN_RANGES)}", where=at)
        rows.append({
            "app_slug": _text(item, "app_slug", at), "app_name": _text(item, "app_name", at),
            "model_permaslug": _text(item, "model_permaslug", at), "turn_range": turn,
            "median_session_cost_usd": _number(item, "median_session_cost_usd", at, low=0, high=1e6),
            "window_days": days, "window_end_date": end, "fetched_on": fetched_on,
        })
    return rows, meta


def parse_tasks_body(body, *, fetched_on: dt.date, where: str) -> tuple[list[dict], dict]:
    """(task_shares rows, meta) of a task classification body; meta is ``data``'s
    ``as_of``, ``window_days`` and the macro-categories."""
    data = _obj(_obj(body, "the body", where).get("data"), "data", where)
    end = _date(data.get("as_of"), "data.as_of", where)
    days = _whole(data, "window_days", where, low=1)
    macros = []
    for i, m in enumerate(_items(data, where, "macro_categories"), start=1):
        at = f"{where}, macro-category {i}"
        m = _obj(m, "the macro-category", at)
        macros.append({"key": _text(m, "key", at), "label": _text(m, "label", at),
                       "usage_share": _number(m, "usage_share", at, low=0, high=1),
                       "token_share": _number(m, "token_share", at, low=0, high=1)})
    rows, tags = [], set()
    for i, c in enumerate(_items(data, where, "classifications"), start=1):
        at = f"{where}, classification {i}"
        c = _obj(c, "the classification", at)
        tag = _text(c, "tag", at)
        at = f"{where}, tag {tag!r}"
        if tag in tags:
            raise ValidationError("is listed twice", where=at)
        tags.add(tag)
        base = {"window_end": end, "window_days": days, "tag": tag, "display_name": _text(c, "display_name", at),
                "macro_category": _text(c, "macro_category", at),
                **{k: _number(c, k, at, low=0, high=1) for k in
                   ("usage_share", "token_share", "category_usage_share", "category_token_share")},
                "fetched_on": fetched_on}
        models = _items(c, at, "models")
        for rank, m in enumerate(models, start=1):
            mat = f"{at}, model {rank}"
            m = _obj(m, "the model", mat)
            rows.append({**base, "model_rank": rank, "model_permaslug": _text(m, "id", mat),
                         "tag_usage_share": _number(m, "tag_usage_share", mat, low=0, high=1),
                         "tag_token_share": _number(m, "tag_token_share", mat, low=0, high=1)})
        if not models:
            rows.append({**base, "model_rank": 0, "model_permaslug": None, "tag_usage_share": None,
                         "tag_token_share": None})
    return rows, {"as_of": str(end), "window_days": days, "macro_categories": macros}


def parse_apps_body(body, *, fetched_on: dt.date, sort: str, category: str, subcategory: str,
                    where: str) -> tuple[list[dict], dict]:
    """(app_rankings rows, meta) of one app-rankings body; '' = no category filter."""
    meta = _meta(body, where, ("as_of", "start_date", "end_date"))
    start = _date(meta["start_date"], "meta.start_date", where)
    end = _date(meta["end_date"], "meta.end_date", where)
    rows, ranks = [], set()
    for i, item in enumerate(_items(body, where), start=1):
        at = f"{where}, app {i}"
        item = _obj(item, "the app", at)
        rank = _whole(item, "rank", at, low=1)
        if rank in ranks:
            raise ValidationError(f"rank {rank} is listed twice", where=at)
        ranks.add(rank)
        rows.append({"end_date": end, "start_date": start, "sort": sort, "category": category,
                     "subcategory": subcategory, "rank": rank, "app_id": _whole(item, "app_id", at),
                     "app_name": _text(item, "app_name", at), "total_tokens": _whole(item, "total_tokens", at),
                     "total_requests": _whole(item, "total_requests", at), "fetched_on": fetched_on})
    return rows, meta
