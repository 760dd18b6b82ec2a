"""The providers of one model: ``GET /api/v1/models/{author}/{slug}/endpoints`` (no key).

The body is ``{"data": {"id", "name", ..., "endpoints": [endpoint, ...]}}``; each endpoint
(OpenRouter's OpenAPI spec, ``PublicEndpoint``) has ``provider_name``, ``tag``,
``context_length``, ``max_completion_tokens``, ``quantization`` (nullable), ``pricing``
(strings, USD per token: ``prompt`` and ``completion`` required, ``input_cache_read``
optional), ``uptime_last_30m`` (percent, nullable), ``latency_last_30m`` and
``throughput_last_30m`` (percentiles ``p50``... in ms and tokens a second, null without
a key). It is the state at the time of the request, not a history, and says nothing
about which provider served which token.

``parse_endpoints_body`` turns one body into ``model_endpoints.parquet`` rows or raises
``ValidationError`` naming the model, the endpoint and the field: a model's endpoints
are kept whole or not at all (a missing or garbage price fails the model, because a
spread computed without one provider would be wrong without saying so). Prices are
parsed as decimals ("0.0000003" -> 0.3 USD per million tokens); a JSON number is taken
too; a sign, a currency, words, NaN or infinity are refused. The optional figures
(uptime, latency, throughput, lengths) are kept when they are numbers in range and left
empty otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from tokenshare.data.openrouter.errors import ValidationError

ENDPOINTS_PATH = "/models/{author}/{slug}/endpoints"
MAX_ENDPOINTS = 500  # the most-served models have a few dozen
MAX_TEXT = 200
MAX_USD_PER_TOKEN = Decimal(1)  # $1,000,000 per million tokens: past it, a price is garbage
_PRICE_RE = re.compile(r"^\d{1,12}(\.\d{1,30})?([eE][-+]?\d{1,3})?$")
_MODEL_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}/[A-Za-z0-9][A-Za-z0-9._:-]{0,149}$")


def endpoints_path(model_id: str) -> str:
    """The request path for a model id (``author/slug``, maybe with a ``:variant``), each
    part quoted; a ValueError for anything that is not a plain model id."""
    if not isinstance(model_id, str) or not _MODEL_ID_RE.match(model_id) or ".." in model_id:
        raise ValueError(f"{model_id!r} is not an OpenRouter model id (author/slug)")
    author, slug = model_id.split("/", 1)
    return ENDPOINTS_PATH.format(author=quote(author, safe=""), slug=quote(slug, safe=":"))


def parse_price(value, *, field: str, where: str, required: bool) -> float | None:
    """A price in USD per token (a decimal string, or a JSON number) as USD per million
    tokens. None when absent and not ``required``; ValidationError otherwise."""
    if value is None:
        if required:
            raise ValidationError(f"pricing.{field} is missing", where=where)
        return None
    if isinstance(value, bool):
        raise ValidationError(f"pricing.{field} is true/false, not a price", where=where)
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0:
            raise ValidationError(f"pricing.{field} is {value!r}, not a price of 0 or more", where=where)
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _PRICE_RE.match(text):
            shown = text if len(text) <= 30 else text[:27] + "..."
            raise ValidationError(f"pricing.{field} is {shown!r}, not a decimal price in USD per token",
                                  where=where)
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
            raise ValidationError(f"pricing.{field} is not a decimal price", where=where) from None
    else:
        raise ValidationError(f"pricing.{field} is {type(value).__name__}, not a price", where=where)
    if number > MAX_USD_PER_TOKEN:
        raise ValidationError(f"pricing.{field} is {number} USD per token, past any real price", where=where)
    return float(number * 1_000_000)


def _number(value, low: float = 0.0, high: float = math.inf) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) and low <= value <= high else None


def _whole(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**62:
        return None
    return value


def _p50(value) -> float | None:
    return _number(value.get("p50")) if isinstance(value, dict) else None


def _text(value, what: str, where: str, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{what} is {'missing' if value is None else repr(value)[:40]}, not a name",
                              where=where)
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(f"{what} is {len(value)} characters long (at most {MAX_TEXT})", where=where)
    return value


def parse_endpoints_body(body, *, model_permaslug: str, model_id: str, fetched_on: dt.date,
                         where: str) -> list[dict]:
    """The model_endpoints rows of one endpoints body (see the module docstring)."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise ValidationError("the body is not {'data': {...}} (a model with its endpoints)", where=where)
    endpoints = body["data"].get("endpoints")
    if not isinstance(endpoints, list):
        raise ValidationError("data.endpoints is missing or not a list", where=where)
    if len(endpoints) > MAX_ENDPOINTS:
        raise ValidationError(f"data.endpoints lists {len(endpoints):,} endpoints (at most {MAX_ENDPOINTS})",
                              where=where)
    rows, tags = [], set()
    for i, ep in enumerate(endpoints):
        at = f"{where}, endpoint {i + 1}"
        if not isinstance(ep, dict):
            raise ValidationError("is not an object", where=at)
        provider = _text(ep.get("provider_name"), "provider_name", at, required=True)
        tag = _text(ep.get("tag"), "tag", at, required=False) or provider
        at = f"{where}, endpoint {tag!r}"
        if tag in tags:
            raise ValidationError("is listed twice", where=at)
        tags.add(tag)
        pricing = ep.get("pricing")
        if not isinstance(pricing, dict):
            raise ValidationError("pricing is missing" if pricing is None else "pricing is not an object", where=at)
        quant = ep.get("quantization")
        rows.append({
            "model_permaslug": model_permaslug,
            "model_id": model_id,
            "provider": provider,
            "endpoint_tag": tag,
            "quantization": quant.strip().lower()[:20] if isinstance(quant, str) and quant.strip() else None,
            "context_length": _whole(ep.get("context_length")),
            "max_completion_tokens": _whole(ep.get("max_completion_tokens")),
            "price_prompt_usd_per_mtok": parse_price(pricing.get("prompt"), field="prompt", where=at, required=True),
            "price_completion_usd_per_mtok": parse_price(pricing.get("completion"), field="completion", where=at,
                                                         required=True),
            "price_input_cache_read_usd_per_mtok": parse_price(pricing.get("input_cache_read"),
                                                               field="input_cache_read", where=at, required=False),
            "uptime_last_30m": _number(ep.get("uptime_last_30m"), 0.0, 100.0),
            "latency_p50_ms": _p50(ep.get("latency_last_30m")),
            "throughput_p50_tps": _p50(ep.get("throughput_last_30m")),
            "fetched_on": fetched_on,
        })
    return rows
