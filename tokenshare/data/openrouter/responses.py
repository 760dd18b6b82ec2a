"""OpenRouter's documented response formats, and the checks that make a body usable.

- ``GET /api/v1/datasets/rankings-daily`` (the Data API): ``{"data": [{"date":
  "YYYY-MM-DD", "model_permaslug": "...", "total_tokens": "digits"}, ...], "meta":
  {"version": "v1", "as_of": ISO timestamp, "start_date", "end_date", ...}}``. With
  ``period=day`` one row per (date, model) plus at most one ``other`` row per day (the
  long tail); with ``period=week`` the dates are ISO week starts (Mondays).
- ``GET /api/v1/models?output_modalities=all`` (no key): ``{"data": [{"id":
  "author/model", "canonical_slug", "hugging_face_id", "name", "created",
  "context_length", "pricing": {"prompt", "completion"}}, ...]}``.

``parse_rankings_body`` and ``parse_models_body`` accept a body only if it matches, and
otherwise raise a ``ValidationError`` naming the row at fault. They serve both the live
client (``tokenshare.data.openrouter.client``) and recorded bodies (``refresh --from-json``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

from tokenshare.data.snapshot.layout import OTHER_PERMASLUG
from tokenshare.data.openrouter.errors import ValidationError

DATASET_START = dt.date(2025, 1, 1)
DATASET_VERSION = "v1"

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOKENS_RE = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class UsageRow:
    date: dt.date
    model_permaslug: str
    total_tokens: int


@dataclass
class RankingsResponse:
    """A validated rankings-daily body."""

    rows: list[UsageRow]
    as_of: str
    version: str
    meta: dict
    start: dt.date
    end: dt.date
    period: str = "day"
    category: str | None = None


def monday_of(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _parse_timestamp(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def looks_like_rankings_body(body: Any) -> bool:
    return isinstance(body, dict) and isinstance(body.get("meta"), dict) and isinstance(body.get("data"), list)


def looks_like_models_body(body: Any) -> bool:
    if not isinstance(body, dict) or "meta" in body or not isinstance(body.get("data"), list):
        return False
    data = body["data"]
    return bool(data) and all(isinstance(m, dict) and "id" in m for m in data[:5])


def parse_rankings_body(
    body: Any,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    period: str = "day",
    category: str | None = None,
    where: str | None = None,
) -> RankingsResponse:
    """Validate a rankings-daily body and return its rows.

    ``start``/``end`` is the window asked for (defaults: the body's own meta dates).
    With ``period="week"`` every date must be a Monday (ISO week start) from the week
    containing ``start`` to ``end``. Raises ValidationError naming the row."""

    def fail(msg: str) -> ValidationError:
        return ValidationError(msg, where=where)

    meta, version, meta_start, meta_end = _rankings_meta(body, fail)
    start = start or meta_start
    end = end or meta_end
    lo = monday_of(start) if period == "week" else start
    data = body.get("data")
    if not isinstance(data, list):
        raise fail("'data' is missing or not a list")
    rows: list[UsageRow] = []
    seen: set[tuple[dt.date, str]] = set()
    for i, rec in enumerate(data):
        row, at = _rankings_row(i, rec, lo, end, period, fail)
        if (row.date, row.model_permaslug) in seen:
            if row.model_permaslug == OTHER_PERMASLUG:
                raise fail(f"{at}: more than one 'other' row for {row.date}")
            raise fail(f"{at}: (date, model_permaslug) appears twice; it must be unique")
        seen.add((row.date, row.model_permaslug))
        rows.append(row)
    return RankingsResponse(
        rows=rows, as_of=meta["as_of"], version=version, meta=dict(meta),
        start=start, end=end, period=period, category=category,
    )


def _rankings_meta(body: Any, fail: Callable[[str], ValidationError]) -> tuple[dict, str, dt.date, dt.date]:
    """(meta, version, meta start_date, meta end_date) of a rankings body, checked."""
    if not isinstance(body, dict):
        raise fail(f"the body is a JSON {type(body).__name__}, expected an object with 'data' and 'meta'")
    meta = body.get("meta")
    if not isinstance(meta, dict):
        raise fail("'meta' is missing or not an object")
    version = meta.get("version")
    if not isinstance(version, str):
        raise fail("meta.version is missing or not a string")
    if version != DATASET_VERSION:
        raise fail(
            f"meta.version is {version!r}; this tokenshare reads dataset version "
            f"{DATASET_VERSION!r} only (field names or grain may have changed), so nothing was imported"
        )
    if not _parse_timestamp(meta.get("as_of")):
        raise fail(f"meta.as_of {meta.get('as_of')!r} is not an ISO timestamp")
    meta_dates = {}
    for key in ("start_date", "end_date"):
        d = _parse_date(meta.get(key))
        if d is None:
            raise fail(f"meta.{key} {meta.get(key)!r} is not a YYYY-MM-DD date")
        meta_dates[key] = d
    return meta, version, meta_dates["start_date"], meta_dates["end_date"]


def _rankings_row(i: int, rec: Any, lo: dt.date, end: dt.date, period: str,
                  fail: Callable[[str], ValidationError]) -> tuple[UsageRow, str]:
    """(row, where it is) of ``data[i]``, checked on its own (uniqueness: the caller)."""
    at = f"data[{i}]"
    if not isinstance(rec, dict):
        raise fail(f"{at} is not an object")
    for key in ("date", "model_permaslug", "total_tokens"):
        if key not in rec:
            raise fail(f"{at} has no {key!r} field")
    d = _parse_date(rec["date"])
    if d is None:
        raise fail(f"{at}: date {rec['date']!r} is not a YYYY-MM-DD date")
    slug = rec["model_permaslug"]
    if not isinstance(slug, str) or not slug.strip():
        raise fail(f"{at} (date {d}): model_permaslug {slug!r} is not a non-empty string")
    at = f"{at} (date {d}, model_permaslug {slug})"
    tokens = rec["total_tokens"]
    if not isinstance(tokens, str):
        raise fail(f"{at}: total_tokens is a JSON {type(tokens).__name__}, expected a string of digits")
    if not _TOKENS_RE.match(tokens):
        raise fail(f"{at}: total_tokens {tokens!r} is not a non-negative integer")
    if int(tokens) > 2**63 - 1:
        raise fail(f"{at}: total_tokens {tokens} is too large for a 64-bit integer")
    if d < lo or d > end:
        raise fail(f"{at}: date {d} is outside the requested window {lo} to {end}")
    if period == "week" and d.weekday() != 0:
        raise fail(f"{at}: weekly bucket {d} is not a Monday (ISO week start)")
    return UsageRow(d, slug, int(tokens)), at


_MODEL_FIELDS: dict[str, tuple] = {
    "id": (str,),
    "canonical_slug": (str, type(None)),
    "hugging_face_id": (str, type(None)),
    "name": (str, type(None)),
    "created": (int, float, type(None)),
    "context_length": (int, float, type(None)),
    "pricing": (dict, type(None)),
}


def parse_models_body(body: Any, *, where: str | None = None) -> list[dict]:
    """Validate a models API body; return its models (the fields tokenshare uses)."""

    def fail(msg: str) -> ValidationError:
        return ValidationError(msg, where=where)

    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise fail("expected an object with a 'data' list of models")
    if not body["data"]:
        raise fail("the model catalogue is empty")
    out = []
    seen: set[str] = set()
    for i, m in enumerate(body["data"]):
        if not isinstance(m, dict):
            raise fail(f"data[{i}] is not an object")
        if "id" not in m:
            raise fail(f"data[{i}] has no 'id'")
        for key, types in _MODEL_FIELDS.items():
            if key in m and (not isinstance(m[key], types) or isinstance(m[key], bool)):
                raise fail(
                    f"data[{i}] (id {m.get('id')!r}): {key} is a JSON {type(m[key]).__name__}, "
                    f"expected {' or '.join('null' if t is type(None) else t.__name__ for t in types)}"
                )
        mid = m["id"].strip()
        if not mid or "/" not in mid:
            raise fail(f"data[{i}]: id {m['id']!r} is not of the form author/model")
        if mid in seen:
            raise fail(f"data[{i}]: id {mid!r} appears twice")
        seen.add(mid)
        pricing = m.get("pricing") or {}
        for pk in ("prompt", "completion"):
            pv = pricing.get(pk)
            if pv is not None and not isinstance(pv, (str, int, float)):
                raise fail(f"data[{i}] (id {mid}): pricing.{pk} is a JSON {type(pv).__name__}")
        out.append(m)
    return out
