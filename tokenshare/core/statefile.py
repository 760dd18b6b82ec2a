"""The one reader of the app's own small JSON files (issue 26, findings 4 and 7): the
auto-refresh status, the Data API request budget, validation stamps, a local root's
``latest.json``, the providers' answer cache.

These files are written by the app, but anyone who can write the folder (another
process, a half-finished copy, a person) can leave anything there, and every page reads
some of them. So each is read within limits and never raises:

- only a regular file is opened, and it is opened without blocking (a FIFO or a device
  at that name is refused before any read: opening a FIFO for reading would wait for a
  writer);
- at most ``max_bytes`` (default 64 KiB) are read; a longer file is refused;
- UTF-8 text, JSON without NaN or Infinity, nested at most ``max_depth`` levels (the
  depth is checked before parsing, so a 200,000-deep ``[[[...`` is a message, not a
  RecursionError), a JSON object at the top.

``read_state(path)`` gives ``State(data, problem)``: ``data`` the object (``{}`` when
the file is missing or refused) and ``problem`` a one-line reason when the file was
there but refused (``None`` otherwise), for a notice."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 64 << 10
MAX_DEPTH = 16
NOT_REGULAR = "is not a regular file (a FIFO, a device or a folder); not opened"


@dataclass(frozen=True)
class State:
    data: dict = field(default_factory=dict)
    problem: str | None = None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON ``text`` (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def read_bytes_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """At most ``max_bytes`` of a regular file; OSError for anything else (ValueError
    when it is longer). Never blocks on a FIFO or a device."""
    if not stat.S_ISREG(os.stat(path).st_mode):  # before any open: opening a device can act
        raise ValueError(NOT_REGULAR)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between the two looks
            raise ValueError(NOT_REGULAR)
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > max_bytes:
        raise ValueError(f"is larger than {max_bytes >> 10} KiB; not read")
    return b"".join(chunks)


def parse_state(raw: bytes, *, max_depth: int = MAX_DEPTH) -> dict:
    """A JSON object from ``raw``; ValueError saying what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("is not UTF-8 text") from None
    if nesting_depth(text) > max_depth:
        raise ValueError(f"nests deeper than {max_depth} levels")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # a last guard: the depth check above should have caught it
        raise ValueError(f"nests deeper than {max_depth} levels") from None
    except ValueError as exc:
        raise ValueError(f"is not valid JSON ({str(exc).splitlines()[0][:80]})") from None
    if not isinstance(data, dict):
        raise ValueError(f"holds a JSON {type(data).__name__}, not an object")
    return data


def read_state(path: Path, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> State:
    """The JSON object in ``path`` within the limits (module docstring); never raises."""
    try:
        raw = read_bytes_limited(Path(path), max_bytes)
    except FileNotFoundError:
        return State()
    except (OSError, ValueError) as exc:
        reason = str(exc) if isinstance(exc, ValueError) else f"cannot be read ({exc.strerror or exc})"
        return State({}, f"{Path(path).name} {reason}")
    try:
        return State(parse_state(raw, max_depth=max_depth))
    except ValueError as exc:
        return State({}, f"{Path(path).name} {exc}")
