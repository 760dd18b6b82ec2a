"""Writing a snapshot: ``write_snapshot`` builds one atomically.

The snapshot is built in a hidden temporary folder beside the target, validated with
the same ``load_snapshot`` the app runs, flushed to disk and only then renamed into
place, so a failure (or Ctrl-C) never leaves a half-written snapshot behind and never
touches an existing one. The writer settings are fixed, so the same data always gives
the same bytes (the bundled sample depends on it).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from tokenshare.core.files import fsync_dir
from tokenshare.data.snapshot.extra_tables import EXTRA_TABLES
from tokenshare.data.snapshot.layout import (
    CATEGORY_COLUMNS,
    CATEGORY_FILE,
    ENDPOINTS_COLUMNS,
    ENDPOINTS_FILE,
    FORMAT_NAME,
    FORMAT_VERSION,
    LABS_COLUMNS,
    LABS_FILE,
    MANIFEST_FILE,
    MODELS_COLUMNS,
    MODELS_FILE,
    MODELS_OPTIONAL_COLUMNS,
    SEGMENT_COLUMNS,
    SEGMENT_FILE,
    USAGE_COLUMNS,
    USAGE_FILE,
    Snapshot,
    SnapshotError,
    citation_for,
    sha256_of,
)
from tokenshare.data.snapshot.stamps import STAMP_AT_WRITE_ROWS, settle
from tokenshare.data.snapshot.validate import load_snapshot


def _write_parquet(table, dest: Path) -> None:
    import pyarrow.parquet as pq

    # Fixed writer settings so the same data gives the same bytes.
    pq.write_table(
        table, dest, compression="zstd", row_group_size=1_000_000,
        write_statistics=True, store_schema=False,
    )


def write_labs_csv(rows: Iterable[dict], dest: Path) -> int:
    rows = sorted(rows, key=lambda r: r["author"])
    with open(dest, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(LABS_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: r.get(c, "") or "" for c in LABS_COLUMNS})
    return len(rows)


def _as_arrow(table, columns: dict, fname: str):
    """Accept a pyarrow Table, or a list of dicts, and cast it to the format's types."""
    import pyarrow as pa

    arrow_types = {
        "DATE": pa.date32(), "VARCHAR": pa.string(), "BIGINT": pa.int64(),
        "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64(),
    }
    schema = pa.schema([(c, arrow_types[t]) for c, t in columns.items()])
    if isinstance(table, list):
        table = pa.Table.from_pylist(table, schema=schema)
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise SnapshotError(f"missing columns {missing}", file=fname)
    return table.select(list(columns)).cast(schema)


def _optional_present(models) -> dict:
    """The optional models columns the input carries (a Table's columns, or a key of any
    row): written when present, left out otherwise, so a writer that knows nothing of
    them writes the format as before."""
    if isinstance(models, list):
        keys = set().union(*(r.keys() for r in models)) if models else set()
    else:
        keys = set(models.column_names)
    return {c: t for c, t in MODELS_OPTIONAL_COLUMNS.items() if c in keys}


