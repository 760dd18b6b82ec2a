"""The app layer's one cache: what a rerun would otherwise compute again, kept in memory
for every session of the process.

- **One way to fingerprint a frame** (``frame_fingerprint``): its rows (pandas' row
  hash, index included), columns, dtypes, index name and attrs, BLAKE2b; and one typed
  hash of any argument list (``fingerprint``: frames by that fingerprint, so ``1``,
  ``1.0``, ``"1"`` and ``True`` differ). A frame the cache made read-only is hashed
  once (the fingerprint is kept while the frame lives).
- **One key builder** (``key``): (snapshot id, query or function name, parameters,
  options), lists and sets frozen, parameters sorted.
- **One memory budget** (``BUDGET_BYTES``) for everything kept: query results, derived
  frames, finished chart specs, the sidebar's options and the Claims page's figures,
  least recently used dropped first, with hit and miss counts per kind (``stats()``;
  the bench prints them).
- **Shared frames are read-only** (``read_only``): the frames handed to every session as
  they are (derived frames, the sidebar's options, the Claims figures) have the numpy
  arrays under their number, bool and date columns flagged not writeable, so
  ``df.loc[...] = v``, ``df.iloc[...] = v``, ``df.at[...] = v`` or an in-place ``fillna``
  on one raises ``ValueError`` instead of changing what every session sees. (pandas 3 is
  copy-on-write: a frame derived from one copies before it writes, so code that changes
  its own result still works. String columns are Arrow-backed and replacing a whole
  column changes only the frame object: neither is blocked.) Query results are kept
  pickled instead (``tokenshare/app/state.py``), and each caller gets a new frame."""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections import OrderedDict

import numpy as np
import pandas as pd

BUDGET_BYTES = 256 * 2**20  # query results, derived frames, chart specs: all of them
ENTRY_OVERHEAD = 512  # bytes counted for any entry beyond what ``nbytes`` finds

_lock = threading.RLock()
_entries: OrderedDict = OrderedDict()  # (kind, key) -> (value, nbytes)
_bytes = 0
_counts: dict[str, dict[str, int]] = {}


class Uncacheable(Exception):
    """A value with no stable fingerprint: whatever asked computes without the cache."""


# --------------------------------------------------------------------------- fingerprints

# id(frame) -> (weak reference, fingerprint or None until asked) for the frames
# ``read_only`` made: one is hashed once, when a chart first needs it, not on every rerun. The weak reference tells a live frame from a new one
# that got a dead frame's id.
_known: dict[int, tuple] = {}


def frame_fingerprint(df: pd.DataFrame) -> bytes:
    """16 bytes that change when any row, the index, a column name or dtype, the index
    name or the attrs change."""
    known = _known.get(id(df))
    if known is not None and known[0]() is df and known[1] is not None:
        return known[1]
    try:
        rows = pd.util.hash_pandas_object(df, index=True).to_numpy()
    except TypeError as exc:  # a cell pandas cannot hash (a list)
        raise Uncacheable(str(exc)) from exc
    meta = repr((list(df.columns), [repr(t) for t in df.dtypes], df.index.name, df.attrs or None))
    token = hashlib.blake2b(rows.tobytes() + meta.encode(), digest_size=16).digest()
    if known is not None and known[0]() is df:  # a read-only frame: it cannot change, keep it
        _known[id(df)] = (known[0], token)
    return token


def _feed(value, h) -> None:
    """Feed ``value`` into the hash ``h``, typed."""
    token = getattr(value, "cache_token", None)
    if isinstance(token, bytes):  # a finished chart: the key it was built under
        h.update(b"C" + token)
    elif isinstance(value, pd.DataFrame):
        h.update(b"F" + frame_fingerprint(value))
    elif isinstance(value, pd.Series):
        h.update(b"S" + frame_fingerprint(value.to_frame()) + repr(value.name).encode())
    elif value is None or isinstance(value, (bool, int, float, str, bytes)):
        h.update(b"V" + repr((type(value).__name__, value)).encode())
    elif isinstance(value, (list, tuple)):
        h.update((b"L" if isinstance(value, list) else b"T") + str(len(value)).encode())
        for v in value:
            _feed(v, h)
    elif isinstance(value, (set, frozenset)):
        _feed(sorted(value, key=repr), h)
    elif isinstance(value, dict):
        h.update(b"D" + str(len(value)).encode())
        for k in sorted(value, key=repr):
            _feed(k, h)
            _feed(value[k], h)
    elif hasattr(value, "isoformat"):  # dates, timestamps
        h.update(b"d" + repr((type(value).__name__, value.isoformat())).encode())
    else:
        raise Uncacheable(type(value).__name__)


def fingerprint(*values) -> bytes:
    """16 bytes standing for ``values`` (frames by ``frame_fingerprint``); raises
    ``Uncacheable`` for a value it cannot hash."""
    h = hashlib.blake2b(digest_size=16)
    _feed(list(values), h)
    return h.digest()


# --------------------------------------------------------------------------- keys


def freeze(params: dict | None) -> tuple:
    """Parameters as a sorted tuple of pairs, lists and sets as tuples: hashable, and
    the same for the same values however they were given."""
    out = []
    for k, v in sorted((params or {}).items()):
        if isinstance(v, (set, frozenset)):
            v = tuple(sorted(v, key=repr))
        elif isinstance(v, list):
            v = tuple(v)
        out.append((k, v))
    return tuple(out)


