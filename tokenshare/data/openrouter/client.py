"""HTTP client for OpenRouter's Data API (``datasets/rankings-daily``) and models API.

One ``requests.Session`` with connect and read timeouts, retrying through urllib3 with
``PacedRetry``. Client-side pacing keeps the Data API under 30 requests a minute, and
a per-run budget stops before the 500-requests-a-day limit (``openrouter.pacing``).
Every response is validated before use
(``parse_rankings_body``, ``parse_models_body``); a problem raises an
``OpenRouterError`` that says what is wrong and where, and never contains the API key.

The response formats and their checks are in ``tokenshare.data.openrouter.responses``,
the errors in ``tokenshare.data.openrouter.errors``, and where the key comes from in
``tokenshare.data.openrouter.key``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any, Callable, Mapping

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError

from tokenshare import __version__
from tokenshare.core import settings
from tokenshare.data.openrouter.errors import (
    AuthError,
    BadRequestError,
    BudgetExceeded,
    NetworkError,
    NotFoundError,
    OpenRouterError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from tokenshare.data.openrouter.responses import (
    DATASET_START,
    RankingsResponse,
    parse_models_body,
    parse_rankings_body,
)
from tokenshare.data.openrouter.key import KEY_ENV, KEY_URL
from tokenshare.data.openrouter.pacing import (
    DAILY_LIMIT,
    DEFAULT_MAX_REQUESTS,
    RATE_LIMIT_PER_MINUTE,
    PacedRetry,
    Pacer,
    RetryContext,
)

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
RANKINGS_PATH = "/datasets/rankings-daily"
MODELS_PATH = "/models"
BASE_URL_ENV = settings.BASE_URL_ENV


# Bounds on what a server may send: the largest real body (the model catalogue) is a few
# MB and about 6 levels deep; a 200,000-level body was a RecursionError traceback.
MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_JSON_DEPTH = 32


def json_depth(value: Any) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d)
            if d <= MAX_JSON_DEPTH:  # past the bound the answer is known: stop walking
                stack.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return deepest


def base_url_from_env(env: Mapping[str, str] | None = None) -> str:
    return (settings.base_url_from_env(env) or DEFAULT_BASE_URL).rstrip("/")


# --------------------------------------------------------------------------- client


ERROR_BODY_BYTES = 64 * 1024  # an error body is read this far at most, for its message


def _body_error_message(resp: requests.Response) -> str:
    """The message an error body gives (cut to 300 characters), or "" when it has none or
    is too big, too deep or not JSON. Redacted by the caller."""
    try:
        raw = b""
        for chunk in resp.iter_content(chunk_size=1 << 14):
            raw += chunk
            if len(raw) > ERROR_BODY_BYTES:
                return ""
        body = json.loads(raw)
    except (ValueError, RecursionError, requests.exceptions.RequestException):
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
        max_body_bytes: int = MAX_BODY_BYTES,
        pacer: Pacer | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._api_key = api_key
        self.base_url = (base_url or base_url_from_env()).rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.max_requests = max_requests
        self.max_body_bytes = max_body_bytes
        self.pacer = pacer or Pacer(sleep=sleep)
        self.requests_made = 0
        self.models_requests = 0
        self._current_ctx: RetryContext | None = None
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
        self._ctx_data = RetryContext(sleep=sleep, before_attempt=self._before_data_attempt,
                                       max_retry_after=max_retry_after)
        self._ctx_models = RetryContext(sleep=sleep, before_attempt=self._before_models_retry,
                                         max_retry_after=max_retry_after)
        self._mount()

    def __repr__(self) -> str:  # never show the key
        return f"OpenRouterClient(base_url={self.base_url!r}, key={'set' if self._api_key else 'missing'})"

    def _mount(self) -> None:
        retry = PacedRetry(**self._retry_settings)
        retry.retry_context = self._ctx_data
        self._adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", self._adapter)
        self.session.mount("https://", self._adapter)

    def _use_ctx(self, ctx: RetryContext) -> None:
        self._adapter.max_retries.retry_context = ctx

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

    def get_json(self, path: str, params: Mapping[str, str] | None = None, *, where: str,
                 data_api: bool) -> Any:
        """The parsed JSON body of ``GET <base_url><path>?<params>``, with the client's
        timeouts, retries, pacing, budget and body bounds. ``data_api=True``: a Data API
        request (needs the key, counted in ``requests_made`` against the budget);
        ``False``: the models API's way (no key sent, counted in ``models_requests``).
        A problem raises an ``OpenRouterError`` naming ``where``, never the key."""
        url = self.base_url + path
        params = dict(params or {})
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
        except OpenRouterError as exc:
            exc.redact_key(self._api_key)  # the server may echo the key in what it says
            raise
        finally:
            resp.close()

    def _read_body(self, resp: requests.Response, *, where: str, params: dict, data_api: bool) -> Any:
        status = resp.status_code
        if status in (401, 403):  # the body is not read: closing the response discards it
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
            raise NotFoundError(
                f"HTTP 404: {resp.url.split('?')[0]} does not exist; check {BASE_URL_ENV} "
                f"(now {self.base_url})", where=where)
        if status != 200:
            detail = _body_error_message(resp)
            raise ServerError(f"unexpected HTTP {status}" + (f": {detail}" if detail else ""), where=where)
        raw = self._bounded_body(resp, where=where)
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            pos = getattr(exc, "pos", None)
            raise ValidationError(
                f"the response body is not valid JSON ({len(raw)} bytes"
                + (f", error at byte {pos}" if pos is not None else "")
                + "); it may be truncated; nothing from it was used", where=where) from None
        except RecursionError:  # nested past Python's own limit
            too_deep = True
        except ValueError as exc:  # e.g. an integer of thousands of digits
            raise ValidationError(f"the response body is not usable JSON ({str(exc)[:120]}); "
                                  "nothing from it was used", where=where) from None
        else:
            too_deep = json_depth(body) > MAX_JSON_DEPTH
        if too_deep:
            raise ValidationError(
                f"the response body is nested more than {MAX_JSON_DEPTH} levels deep; the Data API's "
                "bodies are a few levels deep, so nothing from it was used", where=where)
        return body

    def _bounded_body(self, resp: requests.Response, *, where: str) -> bytes:
        """The body, read at most ``max_body_bytes`` (a larger one is refused, not read)."""
        limit = self.max_body_bytes
        too_big = ValidationError(
            f"the response body is larger than {limit:,} bytes; the Data API's bodies are far "
            "smaller, so nothing from it was used", where=where)
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks, size = [], 0
        try:
            for chunk in resp.iter_content(chunk_size=1 << 16):
                size += len(chunk)
                if size > limit:
                    raise too_big
                chunks.append(chunk)
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
            raise NetworkError(
                f"the response body was cut off before its end (truncated: {type(exc).__name__}); "
                "nothing from it was used", where=where) from None
        return b"".join(chunks)

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
        body = self.get_json(RANKINGS_PATH, params, where=where, data_api=True)
        return parse_rankings_body(body, start=start, end=end, period=period, category=category, where=where)

    def models(self) -> list[dict]:
        """The validated model catalogue (``/models?output_modalities=all``, no key)."""
        where = "models?output_modalities=all"
        body = self.get_json(MODELS_PATH, {"output_modalities": "all"}, where=where, data_api=False)
        return parse_models_body(body, where=where)
