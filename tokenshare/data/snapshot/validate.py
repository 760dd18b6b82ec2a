"""Validating a snapshot folder: ``load_snapshot`` and the checks it runs.

``load_snapshot`` checks the manifest, the file list, every file's sha256, the labs
table and, with DuckDB, every Parquet file's columns, types and values, and raises one
``SnapshotError`` naming the file, the column and an offending row. The Parquet checks
(``check_parquet_files``) are also run by ``tokenshare.data.published.remote`` on files read over
HTTP. A folder that passed is stamped (``tokenshare.data.snapshot.stamps``) so that the next
load of the unchanged folder is cheap.

Editing this module (or ``layout.py`` or ``parquet_checks.py``, or a ``validate_*`` / ``parquet_*`` query)
changes the validator key, so every stamped folder is validated again at its next load.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import duckdb

from tokenshare.core import sql
from tokenshare.data.snapshot import stamps
from tokenshare.data.snapshot.extra_checks import check_extra_tables
from tokenshare.data.snapshot.parquet_checks import (  # noqa: F401  (MAX_TOKEN_TOTAL: part of this module's face)
    MAX_TOKEN_TOTAL,
    check_row_count,
    check_token_total,
    describe_parquet,
    first_row,
    fmt_row,
    null_column,
    check_segments,
    check_token_rows,
)
from tokenshare.core.statefile import NOT_REGULAR
from tokenshare.data.snapshot.layout import (
    CATEGORY_COLUMNS,
    CATEGORY_FILE,
    DERIVED_PREFIX,
    ENDPOINTS_COLUMNS,
    ENDPOINTS_FILE,
    LABS_FILE,
    MANIFEST_FILE,
    MODELS_COLUMNS,
    MODELS_FILE,
    MODELS_OPTIONAL_COLUMNS,
    OPEN_WEIGHTS_BASES,
    OPTIONAL_FILES,
    REQUIRED_FILES,
    USAGE_COLUMNS,
    USAGE_FILE,
    Snapshot,
    SnapshotError,
    MAX_MANIFEST_BYTES,
    check_manifest_bytes,
    read_labs_csv,
    sha256_of,
    snapshot_id_of,
)

# A memory cap (DuckDB spills the duplicate check's hash table to disk beyond it):
# validating 10 million rows stays near 0.5 GB instead of 1.2 GB.
VALIDATION_MEMORY_LIMIT = "512MB"


def load_snapshot(path: Path | str, *, verify_checksums: bool = True, use_stamp: bool = True) -> Snapshot:
    """Validate a snapshot folder completely and return it.

    Raises SnapshotError with the first problem found (file, column, row).

    The manifest and the file list are always checked. When the folder's validation
    stamp matches (see ``tokenshare.data.snapshot.stamps``) the checksums and the DuckDB checks
    are skipped; otherwise they run and, if they pass, the folder is stamped."""
    path = Path(path)
    if not path.exists():
        raise SnapshotError("folder does not exist", path=path, file=str(path))
    if not path.is_dir():
        raise SnapshotError("is not a folder", path=path, file=str(path))
    manifest = _check_manifest(path)
    _check_files_present(path, manifest)
    snapshot_id = snapshot_id_of(manifest)
    stamping = verify_checksums and use_stamp and stamps.stamps_enabled()
    if stamping and stamps.stamp_matches(path, manifest):
        return Snapshot(path=path, manifest=manifest, snapshot_id=snapshot_id)
    started_ns = time.time_ns()
    if verify_checksums:
        _check_checksums(path, manifest)
    labs_rows = read_labs_csv(path / LABS_FILE, snapshot_path=path)
    check_labs_row_count(path, manifest, labs_rows)
    con = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": VALIDATION_MEMORY_LIMIT})
    try:
        check_parquet_files(con, path, manifest)
    finally:
        con.close()
    if stamping:
        stamps.write_stamp(path, manifest, started_ns)
    return Snapshot(path=path, manifest=manifest, snapshot_id=snapshot_id)


def check_labs_row_count(path, manifest: dict, labs_rows: list[dict]) -> None:
    declared = manifest["files"].get(LABS_FILE, {}).get("rows")
    if declared is not None and int(declared) != len(labs_rows):
        raise SnapshotError(f"has {len(labs_rows)} rows, manifest.json says {declared}", path=path, file=LABS_FILE)


def check_parquet_files(con, path, manifest: dict) -> None:
    """Every DuckDB check on the snapshot's Parquet files, on an open connection.
    ``path`` is a folder, or a URL that ``con`` can read (httpfs)."""
    check_usage(con, path, manifest)
    check_models(con, path, manifest)
    check_categories(con, path, manifest)
    check_segments(con, path, manifest)
    check_endpoints(con, path, manifest)
    check_extra_tables(con, path, manifest)


# --------------------------------------------------------------------------- the folder


def _check_manifest(path: Path) -> dict:
    mpath = path / MANIFEST_FILE
    try:
        if not stat.S_ISREG(os.stat(mpath).st_mode):  # a FIFO would block its reader: never opened
            raise SnapshotError(NOT_REGULAR, path=path, file=MANIFEST_FILE)
        with open(mpath, "rb") as fh:  # read one byte past the bound: a huge file is not read whole
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise SnapshotError(f"cannot read: {exc.strerror or exc}", path=path, file=MANIFEST_FILE)
    return check_manifest_bytes(raw, path)


def _check_files_present(path: Path, manifest: dict) -> None:
    root = path.resolve()
    for name in REQUIRED_FILES:
        if not (path / name).exists():
            raise SnapshotError("file is missing", path=path, file=name)
    listed = set(manifest["files"])
    allowed = set(REQUIRED_FILES) | set(OPTIONAL_FILES)
    for entry in sorted(path.iterdir()):
        name = entry.name
        if name.startswith(".") or name.startswith(DERIVED_PREFIX):
            continue
        if name not in allowed:
            raise SnapshotError(
                "unexpected file in the snapshot folder (a snapshot holds only "
                + ", ".join(REQUIRED_FILES + OPTIONAL_FILES)
                + ")",
                path=path,
                file=name,
            )
    for name in sorted(allowed):
        p = path / name
        if not p.exists() and not p.is_symlink():
            continue
        if p.is_symlink() or not p.resolve().is_relative_to(root):
            raise SnapshotError("is a symbolic link; snapshot files must be regular files inside the folder", path=path, file=name)
        if not p.is_file():
            raise SnapshotError("is not a regular file", path=path, file=name)
        if name != MANIFEST_FILE and name not in listed:
            raise SnapshotError("is not listed in manifest.json", path=path, file=name)
        if not os.access(p, os.R_OK):
            raise SnapshotError("cannot be read (permission denied)", path=path, file=name)
    for name in listed:
        if name not in allowed:
            raise SnapshotError(f"lists unknown file {name!r}", path=path, file=MANIFEST_FILE, column="files")
        if not (path / name).exists():
            raise SnapshotError("is listed in manifest.json but missing", path=path, file=name)


def _check_checksums(path: Path, manifest: dict) -> None:
    for name, meta in manifest["files"].items():
        expected = meta.get("sha256") if isinstance(meta, dict) else None
        if not expected:
            raise SnapshotError(f"no sha256 for {name}", path=path, file=MANIFEST_FILE, column="files")
        try:
            actual = sha256_of(path / name)
        except OSError as exc:
            raise SnapshotError(f"cannot be read: {exc.strerror or exc}", path=path, file=name)
        if actual != expected:
            raise SnapshotError(
                f"checksum mismatch: manifest says sha256 {expected[:12]}..., the file has "
                f"{actual[:12]}... (the file changed after the snapshot was written)",
                path=path,
                file=name,
            )


# --------------------------------------------------------------------------- Parquet files


def check_usage(con, path: Path, manifest: dict) -> None:
    f = USAGE_FILE
    p = {"p": str(path / f)}
    describe_parquet(con, path, f, USAGE_COLUMNS)
    if check_row_count(con, path, f, manifest) == 0:
        # Every page draws a date range and totals from the usage: with none it has nothing
        # to show (it was "Unknown format code 'd'" on every page), so it is skipped here.
        raise SnapshotError("has no rows; a snapshot needs at least one day of usage", path=path, file=f)
    bad = first_row(con, "validate_usage_nulls", p, f, path)
    if bad:
        raise SnapshotError("empty value", path=path, file=f, column=null_column(bad, USAGE_COLUMNS), row=fmt_row(bad))
    bad = first_row(con, "validate_usage_negative", p, f, path)
    if bad:
        raise SnapshotError(
            f"negative token count {bad['total_tokens']}", path=path, file=f,
            column="total_tokens", row=fmt_row(bad),
        )
    bad = first_row(con, "validate_usage_duplicates", p, f, path)
    if bad:
        raise SnapshotError(
            f"(date, model_permaslug) appears {bad['copies']} times; it must be unique",
            path=path, file=f, column="model_permaslug",
            row=fmt_row({"date": bad["date"], "model_permaslug": bad["model_permaslug"]}),
        )
    check_token_total(con, path, f)
    bad = first_row(
        con, "validate_usage_date_range",
        {**p, "start": manifest["start_date"], "end": manifest["end_date"]}, f, path,
    )
    if bad:
        raise SnapshotError(
            f"date {bad['date']} is outside the manifest's range "
            f"{manifest['start_date']} to {manifest['end_date']}",
            path=path, file=f, column="date", row=fmt_row(bad),
        )


def check_models(con, path: Path, manifest: dict) -> None:
    f = MODELS_FILE
    p = {"p": str(path / f)}
    describe_parquet(con, path, f, MODELS_COLUMNS, MODELS_OPTIONAL_COLUMNS)
    check_row_count(con, path, f, manifest)
    bad = first_row(con, "validate_models_nulls", p, f, path)
    if bad:
        raise SnapshotError(
            "empty value", path=path, file=f,
            column=null_column(bad, ("model_permaslug", "author", "open_weights_basis")),
            row=fmt_row(bad),
        )
    bad = first_row(con, "validate_models_duplicates", p, f, path)
    if bad:
        raise SnapshotError(
            f"model_permaslug appears {bad['copies']} times; it must be unique",
            path=path, file=f, column="model_permaslug",
            row=fmt_row({"model_permaslug": bad["model_permaslug"]}),
        )
    bad = first_row(con, "validate_models_values", {**p, "bases": list(OPEN_WEIGHTS_BASES)}, f, path)
    if bad:
        if bad["open_weights_basis"] not in OPEN_WEIGHTS_BASES:
            col = "open_weights_basis"
            msg = f"open_weights_basis {bad['open_weights_basis']!r} is not one of " + ", ".join(OPEN_WEIGHTS_BASES)
        else:
            col = next(c for c in ("context_length", "price_prompt_usd_per_mtok", "price_completion_usd_per_mtok")
                       if bad[c] is not None and bad[c] < 0)
            msg = f"negative value {bad[col]}"
        raise SnapshotError(msg, path=path, file=f, column=col, row=fmt_row({"model_permaslug": bad["model_permaslug"]}))
    bad = first_row(con, "validate_models_optional", p, f, path)
    if bad:
        if bad["price_input_cache_read_usd_per_mtok"] is not None and bad["price_input_cache_read_usd_per_mtok"] < 0:
            col, msg = "price_input_cache_read_usd_per_mtok", f"negative value {bad['price_input_cache_read_usd_per_mtok']}"
        elif bad["open_weights_since"] is not None and bad["open_weights"] is not True:
            col, msg = "open_weights_since", (f"open_weights_since {bad['open_weights_since']} on a model whose "
                                              f"open_weights is {bad['open_weights']}, not true")
        else:
            col, msg = "prompt_token_share", f"{bad['prompt_token_share']} is not a share from 0 to 1"
        raise SnapshotError(msg, path=path, file=f, column=col, row=fmt_row({"model_permaslug": bad["model_permaslug"]}))


def check_categories(con, path: Path, manifest: dict) -> None:
    f = CATEGORY_FILE
    if f not in manifest["files"]:
        return
    check_token_rows(con, path, f, manifest, CATEGORY_COLUMNS, "category", "(week, category, model_permaslug)")
    check_token_total(con, path, f)


_ENDPOINT_KEYS = ("model_permaslug", "model_id", "provider", "endpoint_tag", "fetched_on",
                  "price_prompt_usd_per_mtok", "price_completion_usd_per_mtok")
_ENDPOINT_NUMBERS = ("price_prompt_usd_per_mtok", "price_completion_usd_per_mtok",
                     "price_input_cache_read_usd_per_mtok", "context_length", "max_completion_tokens",
                     "uptime_last_30m", "latency_p50_ms", "throughput_p50_tps")


def _bad_number(row: dict) -> tuple[str, str]:
    """(column, message) for the first out-of-range number of a validate_endpoints_rows row."""
    for col in _ENDPOINT_NUMBERS:
        v = row.get(col)
        if v is None:
            continue
        if v != v:  # NaN
            return col, "is NaN, not a number"
        if v < 0:
            return col, f"negative value {v}"
        if col == "uptime_last_30m" and v > 100:
            return col, f"{v} is not a percentage from 0 to 100"
    return "?", "out of range"


def check_endpoints(con, path: Path, manifest: dict) -> None:
    """model_endpoints.parquet, when the snapshot has one: columns, row count, keys and
    prices present, numbers in range, one row per (model_permaslug, endpoint_tag)."""
    f = ENDPOINTS_FILE
    if f not in manifest["files"]:
        return
    p = {"p": str(path / f)}
    describe_parquet(con, path, f, ENDPOINTS_COLUMNS)
    check_row_count(con, path, f, manifest)
    bad = first_row(con, "validate_endpoints_rows", p, f, path)
    if bad:
        col = null_column(bad, _ENDPOINT_KEYS)
        msg = "empty value"
        if col == "?":
            col, msg = _bad_number(bad)
        where = fmt_row({"model_permaslug": bad["model_permaslug"], "endpoint_tag": bad["endpoint_tag"]})
        raise SnapshotError(msg, path=path, file=f, column=col, row=where)
    bad = first_row(con, "validate_endpoints_duplicates", p, f, path)
    if bad:
        raise SnapshotError(
            f"(model_permaslug, endpoint_tag) appears {bad['copies']} times; it must be unique",
            path=path, file=f, column="endpoint_tag", row=fmt_row(bad),
        )
