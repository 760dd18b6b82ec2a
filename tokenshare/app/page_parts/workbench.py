"""What the SQL workbench page needs from the engine's sandbox
(``tokenshare/engine/workbench.py``), through the app layer: the refusal it shows, the
example queries the snapshot can run, the limits and the summaries of how the sandbox
works. The sandbox itself comes from the page context (``Context.workbench_sandbox``)."""

from __future__ import annotations

from tokenshare.engine.workbench import (
    ALLOWED_TABLE_FUNCTIONS,
    BYTE_CAP,
    CELL_CAP,
    COLUMN_CAP,
    GATE_SUMMARY,
    MAX_SQL_CHARS,
    PROCESS_SUMMARY,
    ROW_CAP,
    SANDBOX_SUMMARY,
    Refused,
    csv_bytes,
    cuts_caption,
    example_sql,
    examples_for,
    limits_caption,
)

__all__ = [
    "ALLOWED_TABLE_FUNCTIONS", "BYTE_CAP", "CELL_CAP", "COLUMN_CAP", "csv_bytes", "cuts_caption", "GATE_SUMMARY", "MAX_SQL_CHARS", "PROCESS_SUMMARY", "ROW_CAP",
    "SANDBOX_SUMMARY", "Refused", "example_sql", "examples", "examples_for", "limits_caption",
]


def examples(snapshot) -> dict[str, str]:
    """The example queries this snapshot's tables can run (name -> label)."""
    return examples_for(snapshot.has_categories, snapshot.has_segments)
