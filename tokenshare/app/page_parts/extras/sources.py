"""The source line of an extra Data API table (issue 23), as the manifest's ``extras``
record of it says: synthetic on the sample, else OpenRouter's dataset with its as-of date,
licence and the snapshot it was carried over from."""

from __future__ import annotations

from tokenshare.app.text import md
from tokenshare.core.formatting import as_of_text
from tokenshare.data.snapshot.layout import Snapshot


def dataset_source(snapshot: Snapshot, table: str, label: str, dataset: str, sample_note: str = "") -> str:
    rec = (snapshot.manifest.get("extras") or {}).get(table) or {}
    if snapshot.synthetic or rec.get("synthetic"):
        note = f" ({sample_note})" if sample_note else ""
        return f"{label}: synthetic, made by tokenshare for the sample{note}; not OpenRouter figures."
    carried = f" Carried over from snapshot {md(rec['carried_from'])}." if rec.get("carried_from") else ""
    return (f"{label}: Source: OpenRouter (openrouter.ai/rankings) {dataset}, as of "
            f"{md(as_of_text((rec.get('meta') or {}).get('as_of') or rec.get('fetched_on') or 'unknown'))}. "
            f"Licensed under CC BY 4.0.{carried}")
