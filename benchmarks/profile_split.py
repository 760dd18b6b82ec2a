"""Where a rerun's CPU goes: py-spy's raw (collapsed) stacks of the server, each sample
put in one bucket by the frames on its stack, first match wins in this order:

- **serialisation**: Arrow (pyarrow, Streamlit's DataFrame-to-Arrow conversion),
  protobuf and the JSON text of a chart spec, whoever calls it (Altair's data
  transformer included);
- **DuckDB**: the duckdb module and tokenshare's engine (running a named query and
  fetching its result);
- **Altair**: building a chart and its spec (altair, tokenshare.app.charts);
- **pandas** (and numpy): the pages' and analysis functions' frame work, and query
  results copied from the app's cache;
- **GC**: Streamlit's full garbage collection after every script run (the innermost
  frame is ScriptRunner._on_script_finished, which calls ``gc.collect(2)``; its other
  work is Python that py-spy sees as deeper frames);
- **Streamlit**: the rest, when the innermost frame is in streamlit, tornado or asyncio
  (the script runner, widgets, caching, the event loop, the websocket);
- **app code**: the rest (the pages' and tokenshare's own Python).
"""

from __future__ import annotations

from pathlib import Path

BUCKETS = ("serialisation", "DuckDB", "Altair", "pandas", "GC", "Streamlit", "app code")

_RULES = [
    ("serialisation", ("pyarrow/", "convert_anything_to_arrow_bytes", "_to_arrow_dataset", "google/protobuf",
                       "SerializeToString", "_stabilize_vega_json_spec", "serialize_forward_msg",
                       "populate_hash_if_needed")),
    ("DuckDB", ("duckdb/", "tokenshare/engine/", "duckdb.")),
    ("Altair", ("altair/", "tokenshare/app/charts/", "jsonschema/",
                "narwhals/")),
    ("pandas", ("pandas/", "numpy/")),
]
# The last two by the innermost frame: every script run's stack passes through
# Streamlit's script runner, so a page's own Python would otherwise count as Streamlit.
_STREAMLIT = ("streamlit/", "tornado/", "asyncio/", "threading.py", "concurrent/", "selectors.py", "websockets/")


# Innermost frames of a thread that waits (py-spy, non-blocking in a container, samples
# sleeping threads too): the event loop's epoll, Streamlit's file-polling thread's sleep,
# idle thread pools. Left out of the split.
IDLE = ("EpollSelector.select ", "PollingPathWatcher._schedule.<locals>.task ", "Condition.wait ",
        "_worker (concurrent/futures/thread.py", "Event.wait ", "Thread.join ", "sleep ")


def read_raw(path: Path) -> dict[str, int]:
    """py-spy ``--format raw``: one line a stack, ``frame;frame;... count``."""
    stacks: dict[str, int] = {}
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks[stack] = stacks.get(stack, 0) + int(count)
    return stacks


def bucket(stack: str) -> str:
    for name, needles in _RULES:
        if any(n in stack for n in needles):
            return name
    leaf = stack.rsplit(";", 1)[-1]
    if leaf.startswith("ScriptRunner._on_script_finished "):
        return "GC"
    return "Streamlit" if any(n in leaf for n in _STREAMLIT) else "app code"


def is_idle(stack: str) -> bool:
    return stack.rsplit(";", 1)[-1].startswith(IDLE)


def busy(stacks: dict[str, int]) -> int:
    return sum(n for s, n in stacks.items() if not is_idle(s))


def split(stacks: dict[str, int]) -> dict[str, float]:
    """Share of the busy samples (idle waits left out) in each bucket (0..1, summing to 1)."""
    total = busy(stacks)
    out = {b: 0 for b in BUCKETS}
    for stack, n in stacks.items():
        if not is_idle(stack):
            out[bucket(stack)] += n
    return {b: round(v / total, 3) if total else 0.0 for b, v in out.items()}