def write_snapshot(
    target: Path | str,
    *,
    usage,
    models,
    labs: Iterable[dict],
    source: str,
    synthetic: bool,
    as_of: str,
    start_date: dt.date | str,
    end_date: dt.date | str,
    usage_by_category=None,
    extra_manifest: dict | None = None,
    usage_by_segment=None,
    overwrite: bool = False,
    sort: bool = True,
    model_endpoints=None,
    extra_tables: dict | None = None,
) -> Snapshot:
    """Write a snapshot atomically and return it, validated.

    ``usage``, ``models``, ``usage_by_category`` and ``usage_by_segment`` are pyarrow
    Tables (or lists of dicts) with the format's columns; ``model_endpoints`` (optional,
    the same) is written as model_endpoints.parquet; ``extra_tables`` maps a file of
    ``extra_tables.EXTRA_TABLES`` to its rows (None or absent: not written). The snapshot is built in a hidden temporary
    folder beside ``target``, checked with ``load_snapshot``, flushed, then renamed
    into place. If anything fails, ``target`` (and everything else) is untouched and
    the temporary folder is removed. With ``overwrite``, an existing target is
    replaced only after the new one validated."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        manifest_files, usage_rows = _write_data_files(tmp, usage, models, labs, usage_by_category, sort,
                                                       model_endpoints, usage_by_segment)
        manifest_files.update(_write_extra_tables(tmp, extra_tables or {}, sort))
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "source": source,
            "synthetic": bool(synthetic),
            "as_of": as_of,
            "start_date": str(start_date),
            "end_date": str(end_date),
            "files": manifest_files,
        }
        manifest.update(extra_manifest or {})
        manifest["citation"] = citation_for(manifest)
        if not synthetic:
            manifest["licence"] = "CC BY 4.0"
        (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        # Big snapshots wait (at most 0.2 s) so that the validation below can leave its
        # stamp, and the app's first open skips a validation of seconds. Small ones are
        # written without a stamp (their folder holds only the data) and are validated
        # again at their first open, in milliseconds.
        big = usage_rows >= STAMP_AT_WRITE_ROWS
        if big:
            settle(tmp)
        load_snapshot(tmp, use_stamp=big)  # the same checks the app runs
        _flush(tmp)
        _move_into_place(tmp, target, overwrite)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # Renaming the folder leaves its files' identities as stamped, so for a big snapshot
    # this is the cheap stamp check, not a second full validation.
    return load_snapshot(target, use_stamp=big)


def _write_data_files(tmp: Path, usage, models, labs, usage_by_category, sort: bool,
                      model_endpoints=None, usage_by_segment=None) -> tuple[dict, int]:
    """Write the data files into ``tmp``; return the manifest's ``files`` entry (rows
    and sha256 of each) and the number of usage rows."""
    usage_t = _as_arrow(usage, USAGE_COLUMNS, USAGE_FILE)
    models_t = _as_arrow(models, {**MODELS_COLUMNS, **_optional_present(models)}, MODELS_FILE)
    if sort:
        # Sorted by date so DuckDB can skip row groups on date filters.
        usage_t = usage_t.sort_by([("date", "ascending"), ("total_tokens", "descending"), ("model_permaslug", "ascending")])
        models_t = models_t.sort_by([("model_permaslug", "ascending")])
    _write_parquet(usage_t, tmp / USAGE_FILE)
    _write_parquet(models_t, tmp / MODELS_FILE)
    n_labs = write_labs_csv(labs, tmp / LABS_FILE)
    files = {
        USAGE_FILE: {"rows": usage_t.num_rows},
        MODELS_FILE: {"rows": models_t.num_rows},
        LABS_FILE: {"rows": n_labs},
    }
    if usage_by_category is not None:
        cat_t = _as_arrow(usage_by_category, CATEGORY_COLUMNS, CATEGORY_FILE)
        if sort:
            cat_t = cat_t.sort_by([("week", "ascending"), ("category", "ascending"), ("total_tokens", "descending"), ("model_permaslug", "ascending")])
        _write_parquet(cat_t, tmp / CATEGORY_FILE)
        files[CATEGORY_FILE] = {"rows": cat_t.num_rows}
    if usage_by_segment is not None:
        seg_t = _as_arrow(usage_by_segment, SEGMENT_COLUMNS, SEGMENT_FILE)
        if sort:
            seg_t = seg_t.sort_by([("dimension", "ascending"), ("segment", "ascending"), ("date", "ascending"),
                                   ("total_tokens", "descending"), ("model_permaslug", "ascending")])
        _write_parquet(seg_t, tmp / SEGMENT_FILE)
        files[SEGMENT_FILE] = {"rows": seg_t.num_rows}
    if model_endpoints is not None:
        ep_t = _as_arrow(model_endpoints, ENDPOINTS_COLUMNS, ENDPOINTS_FILE)
        if sort:
            ep_t = ep_t.sort_by([("model_permaslug", "ascending"), ("endpoint_tag", "ascending")])
        _write_parquet(ep_t, tmp / ENDPOINTS_FILE)
        files[ENDPOINTS_FILE] = {"rows": ep_t.num_rows}
    for name in files:
        files[name]["sha256"] = sha256_of(tmp / name)
    return files, usage_t.num_rows


def _write_extra_tables(tmp: Path, tables: dict, sort: bool) -> dict:
    """Write each extra table given (``extra_tables.EXTRA_TABLES``); their manifest entries."""
    files = {}
    for fname, rows in tables.items():
        if rows is None:
            continue
        if fname not in EXTRA_TABLES:
            raise SnapshotError("is not a table of the snapshot format", file=fname)
        columns, keys, _ = EXTRA_TABLES[fname]
        t = _as_arrow(rows, columns, fname)
        if sort:
            t = t.sort_by([(k, "ascending") for k in keys])
        _write_parquet(t, tmp / fname)
        files[fname] = {"rows": t.num_rows, "sha256": sha256_of(tmp / fname)}
    return files


def _flush(folder: Path) -> None:
    """Every file of the folder, and the folder itself, on disk before the rename."""
    for name in os.listdir(folder):
        with open(folder / name, "rb") as fh:
            os.fsync(fh.fileno())
    fsync_dir(folder)


def _rename_noreplace(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst`` in one step that fails with FileExistsError when ``dst``
    exists, even if it appeared a moment ago (a plain rename replaces an empty folder).
    Linux's renameat2(RENAME_NOREPLACE); elsewhere, ``dst`` is reserved by mkdir (which
    refuses an existing name) and the rename replaces only that empty folder of ours."""
    import ctypes
    import errno

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_noreplace = -100, 1
        if renameat2(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst), rename_noreplace) == 0:
            return
        err = ctypes.get_errno()
        if err == errno.EEXIST:
            raise FileExistsError(err, "already exists; not replacing it", str(dst))
        if err not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(err, os.strerror(err), str(dst))
    os.mkdir(dst)
    try:
        os.rename(src, dst)
    except BaseException:
        os.rmdir(dst)
        raise


def _move_into_place(tmp: Path, target: Path, overwrite: bool = True) -> None:
    """Rename ``tmp`` to ``target``. Without ``overwrite`` a target that exists (or
    appears meanwhile) is never replaced: FileExistsError. With it, an existing target is
    moved aside first and put back if the rename fails, and removed only once the new
    one is in place."""
    if not overwrite:
        _rename_noreplace(tmp, target)
    elif target.exists():
        backup = target.parent / f".{target.name}.old-{os.getpid()}"
        os.rename(target, backup)
        try:
            os.rename(tmp, target)
        except BaseException:
            os.rename(backup, target)
            raise
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.rename(tmp, target)
    fsync_dir(target.parent)
