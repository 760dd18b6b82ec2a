"""Where a rerun's CPU goes: py-spy's raw (collapsed) stacks of the server, each sample
put in one bucket by the frames on its stack, first match wins in this order:

- **serialisation**: Arrow (pyarrow, Streamlit's DataFrame-to-Arrow conversion),
  protobuf and the JSON text of a chart spec, whoever calls it (Altair's data
  transformer included);
- **DuckDB**: the duckdb module and tokenshare's engine (running a named query and
  fetching its result);
- **Altair**: building a chart and its spec (altair, tokenshare.app.charts, fastcharts);
- **pandas** (and numpy): the pages' and analysis functions' frame work, and query
  results unpickled from Streamlit's cache;
- **Streamlit**: the rest, when the innermost frame is in streamlit, tornado or asyncio
  (the script runner, widgets, caching, the event loop, the websocket);
- **app code**: the rest (the pages' and tokenshare's own Python).
"""

from __future__ import annotations

from pathlib import Path

BUCKETS = ("serialisation", "DuckDB", "Altair", "pandas", "Streamlit", "app code")

_RULES = [
    ("serialisation", ("pyarrow/", "convert_anything_to_arrow_bytes", "_to_arrow_dataset", "google/protobuf",
                       "SerializeToString", "_stabilize_vega_json_spec", "serialize_forward_msg",
                       "populate_hash_if_needed")),
    ("DuckDB", ("duckdb/", "tokenshare/engine/", "duckdb.")),
    ("Altair", ("altair/", "tokenshare/app/charts/", "tokenshare/app/fastcharts.py", "jsonschema/",
                "narwhals/")),
    ("pandas", ("pandas/", "numpy/")),
]
# The last two by the innermost frame: every script run's stack passes through
# Streamlit's script runner, so a page's own Python would otherwise count as Streamlit.
_STREAMLIT = ("streamlit/", "tornado/", "asyncio/", "threading.py", "concurrent/", "selectors.py", "websockets/")


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
    return "Streamlit" if any(n in leaf for n in _STREAMLIT) else "app code"


def split(stacks: dict[str, int]) -> dict[str, float]:
    """Share of the samples in each bucket (0..1, summing to 1)."""
    total = sum(stacks.values())
    out = {b: 0 for b in BUCKETS}
    for stack, n in stacks.items():
        out[bucket(stack)] += n
    return {b: round(v / total, 3) if total else 0.0 for b, v in out.items()}
