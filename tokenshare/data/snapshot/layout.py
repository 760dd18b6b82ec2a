"""Snapshot format v1: what a snapshot folder holds, and the two types every other
module of the data layer speaks (``Snapshot``, ``SnapshotError``).

A snapshot is one folder that DuckDB reads in place:

- ``usage.parquet``: date DATE, model_permaslug VARCHAR, total_tokens BIGINT (>= 0),
  unique on (date, model_permaslug); the permaslug ``other`` is the day's long tail.
- ``models.parquet``: one row per model_permaslug (see ``MODELS_COLUMNS``).
- ``labs.csv``: author, lab_name, country_code, country_name.
- ``usage_by_category.parquet`` (optional): week DATE, category, model_permaslug,
  total_tokens.
- ``usage_by_segment.parquet`` (optional): dimension, segment, date DATE (a week start
  for the weekly estimates), model_permaslug, total_tokens, is_estimate (see
  ``SEGMENTS``).
- ``model_endpoints.parquet`` (optional): the providers serving each model when it was
  fetched (``ENDPOINTS_COLUMNS``), one row per (model_permaslug, endpoint_tag).
- ``manifest.json``: format version, source, synthetic, as_of, date range, row counts,
  sha256 of every file, citation.

This module also parses the format's two text files (``check_manifest_text``,
``read_labs_csv``), because a snapshot read from a URL needs exactly those checks
without the folder ones. The folder checks are in ``tokenshare.data.snapshot.validate``,
writing is in ``tokenshare.data.snapshot.write``, finding one is in ``tokenshare.data.published.locate``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tokenshare.core.formatting import as_of_text
from tokenshare.data.snapshot.extra_tables import EXTRA_FILES

FORMAT_NAME = "tokenshare-snapshot"
FORMAT_VERSION = 1

USAGE_FILE = "usage.parquet"
MODELS_FILE = "models.parquet"
LABS_FILE = "labs.csv"
CATEGORY_FILE = "usage_by_category.parquet"
SEGMENT_FILE = "usage_by_segment.parquet"
ENDPOINTS_FILE = "model_endpoints.parquet"
MANIFEST_FILE = "manifest.json"

REQUIRED_FILES = (USAGE_FILE, MODELS_FILE, LABS_FILE, MANIFEST_FILE)
OPTIONAL_FILES = (CATEGORY_FILE, SEGMENT_FILE, ENDPOINTS_FILE) + EXTRA_FILES  # extra_tables: issue 23
# Files a snapshot may carry beyond the data: derived, rebuildable, never required.
DERIVED_PREFIX = "derived_"

# The Data API's name for a day's long tail of unnamed models; the snapshot keeps it as
# is, and it is never a model of models.parquet.
OTHER_PERMASLUG = "other"
UNKNOWN_COUNTRY_CODE = "XX"
UNKNOWN_COUNTRY_NAME = "Unknown country"

# column -> DuckDB type name as DESCRIBE reports it
USAGE_COLUMNS = {"date": "DATE", "model_permaslug": "VARCHAR", "total_tokens": "BIGINT"}
MODELS_COLUMNS = {
    "model_permaslug": "VARCHAR",
    "model_id": "VARCHAR",
    "name": "VARCHAR",
    "author": "VARCHAR",
    "released_at": "DATE",
    "open_weights": "BOOLEAN",
    "open_weights_basis": "VARCHAR",
    "hugging_face_id": "VARCHAR",
    "context_length": "BIGINT",
    "price_prompt_usd_per_mtok": "DOUBLE",
    "price_completion_usd_per_mtok": "DOUBLE",
}
# Optional models.parquet columns: a snapshot may lack them (older snapshots do), and then
# every model reads as NULL there. price_input_cache_read_usd_per_mtok: the catalogue's
# pricing.input_cache_read (USD per million prompt tokens read from a cache; NULL = no
# cache price, so cached tokens pay the full prompt price). prompt_token_share: the
# model's prompt tokens / (prompt + completion) tokens, 0 to 1, when a data source knows
# it (NULL = not known, so the Spend page's assumed split applies). open_weights_since:
# the day an open-weight model's weights were published; it counts as closed before it
# (NULL = open on every day; only on models with open_weights true).
MODELS_OPTIONAL_COLUMNS = {
    "price_input_cache_read_usd_per_mtok": "DOUBLE",
    "prompt_token_share": "DOUBLE",
    "open_weights_since": "DATE",
}
CATEGORY_COLUMNS = {
    "week": "DATE",
    "category": "VARCHAR",
    "model_permaslug": "VARCHAR",
    "total_tokens": "BIGINT",
}
SEGMENT_COLUMNS = {
    "dimension": "VARCHAR",
    "segment": "VARCHAR",
    "date": "DATE",
    "model_permaslug": "VARCHAR",
    "total_tokens": "BIGINT",
    "is_estimate": "BOOLEAN",
}
# The Data API's segment filters (rankings-daily parameters, since July 2026): dimension
# -> (API parameter, its values, weekly estimates?). modality and context_bucket come
# from the exact dataset (daily rows); language_type from the sampled weekly estimates
# (like category: no period=day, not combinable with the others).
SEGMENTS = {
    "modality": ("modality", ("text", "image", "image_output", "audio", "tool_calling"), False),
    "context": ("context_bucket", ("1K", "10K", "100K", "1M", "10M"), False),
    "language": ("language_type", ("natural", "programming"), True),
}
# The providers of each model, from /models/{author}/{slug}/endpoints at fetched_on (a
# snapshot in time, not a history). Prices in USD per million tokens; NULL = not given.
# endpoint_tag is OpenRouter's tag (provider/variant), unique per model.
ENDPOINTS_COLUMNS = {
    "model_permaslug": "VARCHAR",
    "model_id": "VARCHAR",
    "provider": "VARCHAR",
    "endpoint_tag": "VARCHAR",
    "quantization": "VARCHAR",
    "context_length": "BIGINT",
    "max_completion_tokens": "BIGINT",
    "price_prompt_usd_per_mtok": "DOUBLE",
    "price_completion_usd_per_mtok": "DOUBLE",
    "price_input_cache_read_usd_per_mtok": "DOUBLE",
    "uptime_last_30m": "DOUBLE",
    "latency_p50_ms": "DOUBLE",
    "throughput_p50_tps": "DOUBLE",
    "fetched_on": "DATE",
}
LABS_COLUMNS = ("author", "lab_name", "country_code", "country_name")
OPEN_WEIGHTS_BASES = ("hugging_face_id", "override", "unknown")

CITATION_TEMPLATE = "Source: OpenRouter (openrouter.ai/rankings), as of {as_of}."
SYNTHETIC_CITATION = (
    "Synthetic sample data generated by tokenshare for demonstration; "
    "these are not OpenRouter figures."
)
LICENCE_LINE = "Licensed under CC BY 4.0."


class SnapshotError(Exception):
    """A snapshot failed validation. Says which file, column and row, and why."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        file: str | None = None,
        column: str | None = None,
        row: Any = None,
    ):
        self.message = message
        self.path = str(path) if path is not None else None
        self.file = file
        self.column = column
        self.row = row
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.column:
            where.append(f"column {self.column}")
        if self.row is not None:
            where.append(f"row {self.row}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass(frozen=True)
class Snapshot:
    """A validated snapshot folder and its manifest."""

    path: Path
    manifest: dict = field(hash=False, compare=False)
    snapshot_id: str = ""

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic"))

    @property
    def as_of(self) -> str:
        return str(self.manifest.get("as_of", ""))

    @property
    def start_date(self) -> dt.date:
        return dt.date.fromisoformat(self.manifest["start_date"])

    @property
    def end_date(self) -> dt.date:
        return dt.date.fromisoformat(self.manifest["end_date"])

    @property
    def citation(self) -> str:
        return citation_for(self.manifest)

    @property
    def source(self) -> str:
        return str(self.manifest.get("source", ""))

    @property
    def has_categories(self) -> bool:
        return CATEGORY_FILE in self.manifest.get("files", {})

    @property
    def has_segments(self) -> bool:
        return SEGMENT_FILE in self.manifest.get("files", {})

    @property
    def has_endpoints(self) -> bool:
        return ENDPOINTS_FILE in self.manifest.get("files", {})

    def file(self, name: str) -> Path:
        return self.path / name

    def row_count(self, name: str) -> int:
        return int(self.manifest.get("files", {}).get(name, {}).get("rows", 0))


def citation_for(manifest: dict) -> str:
    if manifest.get("synthetic"):
        return SYNTHETIC_CITATION
    return CITATION_TEMPLATE.format(as_of=as_of_text(manifest.get("as_of", "unknown")))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot_id_of(manifest: dict) -> str:
    """A snapshot's id: the first 16 hex digits of the sha256 of its manifest."""
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode("utf-8")).hexdigest()[:16]


