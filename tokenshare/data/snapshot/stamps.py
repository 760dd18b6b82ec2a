"""Validation stamps: remembering that a snapshot folder passed every check.

A folder that passed ``tokenshare.data.snapshot.validate.load_snapshot`` gets a stamp,
``derived_validated.json``, naming the identity of each file it checked: size,
modification and change times, inode and device, plus a key of the checks themselves.
The next load of an unchanged folder finds every identity as stamped and skips the
checksums and the DuckDB checks (seconds and about 0.5 GB at 10 million rows). Any
write to a file changes its change time (which no program can set back), so an edited
or replaced file is validated again; files changed within ``STAMP_MARGIN_NS`` of the
check are never stamped, so a write in the same clock tick cannot slip through.
``TOKENSHARE_VALIDATION_STAMPS=0`` turns stamps off.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import duckdb

from tokenshare.core import settings, sql
from tokenshare.core.statefile import read_state
from tokenshare.data.snapshot.layout import DERIVED_PREFIX, MANIFEST_FILE

VALIDATION_STAMP = DERIVED_PREFIX + "validated.json"
# write_snapshot stamps snapshots of at least this many usage rows as it writes them.
STAMP_AT_WRITE_ROWS = 100_000
# File timestamps come from a coarse kernel clock (a few ms per tick): a file whose
# change time is this close to the start of a check is not stamped.
STAMP_MARGIN_NS = 200_000_000

# The modules whose code decides whether a snapshot is valid: the format's constants
# and text checks, and the folder and DuckDB checks. Named by file rather than imported,
# because validate imports this module.
_CHECK_MODULES = ("layout.py", "validate.py", "parquet_checks.py")


def stamps_enabled() -> bool:
    return settings.validation_stamps_enabled()


def validator_key() -> str:
    """Changes when the checks change: the checking modules' source, the validation
    queries and the DuckDB version. A stamp made by other checks is not trusted."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _CHECK_MODULES:
        h.update((here / name).read_bytes())
    for name in sorted(sql.all_query_names()):
        if name.startswith(("validate_", "parquet_")):
            h.update(sql.load_sql(name).encode("utf-8"))
    h.update(duckdb.__version__.encode("ascii"))
    return h.hexdigest()[:24]


def _identity(p: Path) -> list[int]:
    st = p.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _stamped_files(manifest: dict) -> list[str]:
    return sorted({MANIFEST_FILE, *manifest["files"]})


def stamp_matches(path: Path, manifest: dict) -> bool:
    """Whether the folder's stamp was made by these checks and names every file of the
    manifest with its present identity."""
    try:
        stamp = read_state(path / VALIDATION_STAMP, max_bytes=1 << 20).data  # {} when missing or mangled
        if stamp.get("validator") != validator_key():
            return False
        files = stamp.get("files", {})
        names = _stamped_files(manifest)
        return set(files) == set(names) and all(files[n] == _identity(path / n) for n in names)
    except (OSError, ValueError, TypeError, AttributeError):
        return False


def write_stamp(path: Path, manifest: dict, started_ns: int) -> None:
    """Best effort: a folder that cannot be written is simply validated every time."""
    try:
        files = {n: _identity(path / n) for n in _stamped_files(manifest)}
        if any(max(ident[1], ident[2]) > started_ns - STAMP_MARGIN_NS for ident in files.values()):
            return  # changed too recently to be told apart from a change in the same tick
        tmp = path / f"{VALIDATION_STAMP}.tmp-{os.getpid()}"
        tmp.write_text(json.dumps({"validator": validator_key(), "files": files}) + "\n", encoding="utf-8")
        os.replace(tmp, path / VALIDATION_STAMP)
    except OSError:
        pass


def forget_validation(path: Path | str) -> None:
    """Remove a folder's validation stamp: the next load validates it completely."""
    try:
        (Path(path) / VALIDATION_STAMP).unlink()
    except OSError:
        pass


def settle(path: Path) -> None:
    """Wait until the folder's newest file is older than STAMP_MARGIN_NS, so that the
    validation that follows can stamp it (at most a fifth of a second)."""
    newest = max((max(f.stat().st_mtime_ns, f.stat().st_ctime_ns) for f in path.iterdir()), default=0)
    wait = newest + STAMP_MARGIN_NS + 5_000_000 - time.time_ns()
    if wait > 0:
        time.sleep(min(wait, STAMP_MARGIN_NS * 2) / 1e9)