def key(snapshot_id: str | None, name: str, params: dict | tuple | None = None,
        options: dict | tuple | None = None) -> tuple:
    """The key of (snapshot, query or function, parameters, options)."""
    params = params if isinstance(params, tuple) else freeze(params)
    options = options if isinstance(options, tuple) else freeze(options)
    return (snapshot_id, name, params, options)


# --------------------------------------------------------------------------- read-only frames


def read_only(df):
    """``df`` with the arrays under its number, bool and date columns flagged not
    writeable (copied first, so no other frame shares them): writing a value into it
    raises ValueError. Anything that is not a DataFrame comes back as it is."""
    if not isinstance(df, pd.DataFrame) or _known.get(id(df), (lambda: None,))[0]() is df:
        return df
    columns = {}
    for i, name in enumerate(df.columns):
        col = df.iloc[:, i]
        if isinstance(col.dtype, np.dtype):
            values = col.to_numpy(copy=True)
            values.flags.writeable = False
            col = pd.Series(values, index=df.index, name=name, copy=False)
        columns[i] = col
    out = pd.DataFrame(columns, index=df.index, copy=False) if columns else df.copy()
    out.columns = df.columns
    out.attrs = dict(df.attrs)
    key_ = id(out)  # its fingerprint is worked out when first asked for, then kept
    _known[key_] = (weakref.ref(out, lambda _r, k=key_: _known.pop(k, None)), None)
    return out


def is_read_only(df: pd.DataFrame) -> bool:
    """True when ``read_only`` made ``df``."""
    known = _known.get(id(df))
    return known is not None and known[0]() is df


# --------------------------------------------------------------------------- the budget


def nbytes(value) -> int:
    """What ``value`` holds in memory, roughly: frames by pandas' deep memory usage,
    objects that say (``nbytes``) by their word, containers by their items."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    if isinstance(value, (bytes, bytearray, str)):
        return len(value)
    size = getattr(value, "nbytes", None)
    if isinstance(size, int):
        return size
    if isinstance(value, (list, tuple)):
        return sum(nbytes(v) for v in value)
    if isinstance(value, dict):
        return sum(nbytes(v) for v in value.values())
    if hasattr(value, "__dataclass_fields__"):
        return sum(nbytes(getattr(value, f)) for f in value.__dataclass_fields__)
    return 64


def _count(kind: str, what: str) -> None:
    counts = _counts.setdefault(kind, {"hits": 0, "misses": 0})
    counts[what] = counts.get(what, 0) + 1


def recall(kind: str, key_) -> object | None:
    """The value kept under (kind, key), or None; counts a hit or a miss."""
    with _lock:
        hit = _entries.get((kind, key_))
        if hit is None:
            _count(kind, "misses")
            return None
        _entries.move_to_end((kind, key_))
        _count(kind, "hits")
        return hit[0]


def remember(kind: str, key_, value, size: int | None = None):
    """Keep ``value`` under (kind, key) within the budget (least recently used entries
    go first); returns ``value``."""
    global _bytes
    size = (nbytes(value) if size is None else size) + ENTRY_OVERHEAD
    with _lock:
        old = _entries.pop((kind, key_), None)
        if old is not None:
            _bytes -= old[1]
        _entries[(kind, key_)] = (value, size)
        _bytes += size
        while len(_entries) > 1 and _bytes > BUDGET_BYTES:
            (dropped_kind, _), (_, dropped) = _entries.popitem(last=False)
            _bytes -= dropped
            _count(dropped_kind, "evicted")
    return value


def cached(kind: str, key_, make):
    """The value kept under (kind, key), or ``make()`` kept there."""
    hit = recall(kind, key_)
    if hit is not None:
        return hit
    return remember(kind, key_, make())


def memoised(kind: str):
    """A decorator: the function's results kept in the one budget under (kind, its name,
    its arguments). Arguments whose names start with ``_`` are left out of the key (as
    with ``st.cache_*``), so the ones before them must say all the result depends on."""
    def wrap(fn):
        names = fn.__code__.co_varnames[:fn.__code__.co_argcount]

        @functools.wraps(fn)
        def kept(*args, **kwargs):
            bound = {**dict(zip(names, args)), **kwargs}
            key_ = (fn.__module__, fn.__qualname__,
                    tuple((n, v) for n, v in bound.items() if not n.startswith("_")))
            return cached(kind, key_, lambda: fn(*args, **kwargs))
        return kept
    return wrap


def clear(kind: str | None = None) -> None:
    """Forget every entry (of ``kind``); the counts stay."""
    global _bytes
    with _lock:
        for k in [k for k in _entries if kind is None or k[0] == kind]:
            _bytes -= _entries.pop(k)[1]


def stats() -> dict:
    """Per kind: hits, misses, evicted, entries and bytes kept; and the budget."""
    with _lock:
        out = {kind: {"hits": c.get("hits", 0), "misses": c.get("misses", 0), "evicted": c.get("evicted", 0),
                      "entries": 0, "bytes": 0} for kind, c in _counts.items()}
        for (kind, _), (_, size) in _entries.items():
            row = out.setdefault(kind, {"hits": 0, "misses": 0, "evicted": 0, "entries": 0, "bytes": 0})
            row["entries"] += 1
            row["bytes"] += size
        return {"kinds": out, "bytes": _bytes, "budget": BUDGET_BYTES}