# Bounds on a manifest: it is a small file the app parses on every start, and a hostile
# or broken one must give a message, never an exception (a 200,000-level nesting is a
# RecursionError in json.loads; a rows of "many" was a ValueError on every page).
MAX_MANIFEST_BYTES = 1_000_000
MAX_MANIFEST_DEPTH = 32
MAX_TEXT_FIELD = 1_000  # characters of source, as_of, citation, licence, format
MAX_ROWS = 2**63 - 1
EARLIEST_YEAR, LATEST_YEAR = 1970, 2200  # dates outside these are a broken manifest
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _depth_of(value) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d)
            stack.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return deepest


def check_manifest_bytes(raw: bytes, path) -> dict:
    """Check a manifest's bytes (size and encoding) then its text (``check_manifest_text``)."""
    if len(raw) > MAX_MANIFEST_BYTES:
        raise SnapshotError(f"is {len(raw):,} bytes; a manifest is at most {MAX_MANIFEST_BYTES:,}",
                            path=path, file=MANIFEST_FILE)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SnapshotError(f"is not UTF-8 text (byte {exc.start})", path=path, file=MANIFEST_FILE)
    return check_manifest_text(text, path)


def check_manifest_text(text: str, path) -> dict:
    """Parse and check a manifest's text (``path`` names the snapshot in errors): its
    size and nesting, then every field the app reads, by type and range."""
    def bad(column, message):
        return SnapshotError(message, path=path, file=MANIFEST_FILE, column=column)

    if len(text) > MAX_MANIFEST_BYTES:
        raise SnapshotError(f"is over {MAX_MANIFEST_BYTES:,} characters", path=path, file=MANIFEST_FILE)
    try:
        manifest = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise SnapshotError(
            f"not valid JSON ({exc.msg} at line {exc.lineno})", path=path, file=MANIFEST_FILE
        )
    except RecursionError:
        raise SnapshotError(f"is nested too deeply (at most {MAX_MANIFEST_DEPTH} levels)", path=path,
                            file=MANIFEST_FILE)
    except ValueError as exc:  # NaN, Infinity, or an integer of too many digits
        raise SnapshotError(f"not valid JSON ({exc})", path=path, file=MANIFEST_FILE)
    if not isinstance(manifest, dict):
        raise SnapshotError("must be a JSON object", path=path, file=MANIFEST_FILE)
    if _depth_of(manifest) > MAX_MANIFEST_DEPTH:
        raise SnapshotError(f"is nested too deeply (at most {MAX_MANIFEST_DEPTH} levels)", path=path,
                            file=MANIFEST_FILE)
    version = manifest.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:  # True == 1 in Python: not a version
        raise bad("format_version", f"format_version is {_short(version)}, this tokenshare reads {FORMAT_VERSION}")
    for key in ("source", "as_of", "start_date", "end_date", "files", "synthetic"):
        if key not in manifest:
            raise bad(key, f"missing key {key!r}")
    for key in ("source", "as_of", "citation", "licence", "format"):
        if key in manifest:
            value = manifest[key]
            if not isinstance(value, str):
                raise bad(key, f"must be text, not {_json_type(value)}")
            if len(value) > MAX_TEXT_FIELD:
                raise bad(key, f"is {len(value):,} characters; at most {MAX_TEXT_FIELD:,}")
    if not isinstance(manifest["synthetic"], bool):
        raise bad("synthetic", "must be true or false")
    for key in ("start_date", "end_date"):
        value = manifest[key]
        if not isinstance(value, str) or not _DATE_RE.match(value):
            raise bad(key, f"{_short(value)} is not a YYYY-MM-DD date")
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise bad(key, f"{_short(value)} is not a YYYY-MM-DD date")
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise bad(key, f"{value} is outside {EARLIEST_YEAR} to {LATEST_YEAR}")
    if manifest["start_date"] > manifest["end_date"]:
        raise bad("start_date", f"start_date {manifest['start_date']} is after end_date {manifest['end_date']}")
    files = manifest["files"]
    if not isinstance(files, dict):
        raise bad("files", "must map file names to {sha256, rows}")
    if len(files) > len(REQUIRED_FILES) + len(OPTIONAL_FILES):
        raise bad("files", f"lists {len(files)} files; a snapshot has at most "
                           f"{len(REQUIRED_FILES) + len(OPTIONAL_FILES)}")
    for name, meta in files.items():
        if not isinstance(meta, dict):
            raise bad("files", f"the entry of {_short(name)} must be an object {{sha256, rows}}, not {_json_type(meta)}")
        if "sha256" in meta and not (isinstance(meta["sha256"], str) and _SHA256_RE.match(meta["sha256"])):
            raise bad("files", f"{_short(name)}: sha256 {_short(meta['sha256'])} is not 64 lowercase hex digits")
        if "rows" in meta:
            rows = meta["rows"]
            if type(rows) is not int or not 0 <= rows <= MAX_ROWS:
                raise bad("files", f"{_short(name)}: rows {_short(rows)} is not a whole number from 0 to {MAX_ROWS}")
    return manifest


