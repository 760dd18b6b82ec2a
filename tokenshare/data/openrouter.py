"""HTTP client for OpenRouter's Data API (``datasets/rankings-daily``) and models API.

One ``requests.Session`` with connect and read timeouts. Retries (connection errors,
read timeouts, 5xx, and 429 honouring ``Retry-After``) are urllib3's ``Retry`` on an
``HTTPAdapter``; the subclass below only makes its sleeping injectable, refuses to wait
absurdly long, and counts and paces the retried attempts like the first ones.

Client-side pacing keeps the Data API under 30 requests a minute, and a per-run budget
stops before the 500-requests-a-day limit. Every response is validated before use
(``parse_rankings_body``, ``parse_models_body``); a problem raises an
``OpenRouterError`` that says what is wrong and where, and never contains the API key.

The key comes from ``OPENROUTER_API_KEY``, else from ``.streamlit/secrets.toml``
(``OPENROUTER_API_KEY = "..."``); never from the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from tokenshare import __version__
from tokenshare.core import settings

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
RANKINGS_PATH = "/datasets/rankings-daily"
MODELS_PATH = "/models"
KEY_ENV = settings.API_KEY_ENV
BASE_URL_ENV = settings.BASE_URL_ENV
KEY_URL = "https://openrouter.ai/settings/keys"

DATASET_START = dt.date(2025, 1, 1)
DATASET_VERSION = "v1"
OTHER_PERMASLUG = "other"

RATE_LIMIT_PER_MINUTE = 30
DAILY_LIMIT = 500
# Stay strictly under both limits: 28 a minute, and at most 490 Data API requests in
# one run (the rest of the day's 500 is left for retries elsewhere and other tools).
DEFAULT_PER_MINUTE = 28
DEFAULT_MAX_REQUESTS = 490


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOKENS_RE = re.compile(r"^[0-9]+$")


# --------------------------------------------------------------------------- errors


class OpenRouterError(Exception):
    """Something went wrong talking to OpenRouter or reading what it sent.

    ``where`` says which request or file (never with the key)."""

    def __init__(self, message: str, *, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class AuthError(OpenRouterError):
    """401/403, or no key at all."""


class BadRequestError(OpenRouterError):
    """HTTP 400: typically a date out of range."""


class RateLimitError(OpenRouterError):
    """429 that retries could not get past, or a Retry-After too long to wait for."""


class BudgetExceeded(OpenRouterError):
    """The run would go over its request budget (kept under the 500-a-day limit)."""


class ServerError(OpenRouterError):
    """5xx after all retries, or another unexpected HTTP status."""


class NetworkError(OpenRouterError):
    """Could not connect, timed out, or the connection broke mid-body."""


class ValidationError(OpenRouterError):
    """A response body does not match the documented format."""


# --------------------------------------------------------------------------- API key


def secrets_toml_paths() -> list[Path]:
    """Where ``.streamlit/secrets.toml`` is looked for: the working directory, then the
    repository root (Streamlit reads the one in the working directory)."""
    return settings.secrets_toml_paths()


def _key_from_toml(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return None
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message names a line and column, not the content.
        raise AuthError(f"is not valid TOML ({exc})", where=str(path)) from None
    except OSError as exc:
        raise AuthError(f"cannot be read ({exc.strerror or exc})", where=str(path)) from None
    value = data.get(KEY_ENV)
    if value is None:
        return None
    if not isinstance(value, str):
        raise AuthError(f"{KEY_ENV} must be a string", where=str(path))
    return value.strip() or None


def resolve_api_key(
    secrets: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    secrets_paths: Iterable[Path] | None = None,
) -> str | None:
    """The API key: ``OPENROUTER_API_KEY`` from the environment, else from a secrets
    mapping (``st.secrets``), else from ``.streamlit/secrets.toml``. None if absent.

    Internal: the key is passed to the client and nowhere else."""
    value = settings.api_key_from_env(env)
    if value:
        return value
    if secrets is not None:
        try:
            sval = secrets.get(KEY_ENV)  # st.secrets supports .get
        except Exception:  # st.secrets raises if no secrets file exists at all
            sval = None
        if isinstance(sval, str) and sval.strip():
            return sval.strip()
    for path in secrets_toml_paths() if secrets_paths is None else secrets_paths:
        key = _key_from_toml(Path(path))
        if key:
            return key
    return None


def api_key_available(
    secrets: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    secrets_paths: Iterable[Path] | None = None,
) -> bool:
    """Whether a key is configured (environment, ``st.secrets`` or secrets.toml).
    Never returns the key; a malformed secrets.toml counts as no key."""
    try:
        return resolve_api_key(secrets, env=env, secrets_paths=secrets_paths) is not None
    except AuthError:
        return False


def base_url_from_env(env: Mapping[str, str] | None = None) -> str:
    return (settings.base_url_from_env(env) or DEFAULT_BASE_URL).rstrip("/")


# --------------------------------------------------------------------------- pacing


class Pacer:
    """Spaces Data API requests at least ``60 / per_minute`` seconds apart.

    ``clock`` and ``sleep`` are injectable so tests run without waiting."""

    def __init__(
        self,
        per_minute: float = DEFAULT_PER_MINUTE,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not 0 < per_minute < RATE_LIMIT_PER_MINUTE:
            raise ValueError(f"per_minute must be between 0 and {RATE_LIMIT_PER_MINUTE} (exclusive)")
        self.interval = 60.0 / per_minute
        self.clock = clock
        self.sleep = sleep
        self._next: float | None = None
        self.waited = 0.0

    def wait(self) -> None:
        now = self.clock()
        if self._next is not None and now < self._next:
            delay = self._next - now
            self.sleep(delay)
            self.waited += delay
            now = max(self.clock(), self._next)
        self._next = now + self.interval


# --------------------------------------------------------------------------- retries


class RetryAfterTooLong(RateLimitError):
    pass


@dataclass
class _RetryContext:
    sleep: Callable[[float], None]
    before_attempt: Callable[[], None]
    max_retry_after: float
    retries_sent: int = 0
    slept: list = field(default_factory=list)


class PacedRetry(Retry):
    """urllib3 ``Retry`` whose sleeps go through an injectable function.

    Retry-After is honoured as urllib3 does (``respect_retry_after_header``); a wait
    longer than ``max_retry_after`` raises ``RetryAfterTooLong`` instead of hanging.
    Each retried attempt also goes through the pacer and the request budget."""

    _ctx: _RetryContext | None = None

    def new(self, **kw: Any) -> "PacedRetry":
        r = super().new(**kw)
        r._ctx = self._ctx
        return r

    def sleep(self, response=None) -> None:
        ctx = self._ctx
        if ctx is None:  # pragma: no cover - always set by the client
            return super().sleep(response)
        seconds = 0.0
        header = response.headers.get("Retry-After") if response is not None else None
        if self.respect_retry_after_header and header is not None:
            seconds = self.parse_retry_after(header)
            if seconds > ctx.max_retry_after:
                raise RetryAfterTooLong(
                    f"HTTP {response.status}: OpenRouter asks to wait {seconds:.0f} s before "
                    f"the next request (Retry-After); that is longer than {ctx.max_retry_after:.0f} s, "
                    "so this run stops. The Data API allows 30 requests a minute and 500 a day; "
                    "try again later."
                )
        if not seconds:
            seconds = self.get_backoff_time()
        if seconds > 0:
            ctx.slept.append(seconds)
            ctx.sleep(seconds)
        ctx.before_attempt()
        ctx.retries_sent += 1


# --------------------------------------------------------------------------- parsing


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
    start = start or meta_dates["start_date"]
    end = end or meta_dates["end_date"]
    lo = monday_of(start) if period == "week" else start
    data = body.get("data")
    if not isinstance(data, list):
        raise fail("'data' is missing or not a list")
    rows: list[UsageRow] = []
    seen: set[tuple[dt.date, str]] = set()
    others: set[dt.date] = set()
    for i, rec in enumerate(data):
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
        if (d, slug) in seen:
            if slug == OTHER_PERMASLUG:
                raise fail(f"{at}: more than one 'other' row for {d}")
            raise fail(f"{at}: (date, model_permaslug) appears twice; it must be unique")
        seen.add((d, slug))
        if slug == OTHER_PERMASLUG:
            others.add(d)
        rows.append(UsageRow(d, slug, int(tokens)))
    return RankingsResponse(
        rows=rows, as_of=meta["as_of"], version=version, meta=dict(meta),
        start=start, end=end, period=period, category=category,
    )


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


# --------------------------------------------------------------------------- client


def _body_error_message(resp: requests.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and isinstance(err.get("message"), str):
            return err["message"][:300]
        if isinstance(err, str):
            return err[:300]
        if isinstance(body.get("message"), str):
            return body["message"][:300]
    return ""


class OpenRouterClient:
    """The Data API and models API over one ``requests.Session``.

    ``requests_made`` counts Data API HTTP attempts (retries included);
    ``models_requests`` the models API ones."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        retries: int = 4,
        read_retries: int = 2,
        backoff_factor: float = 1.0,
        backoff_max: float = 60.0,
        max_retry_after: float = 300.0,
        max_requests: int = DEFAULT_MAX_REQUESTS,
        pacer: Pacer | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._api_key = api_key
        self.base_url = (base_url or base_url_from_env()).rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.max_requests = max_requests
        self.pacer = pacer or Pacer(sleep=sleep)
        self.requests_made = 0
        self.models_requests = 0
        self._current_ctx: _RetryContext | None = None
        self._retry_total = retries
        self._retry_settings = dict(
            total=retries,
            connect=retries,
            read=read_retries,
            status=retries,
            other=0,
            redirect=3,
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            retry_after_max=10**9,  # we check the wait ourselves (PacedRetry.sleep)
            raise_on_status=False,
        )
        self._sleep = sleep
        self.session = requests.Session()
        self.session.headers.update({
            "User-Agent": f"tokenshare/{__version__}",
            "Accept": "application/json",
        })
        if api_key:
            self.session.headers["Authorization"] = f"Bearer {api_key}"
        self._ctx_data = _RetryContext(sleep=sleep, before_attempt=self._before_data_attempt,
                                       max_retry_after=max_retry_after)
        self._ctx_models = _RetryContext(sleep=sleep, before_attempt=self._before_models_retry,
                                         max_retry_after=max_retry_after)
        self._mount()

    def __repr__(self) -> str:  # never show the key
        return f"OpenRouterClient(base_url={self.base_url!r}, key={'set' if self._api_key else 'missing'})"

    def _mount(self) -> None:
        retry = PacedRetry(**self._retry_settings)
        retry._ctx = self._ctx_data
        self._adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", self._adapter)
        self.session.mount("https://", self._adapter)

    def _use_ctx(self, ctx: _RetryContext) -> None:
        self._adapter.max_retries._ctx = ctx

    @property
    def has_key(self) -> bool:
        return bool(self._api_key)

    @property
    def slept(self) -> list[float]:
        """Retry sleeps (backoff and Retry-After), in seconds, in order."""
        return self._ctx_data.slept + self._ctx_models.slept

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- budget and pacing

    def _before_data_attempt(self) -> None:
        if self.requests_made + 1 > self.max_requests:
            raise BudgetExceeded(
                f"stopping before the Data API's {DAILY_LIMIT}-requests-a-day limit: this run "
                f"has made {self.requests_made} requests (budget {self.max_requests})"
            )
        self.pacer.wait()
        self.requests_made += 1

    def _before_models_retry(self) -> None:
        self.models_requests += 1

    # -- HTTP

    def _get(self, path: str, params: dict, *, where: str, data_api: bool) -> Any:
        url = self.base_url + path
        if data_api:
            if not self._api_key:
                raise AuthError(
                    f"no OpenRouter API key: set {KEY_ENV} in the environment or put "
                    f'{KEY_ENV} = "..." in .streamlit/secrets.toml (get a key at {KEY_URL})',
                    where=where,
                )
            self._before_data_attempt()
            self._use_ctx(self._ctx_data)
            headers = None
        else:
            self.models_requests += 1
            self._use_ctx(self._ctx_models)
            headers = {"Authorization": None}  # the models API needs no key: don't send it
        try:
            resp = self.session.get(url, params=params, headers=headers, timeout=self.timeout, stream=True)
        except OpenRouterError as exc:
            if exc.where is None:
                exc.where = where
                exc.args = (f"{where}: {exc.message}",)
            raise
        except requests.exceptions.ConnectTimeout:
            raise NetworkError(
                f"could not connect to {self.base_url} within {self.timeout[0]:g} s "
                f"(connect timeout, after retries)", where=where) from None
        except requests.exceptions.ReadTimeout:
            raise NetworkError(
                f"no answer from {self.base_url} within {self.timeout[1]:g} s (read timeout)",
                where=where) from None
        except requests.exceptions.ConnectionError as exc:
            reason = getattr(exc.args[0], "reason", None) if exc.args else None
            if isinstance(reason, ReadTimeoutError):
                raise NetworkError(
                    f"no answer from {self.base_url} within {self.timeout[1]:g} s "
                    f"(read timeout, {self._retry_settings['read'] + 1} tries)", where=where) from None
            raise NetworkError(
                f"could not connect to {self.base_url} ({type(reason or exc).__name__}), after "
                f"{self._retry_total} retries with backoff; check the network or {BASE_URL_ENV}",
                where=where) from None
        except requests.exceptions.RequestException as exc:
            raise NetworkError(f"request failed: {type(exc).__name__}", where=where) from None
        try:
            return self._read_body(resp, where=where, params=params, data_api=data_api)
        finally:
            resp.close()

    def _read_body(self, resp: requests.Response, *, where: str, params: dict, data_api: bool) -> Any:
        status = resp.status_code
        if status in (401, 403):
            resp.content  # noqa: B018 - drain
            raise AuthError(
                f"HTTP {status}: OpenRouter refused the API key; it is missing or wrong. "
                f"Check {KEY_ENV} (environment or .streamlit/secrets.toml); keys are at {KEY_URL}",
                where=where,
            )
        if status == 400:
            detail = _body_error_message(resp)
            dates = ", ".join(f"{k}={params[k]}" for k in ("start_date", "end_date") if k in params)
            raise BadRequestError(
                f"HTTP 400: a date is out of range ({dates or 'no dates sent'}); the dataset "
                f"starts {DATASET_START} and ends at the latest completed UTC day"
                + (f". OpenRouter says: {detail}" if detail else ""),
                where=where,
            )
        if status == 429:
            raise RateLimitError(
                f"HTTP 429: rate limited by OpenRouter after {self._retry_total} retries "
                f"(the Data API allows {RATE_LIMIT_PER_MINUTE} requests a minute and {DAILY_LIMIT} a day); "
                "try again later", where=where)
        if status >= 500:
            raise ServerError(
                f"HTTP {status}: OpenRouter server error, still failing after {self._retry_total} "
                "retries with backoff; try again later", where=where)
        if status == 404:
            raise ServerError(
                f"HTTP 404: {resp.url.split('?')[0]} does not exist; check {BASE_URL_ENV} "
                f"(now {self.base_url})", where=where)
        if status != 200:
            detail = _body_error_message(resp)
            raise ServerError(f"unexpected HTTP {status}" + (f": {detail}" if detail else ""), where=where)
        try:
            raw = resp.content
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
            raise NetworkError(
                f"the response body was cut off before its end (truncated: {type(exc).__name__}); "
                "nothing from it was used", where=where) from None
        try:
            return json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            pos = getattr(exc, "pos", None)
            raise ValidationError(
                f"the response body is not valid JSON ({len(raw)} bytes"
                + (f", error at byte {pos}" if pos is not None else "")
                + "); it may be truncated; nothing from it was used", where=where) from None

    # -- endpoints

    def rankings(
        self,
        start: dt.date,
        end: dt.date,
        *,
        period: str = "day",
        category: str | None = None,
    ) -> RankingsResponse:
        """One validated rankings-daily response for [start, end] (inclusive)."""
        params: dict[str, str] = {"start_date": start.isoformat(), "end_date": end.isoformat(), "period": period}
        if category:
            params["category"] = category
        where = f"rankings-daily {start} to {end}" + (f" (period={period}, category={category})" if category else "")
        body = self._get(RANKINGS_PATH, params, where=where, data_api=True)
        return parse_rankings_body(body, start=start, end=end, period=period, category=category, where=where)

    def models(self) -> list[dict]:
        """The validated model catalogue (``/models?output_modalities=all``, no key)."""
        where = "models?output_modalities=all"
        body = self._get(MODELS_PATH, {"output_modalities": "all"}, where=where, data_api=False)
        return parse_models_body(body, where=where)
