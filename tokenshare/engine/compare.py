"""Compare two snapshots: days added, figures restated, models reclassified.

Both snapshots are opened side by side in one in-memory DuckDB database (views
old_usage / new_usage / old_models / new_models over their files, made with the
relational API so no path is formatted into SQL) and read by the ``compare_*`` named
queries.

A comparison depends only on the two snapshots (their ids are hashes of manifests that
carry every file's checksum), so ``compare_snapshots`` keeps its result beside the new
snapshot's files, one Parquet file per table named ``derived_compare_<old id>_<key>_*``
(the snapshot loader ignores ``derived_*`` files; the key covers the new snapshot's id,
the compare SQL, DuckDB's, pandas' and pyarrow's versions): a 10M-row snapshot against
another takes 2-4 s to compare, reading the result back some 30 ms. Not kept when the
folder is not writable, is a URL, or ``TOKENSHARE_DERIVED=0``."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, fields
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow

from tokenshare.core import sql
from tokenshare.engine.db import derived_folder, derived_key
from tokenshare.data.snapshot.layout import DERIVED_PREFIX, MODELS_FILE, USAGE_FILE, Snapshot
from tokenshare.data.published.locate import candidate_snapshots

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


def _comparison(tables: dict[str, pd.DataFrame]) -> Comparison:
    return Comparison(**{**tables, "summary": tables["summary"].iloc[0]})


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

    def tables(self, *, limit: int = RESTATED_LIMIT) -> dict[str, pd.DataFrame]:
        """Each table of a Comparison as the query returns it (the summary: one row)."""
        return {
            "summary": self.query("compare_summary"),
            "days": self.query("compare_days"),
            "restated": self.query("compare_restated", limit=limit),
            "restated_by_day": self.query("compare_restated_by_day"),
            "reclassified": self.query("compare_reclassified"),
        }

    def compare(self, *, limit: int = RESTATED_LIMIT) -> Comparison:
        return _comparison(self.tables(limit=limit))

    def close(self) -> None:
        self.con.close()


# ---------------------------------------------------------------------- kept on disk

CACHE_FORMAT = "2"  # 2: reclassified carries old_since, new_since
CACHE_PREFIX = DERIVED_PREFIX + "compare_"
QUERIES = ("compare_summary", "compare_days", "compare_restated", "compare_restated_by_day",
           "compare_reclassified")


def cache_key(old: Snapshot, new: Snapshot, limit: int) -> str:
    """What a kept comparison depends on: both snapshots, the limit, the compare SQL and
    the libraries that compute it and write it."""
    return derived_key((CACHE_FORMAT, old.snapshot_id, new.snapshot_id, str(limit), duckdb.__version__,
                        pd.__version__, pyarrow.__version__), QUERIES)


def cache_files(old: Snapshot, new: Snapshot, limit: int = RESTATED_LIMIT) -> dict[str, Path] | None:
    """Where the comparison of ``old`` with ``new`` is kept: one file per table of
    Comparison, in the new snapshot's folder; None when it is not kept."""
    folder = derived_folder(new)
    if folder is None:
        return None
    stem = f"{CACHE_PREFIX}{old.snapshot_id}_{cache_key(old, new, limit)}"
    return {f.name: folder / f"{stem}_{f.name}.parquet" for f in fields(Comparison)}


def _read_kept(files: dict[str, Path]) -> Comparison | None:
    try:
        tables = {name: pd.read_parquet(path) for name, path in files.items()}
    except (OSError, ValueError, pyarrow.ArrowException):
        return None
    if len(tables["summary"]) != 1:
        return None
    return _comparison(tables)


def _keep(files: dict[str, Path], tables: dict[str, pd.DataFrame]) -> None:
    """Write each table under a temporary name, then rename it into place; the summary
    last, so a reader that finds every file finds whole ones. Files of an earlier key
    for the same old snapshot (other SQL or versions) are removed."""
    folder = files["summary"].parent
    if not os.access(folder, os.W_OK):
        return
    stem = files["summary"].name[: -len("_summary.parquet")]
    old_prefix = stem[: stem.rindex("_") + 1]  # derived_compare_<old id>_
    tag = f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        for stale in folder.glob(old_prefix + "*"):
            if not stale.name.startswith(stem):
                stale.unlink(missing_ok=True)
        for name in [n for n in files if n != "summary"] + ["summary"]:
            tmp = files[name].with_name(files[name].name + tag)
            tables[name].to_parquet(tmp, index=False)
            os.replace(tmp, files[name])
    except (OSError, ValueError, pyarrow.ArrowException):
        for f in folder.glob(f"{CACHE_PREFIX}*{tag}"):
            f.unlink(missing_ok=True)


def compare_snapshots(old: Snapshot, new: Snapshot, *, limit: int = RESTATED_LIMIT, keep: bool = True) -> Comparison:
    """The comparison of two validated snapshots: read back when kept, else computed
    (and kept when the new snapshot's folder allows it). ``keep=False``: computed in
    memory, nothing read from or written to the folder (one the app does not own)."""
    files = cache_files(old, new, limit) if keep else None
    if files is not None and all(f.is_file() for f in files.values()):
        kept = _read_kept(files)
        if kept is not None:
            return kept
    pair = SnapshotPair(old, new)
    try:
        tables = pair.tables(limit=limit)
    finally:
        pair.close()
    if files is not None:
        _keep(files, tables)
    return _comparison(tables)