def _json_type(value) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
             dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _short(value, limit: int = 40) -> str:
    """A value for a message: repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def read_labs_csv(path: Path, *, snapshot_path: Path | None = None) -> list[dict]:
    """Read and check a labs table. Raises SnapshotError naming the line at fault."""
    where = snapshot_path if snapshot_path is not None else path.parent
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            for col in LABS_COLUMNS:
                if col not in header:
                    raise SnapshotError("missing column", path=where, file=path.name, column=col)
            rows = []
            seen = set()
            for lineno, rec in enumerate(reader, start=2):
                row = {c: (rec.get(c) or "").strip() for c in LABS_COLUMNS}
                if not row["author"]:
                    raise SnapshotError("empty author", path=where, file=path.name, column="author", row=f"line {lineno}")
                if row["author"] in seen:
                    raise SnapshotError(
                        f"author {row['author']!r} appears twice", path=where, file=path.name,
                        column="author", row=f"line {lineno}",
                    )
                code = row["country_code"]
                if code and not (len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()):
                    raise SnapshotError(
                        f"{code!r} is not an ISO 3166-1 alpha-2 code", path=where, file=path.name,
                        column="country_code", row=f"line {lineno}",
                    )
                seen.add(row["author"])
                rows.append(row)
    except UnicodeDecodeError:
        raise SnapshotError("is not UTF-8 text", path=where, file=path.name)
    except csv.Error as exc:
        raise SnapshotError(f"is not valid CSV ({exc})", path=where, file=path.name)
    except OSError as exc:
        raise SnapshotError(f"cannot be read: {exc.strerror or exc}", path=where, file=path.name)
    return rows
