"""The one reader of files over HTTP(S): a published root's ``latest.json``, a snapshot's
``manifest.json``, its tables and its reference files (issue 26, findings 2, 3, 11).

Every read is

- **streamed and bounded**: the body is read in chunks and refused past the byte limit
  of its kind (``LIMITS``), before more is kept; a Content-Length over the limit is
  refused unread;
- **timed as a whole**: a total deadline per file (``DEADLINES``: 10 s for the pointer,
  the manifest and the reference files, 120 s for a table), not per read, so a host that
  sends one byte a second cannot stretch it: the request runs in a helper thread and the
  caller stops waiting at the deadline (the helper stops at its next chunk, and its
  socket's own timeout is the deadline too);
- **kept at home**: redirects are followed by hand, at most ``MAX_REDIRECTS``, and only
  within the origin (scheme, host and port) of the URL asked for; any other is refused.

Errors are ``SnapshotError`` naming the file and what was wrong."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from tokenshare.data.snapshot.layout import MAX_MANIFEST_BYTES, SnapshotError

CHUNK = 64 << 10
MAX_REDIRECTS = 5
CONNECT_TIMEOUT_S = 5.0
LIMITS = {
    "pointer": 64 << 10,
    "manifest": MAX_MANIFEST_BYTES,
    "reference": 16 << 20,  # labs.csv and the other small files beside the tables
    "table": 2 << 30,
}
DEADLINES = {"pointer": 10.0, "manifest": 10.0, "reference": 10.0, "table": 120.0}
REDIRECTS = (301, 302, 303, 307, 308)


class Broken(SnapshotError):
    """The connection broke off in the body (a caller may resume with a range request)."""


@dataclass
class Answer:
    status: int
    body: bytes = b""  # when no sink was given
    size: int = 0


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def kind_of(name: str) -> str:
    if name.endswith("latest.json"):
        return "pointer"
    if name.endswith("manifest.json"):
        return "manifest"
    return "table" if name.endswith(".parquet") else "reference"


def get(session, url: str, name: str, where, *, kind: str | None = None, headers=None, sink=None,
        accept=(200,), until: float | None = None, on_status=None) -> Answer:
    """GET ``url`` (the file ``name`` of ``where``, for messages). The body goes to
    ``sink(chunk)`` when given, else into ``Answer.body``. A status in ``accept`` is
    read (after ``on_status(status)``, when given); any other is returned with an empty
    body (the caller says what it means)."""
    kind = kind or kind_of(name)
    limit, total = LIMITS[kind], DEADLINES[kind]
    deadline = total if until is None else max(until - time.monotonic(), 0.0)  # ``until``: a resume's share
    box: dict = {}
    cancel = threading.Event()

    def work():
        try:
            box["answer"] = _get(session, url, name, where, limit, (deadline, total), headers, sink, accept,
                                 cancel, on_status)
        except BaseException as exc:  # noqa: BLE001  (handed to the caller's thread)
            box["error"] = exc

    helper = threading.Thread(target=work, name="tokenshare-remote-read", daemon=True)
    helper.start()
    helper.join(deadline)
    if helper.is_alive():
        cancel.set()
        raise _late(name, where, total)
    if "error" in box:
        raise box["error"]
    return box["answer"]


def _get(session, url, name, where, limit, deadlines, headers, sink, accept, cancel, on_status) -> Answer:
    import requests

    home = origin(url)
    deadline, total = deadlines
    t_end = time.monotonic() + deadline
    for _ in range(MAX_REDIRECTS + 1):
        try:
            r = session.get(url, stream=True, allow_redirects=False, headers=headers or {},
                            timeout=(CONNECT_TIMEOUT_S, max(deadline, 0.1)))
        except requests.RequestException as exc:
            raise SnapshotError(f"cannot be fetched ({_short(exc)})", path=where, file=name) from None
        with r:
            if r.status_code in REDIRECTS:
                target = urljoin(url, r.headers.get("Location", ""))
                if origin(target) != home:
                    raise SnapshotError(
                        f"cannot be fetched: HTTP {r.status_code} redirects to another origin "
                        f"({origin(target)[0]}://{origin(target)[1]}:{origin(target)[2]}), which is not followed",
                        path=where, file=name)
                url = target
                continue
            if r.status_code not in accept:
                return Answer(r.status_code)
            if on_status is not None:
                on_status(r.status_code)
            return _body(r, name, where, limit, t_end, total, sink, cancel)
    raise SnapshotError(f"cannot be fetched: more than {MAX_REDIRECTS} redirects", path=where, file=name)


def _body(r, name, where, limit, t_end, total, sink, cancel) -> Answer:
    import requests

    declared = r.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(name, where, limit)
    parts, size = [], 0
    try:
        for chunk in r.iter_content(CHUNK):
            if cancel.is_set() or time.monotonic() > t_end:
                raise _late(name, where, total)
            size += len(chunk)
            if size > limit:
                raise _too_large(name, where, limit)
            if sink is not None:
                sink(chunk)
            else:
                parts.append(chunk)
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
        raise Broken(f"cannot be fetched ({_short(exc)})", path=where, file=name) from None
    except requests.RequestException as exc:
        raise SnapshotError(f"cannot be fetched ({_short(exc)})", path=where, file=name) from None
    return Answer(r.status_code, b"".join(parts), size)


def _late(name, where, total: float) -> SnapshotError:
    return SnapshotError(f"did not arrive within {total:g} s, the deadline for the whole file (the host is too "
                         "slow, or sends without end); it is tried again on a later visit", path=where, file=name)


def _too_large(name, where, limit) -> SnapshotError:
    size = f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit >> 10} KiB"
    return SnapshotError(f"is larger than {size}, the most a file of its kind may be", path=where, file=name)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__
