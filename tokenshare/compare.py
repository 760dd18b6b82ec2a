"""Compare two snapshots: days added, figures restated, models reclassified.

Both snapshots are opened side by side in one in-memory DuckDB database (views
old_usage / new_usage / old_models / new_models over their files, made with the
relational API so no path is formatted into SQL) and read by the ``compare_*`` named
queries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from tokenshare import sql
from tokenshare.snapshot import MODELS_FILE, USAGE_FILE, Snapshot, candidate_snapshots

SAMPLE_LABEL = "sample"
RESTATED_LIMIT = 2000


def available(snapshots_dir: Path, sample_dir: Path, extra: Path | None = None) -> dict[str, Path]:
    """Snapshots that can be compared, newest first: each folder under ``snapshots_dir``
    by its name, the bundled sample as ``sample``, and ``extra`` (the snapshot named by
    TOKENSHARE_SNAPSHOT) by its folder name when it is none of those. Names are what the
    URL carries (``old=...&new=...``), never paths."""
    out: dict[str, Path] = {}
    if extra is not None and (extra / "manifest.json").exists():
        out[extra.name] = extra
    for d in candidate_snapshots(snapshots_dir):
        if d.resolve() not in {p.resolve() for p in out.values()}:
            out[d.name if d.name not in out else f"{d.name} ({d.parent.name})"] = d
    if (sample_dir / "manifest.json").exists() and sample_dir.resolve() not in {p.resolve() for p in out.values()}:
        out[SAMPLE_LABEL] = sample_dir
    return out


def default_pair(names: list[str]) -> tuple[str | None, str | None]:
    """(old, new): the second newest and the newest; one snapshot is compared with itself."""
    if not names:
        return None, None
    if len(names) == 1:
        return names[0], names[0]
    return names[1], names[0]


@dataclass
class Comparison:
    summary: pd.Series
    days: pd.DataFrame
    restated: pd.DataFrame
    restated_by_day: pd.DataFrame
    reclassified: pd.DataFrame


class SnapshotPair:
    """Two validated snapshots opened side by side."""

    def __init__(self, old: Snapshot, new: Snapshot):
        self.old, self.new = old, new
        self.con = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": "512MB"})
        for prefix, snap in (("old", old), ("new", new)):
            self.con.read_parquet(str(Path(snap.path) / USAGE_FILE)).create_view(prefix + "_usage")
            self.con.read_parquet(str(Path(snap.path) / MODELS_FILE)).create_view(prefix + "_models")

    def query(self, name: str, **params) -> pd.DataFrame:
        cur = self.con.cursor()
        try:
            return sql.run(cur, name, params).df()
        finally:
            cur.close()

    def compare(self, *, limit: int = RESTATED_LIMIT) -> Comparison:
        return Comparison(
            summary=self.query("compare_summary").iloc[0],
            days=self.query("compare_days"),
            restated=self.query("compare_restated", limit=limit),
            restated_by_day=self.query("compare_restated_by_day"),
            reclassified=self.query("compare_reclassified"),
        )

    def close(self) -> None:
        self.con.close()
