"""A local stand-in for OpenRouter's Data API and models API, for the tests.

A real HTTP server (``http.server.ThreadingHTTPServer``) on 127.0.0.1 in a thread,
serving the recorded bodies in ``tests/fixtures/openrouter/``:

- ``GET /api/v1/models``: ``models.json`` (no key needed; records the query).
- ``GET /api/v1/models/{author}/{slug}/endpoints``: the providers of one model id from
  ``endpoints.json`` (``{model id: [endpoint, ...]}``), wrapped as the endpoints API
  does (``{"data": {"id", "name", ..., "endpoints": [...]}}``); a model id not in it
  answers 404, as for a retired model (no key needed; faults use endpoint="endpoints").
- ``GET /api/v1/datasets/rankings-daily``: needs ``Authorization: Bearer <key>``.
  ``period=day`` serves the rows of the loaded daily bodies dated inside
  [start_date, end_date]; when two bodies hold the same date, the one loaded later
  wins (a restatement). ``period=week&category=C`` serves ``rankings-weekly-C-*.json``
  rows whose week (a Monday) lies in [monday(start_date), end_date].
  A segment filter (``modality``, ``context_bucket``: daily allowed; ``language_type``:
  ``period=week`` only) serves the daily rows (summed into ISO weeks for
  ``period=week``) scaled by ``segment_fraction(slug, param, value)``, a fixed fraction
  per model and segment, so a test can compute the expected figures itself. Two filters
  at once, a category with a segment, ``language_type`` with ``period=day`` or an unknown
  value are a 400, as the API documents.

Faults are queued with ``fault(kind, ...)``; each applies to the next matching
request(s) after ``skip`` of them have passed:
``status`` (an HTTP status, optional Retry-After and ``body``), ``sleep`` (answer late),
``truncate`` (Content-Length larger than the bytes sent, then close), ``cut_json``
(a body cut in half, consistent Content-Length), ``body`` (serve this JSON instead),
``mutate`` (a function from the normal body to the served body). A fault with
``params`` applies only to requests whose query has those values (e.g.
``params={"modality": "audio"}``).

``synth_until=DATE`` (off by default) also serves every day from 2025-01-01 to DATE
that no loaded body holds, and every week of any category: the template day's
(2025-01-07) or week's rows re-dated, token counts varied by date (deterministic), with
``as_of`` the day after DATE at 02:00Z; for long runs (the auto-refresh tests).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import zlib
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlparse

from tests import openrouter_extras as extras

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "openrouter"
API_KEY = "sk-or-test-0123456789abcdef"
DAILY_FIRST = [
    "rankings-daily-2025-01-01_2025-01-07.json",
    "rankings-daily-2025-01-08_2025-01-14.json",
]
DAILY_DAY_LATER = "rankings-daily-2025-01-12_2025-01-15.json"
DATASET_START = dt.date(2025, 1, 1)
SEGMENT_PARAMS = {
    "modality": ("text", "image", "image_output", "audio", "tool_calling"),
    "context_bucket": ("1K", "10K", "100K", "1M", "10M"),
    "language_type": ("natural", "programming"),
}
WEEKLY_ONLY = ("language_type",)


def segment_fraction(slug: str, param: str, value: str) -> float:
    """The stand-in's share of a model's tokens in a segment: fixed, from a checksum."""
    return (zlib.crc32(f"{slug}|{param}|{value}".encode()) % 1000) / 1000


def segment_tokens(total: int, slug: str, param: str, value: str) -> int:
    return int(total * segment_fraction(slug, param, value))


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass
class Fault:
    kind: str
    endpoint: str = "rankings"  # or "models", "endpoints"
    times: int = 1
    skip: int = 0
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0
    body: Any = None
    mutate: Callable[[dict], Any] | None = None
    params: dict | None = None  # only requests whose query has these values


@dataclass
class Seen:
    path: str
    params: dict
    authorization: str | None
    at: float
    status: int = 0


class FakeOpenRouter:
    def __init__(self, daily: list[str] | None = None, key: str = API_KEY,
                 synth_until: dt.date | None = None):
        self.key = key
        self.synth_until = synth_until
        self.daily: dict[dt.date, list[dict]] = {}
        self.daily_as_of: dict[dt.date, str] = {}
        for name in DAILY_FIRST if daily is None else daily:
            self.add_daily(name)
        self.models_body = load_fixture("models.json")
        self.endpoints: dict[str, list[dict]] = load_fixture("endpoints.json")
        self.faults: list[Fault] = []
        self.requests: list[Seen] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        # A client that refuses a body closes the connection unread: no traceback on stderr.
        self.httpd.handle_error = lambda request, client_address: None
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # -- set-up

    def add_daily(self, name: str) -> None:
        body = load_fixture(name)
        by_date: dict[dt.date, list[dict]] = {}
        for r in body["data"]:
            by_date.setdefault(dt.date.fromisoformat(r["date"]), []).append(r)
        for d, rows in by_date.items():
            self.daily[d] = rows
            self.daily_as_of[d] = body["meta"]["as_of"]

    def synth_as_of(self) -> str:
        return f"{self.synth_until + dt.timedelta(days=1)}T02:00:00Z"

    def _synth_day(self, d: dt.date) -> list[dict]:
        template = self.daily.get(dt.date(2025, 1, 7)) or next(iter(self.daily.values()))
        n = (d - DATASET_START).days
        return [{**r, "date": str(d), "total_tokens": str(int(r["total_tokens"]) * (10 + (n * (i + 3)) % 17) // 10)}
                for i, r in enumerate(template)]

    def _synth_week(self, monday: dt.date, category: str) -> list[dict]:
        body = load_fixture("rankings-weekly-programming-2025-01-06_2025-01-12.json")
        n = (monday - DATASET_START).days // 7 + len(category)
        return [{**r, "date": str(monday), "total_tokens": str(int(r["total_tokens"]) * (10 + (n * (i + 2)) % 13) // 10)}
                for i, r in enumerate(body["data"])]

    def fault(self, kind: str, **kw) -> Fault:
        f = Fault(kind, **kw)
        with self.lock:
            self.faults.append(f)
        return f

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/api/v1"

    def start(self) -> "FakeOpenRouter":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- what was asked

    def endpoint_requests(self) -> list[Seen]:
        return [r for r in self.requests if r.path.endswith("/endpoints")]

    def data_requests(self) -> list[Seen]:
        return [r for r in self.requests if r.path.endswith("/datasets/rankings-daily")]

    def day_windows(self) -> list[tuple[str, str]]:
        return [(r.params["start_date"], r.params["end_date"]) for r in self.data_requests()
                if r.params.get("period", "day") == "day"]

    # -- responses

    def _take_fault(self, endpoint: str, params: dict | None = None) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.endpoint != endpoint or f.times <= 0:
                    continue
                if f.params and any((params or {}).get(k) != v for k, v in f.params.items()):
                    continue
                if f.skip > 0:
                    f.skip -= 1
                    return None
                f.times -= 1
                return f
        return None

    def rankings_body(self, params: dict) -> tuple[int, Any]:
        try:
            start = dt.date.fromisoformat(params["start_date"])
            end = dt.date.fromisoformat(params["end_date"])
        except (KeyError, ValueError):
            return 400, {"error": {"code": 400, "message": "start_date and end_date must be YYYY-MM-DD"}}
        if end < DATASET_START:
            return 400, {"error": {"code": 400, "message": f"end_date {end} is before 2025-01-01"}}
        start = max(start, DATASET_START)
        period = params.get("period", "day")
        category = params.get("category")
        segs = [k for k in SEGMENT_PARAMS if k in params]
        if segs:
            return self.segment_body(params, segs, start, end, period, category)
        if category:
            if period == "day":
                return 400, {"error": {"code": 400, "message": "category needs period=week or month"}}
            files = sorted(FIXTURES.glob(f"rankings-weekly-{category.replace('/', '-')}-*.json"))
            rows, as_of = [], "2025-01-15T02:00:00Z"
            lo = start - dt.timedelta(days=start.weekday())
            for f in files:
                body = json.loads(f.read_text(encoding="utf-8"))
                as_of = body["meta"]["as_of"]
                rows += [r for r in body["data"] if lo <= dt.date.fromisoformat(r["date"]) <= end]
            if self.synth_until is not None:
                have = {r["date"] for r in rows}
                monday = lo
                while monday <= min(end, self.synth_until):
                    if str(monday) not in have:
                        rows += self._synth_week(monday, category)
                    monday += dt.timedelta(days=7)
                as_of = self.synth_as_of()
        else:
            rows, as_ofs = [], []
            for d in sorted(self.daily):
                if start <= d <= end:
                    rows += self.daily[d]
                    as_ofs.append(self.daily_as_of[d])
            if self.synth_until is not None:
                d = start
                while d <= min(end, self.synth_until):
                    if d not in self.daily:
                        rows += self._synth_day(d)
                        as_ofs.append(self.synth_as_of())
                    d += dt.timedelta(days=1)
                rows.sort(key=lambda r: r["date"])
            as_of = max(as_ofs) if as_ofs else max(self.daily_as_of.values())
        meta = {"as_of": as_of, "start_date": str(start), "end_date": str(end), "version": "v1"}
        return 200, {"data": [dict(r) for r in rows], "meta": meta}

    def segment_body(self, params: dict, segs: list, start, end, period: str, category) -> tuple[int, Any]:
        def bad(message):
            return 400, {"error": {"code": 400, "message": message}}

        if len(segs) > 1 or category:
            return bad(f"{' and '.join(segs + (['category'] if category else []))} cannot be combined")
        param = segs[0]
        value = params[param]
        if value not in SEGMENT_PARAMS[param]:
            return bad(f"{param} must be one of {', '.join(SEGMENT_PARAMS[param])}")
        if param in WEEKLY_ONLY and period == "day":
            return bad(f"{param} needs period=week or month")
        lo = start - dt.timedelta(days=start.weekday()) if period == "week" else start
        sums: dict[tuple, int] = {}
        as_ofs = []
        for d in sorted(self.daily):
            if not (start <= d <= end):
                continue
            as_ofs.append(self.daily_as_of[d])
            key_date = d - dt.timedelta(days=d.weekday()) if period == "week" else d
            if key_date < lo:
                continue
            for r in self.daily[d]:
                k = (key_date, r["model_permaslug"])
                sums[k] = sums.get(k, 0) + segment_tokens(int(r["total_tokens"]), r["model_permaslug"], param, value)
        rows = [{"date": str(d), "model_permaslug": slug, "total_tokens": str(t)}
                for (d, slug), t in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1] == "other", -kv[1], kv[0][1]))]
        as_of = max(as_ofs) if as_ofs else max(self.daily_as_of.values())
        meta = {"as_of": as_of, "start_date": str(start), "end_date": str(end), "version": "v1"}
        return 200, {"data": rows, "meta": meta}

    def endpoints_body(self, path: str) -> tuple[int, Any]:
        """The endpoints body of the model id in ``/api/v1/models/{author}/{slug}/endpoints``."""
        from urllib.parse import unquote

        model_id = unquote(path[len("/api/v1/models/"):-len("/endpoints")])
        if model_id not in self.endpoints:
            return 404, {"error": {"code": 404, "message": "Model not found"}}
        eps = [dict(e, model_id=model_id) for e in self.endpoints[model_id]]
        return 200, {"data": {"id": model_id, "name": model_id, "created": 1735171200, "description": "fixture",
                              "architecture": {"modality": "text->text", "input_modalities": ["text"],
                                               "output_modalities": ["text"], "tokenizer": "Other"},
                              "endpoints": eps}}

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms stalls

            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, status: int, payload: bytes, headers: dict | None = None,
                      content_length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload) if content_length is None else content_length))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(payload)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                url = urlparse(self.path)
                params = {k: v[-1] for k, v in parse_qs(url.query).items()}
                seen = Seen(url.path, params, self.headers.get("Authorization"), time.monotonic())
                with server.lock:
                    server.requests.append(seen)
                if url.path == "/api/v1/models":
                    endpoint = "models"
                elif url.path == "/api/v1/datasets/rankings-daily":
                    endpoint = "rankings"
                elif url.path.startswith("/api/v1/models/") and url.path.endswith("/endpoints"):
                    endpoint = "endpoints"
                elif url.path in extras.PATHS:  # issue 23's four endpoints: faults use endpoint="extras"
                    endpoint = "extras"
                else:
                    seen.status = 404
                    return self._send(404, b'{"error": {"code": 404, "message": "not found"}}')
                fault = server._take_fault(endpoint, params)
                if fault is not None and fault.kind == "sleep":
                    time.sleep(fault.seconds)
                if fault is not None and fault.kind == "status":
                    seen.status = fault.status
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                    msg = json.dumps({"error": {"code": fault.status, "message": "injected"}}).encode()
                    if fault.body is not None:  # a status with a body of the test's own
                        msg = fault.body if isinstance(fault.body, bytes) else json.dumps(fault.body).encode()
                    return self._send(fault.status, msg, headers)
                if endpoint in ("rankings", "extras"):
                    if self.headers.get("Authorization") != f"Bearer {server.key}":
                        seen.status = 401
                        return self._send(401, b'{"error": {"code": 401, "message": "No auth credentials found"}}')
                    status, body = (server.rankings_body(params) if endpoint == "rankings"
                                    else extras.extras_body(url.path, params))
                elif endpoint == "endpoints":
                    status, body = server.endpoints_body(url.path)
                else:
                    status, body = 200, server.models_body
                if fault is not None and fault.kind == "body":
                    body = fault.body
                if fault is not None and fault.kind == "mutate":
                    body = fault.mutate(json.loads(json.dumps(body)))
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                seen.status = status
                if fault is not None and fault.kind == "truncate":
                    self._send(status, payload[: len(payload) // 2], content_length=len(payload))
                    self.close_connection = True
                    return
                if fault is not None and fault.kind == "cut_json":
                    return self._send(status, payload[: len(payload) // 2])
                return self._send(status, payload)

        return Handler
