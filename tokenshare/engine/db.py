"""The query runner: one DuckDB database over a snapshot's files.

Opening builds a narrow fact table (date, model_key, total_tokens), weekly and monthly
sums of it, and a model dimension (lab, country, openness) with the named ``setup_*``
queries, then every named query runs on its own cursor, because Streamlit serves
sessions from several threads and one DuckDB connection is not safe to share between
them.

The build is done once per snapshot and machine: the tables and macros are written to
``derived_query.duckdb`` beside the snapshot's files (the snapshot loader ignores files
named ``derived_*``), and every later open attaches that file read-only, which takes
milliseconds instead of seconds and keeps the tables on disk, paged in by DuckDB's
buffer manager, instead of in memory. The file records a build key (snapshot id, the
text of every setup query, DuckDB's version); a file with another key is rebuilt. When
the snapshot folder is not writable (or ``TOKENSHARE_DERIVED=0``), the tables are built
in memory at every open, as before."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import uuid
from pathlib import Path

import duckdb

from tokenshare.core import sql
from tokenshare.data.published.remote import UrlPath, load_httpfs
from tokenshare.data.snapshot.layout import (
    CATEGORY_FILE,
    DERIVED_PREFIX,
    ENDPOINTS_FILE,
    LABS_FILE,
    MODELS_FILE,
    SEGMENT_FILE,
    USAGE_FILE,
    Snapshot,
)
from tokenshare.core import settings
from tokenshare.data.snapshot.extra_tables import EXTRA_TABLES, has_table

# Build order. Each creates a table or macro from the views `usage`, `models` (and the
# labs CSV), or from what an earlier one created.
SETUP_QUERIES = (
    "setup_labs",
    "setup_dim_model",
    "setup_fact_usage",
    "setup_fact_week",
    "setup_fact_month",
    "setup_model_days",
    "setup_lab_days",
    "setup_day_coverage",
    "setup_macro_period_last_day",
    "setup_macro_selected_usage",
    "setup_macro_period_flags",
    "setup_macro_period_first_full",
    "setup_macro_period_last_full",
    "setup_macro_selected_periods",
    "setup_macro_launched_models",
    "setup_macro_provider_prices",
    "setup_macro_segment_usage",
    "setup_launch_facts",
)
DERIVED_DB = DERIVED_PREFIX + "query.duckdb"
DERIVED_FORMAT = "2"  # 2: variants under their base model, tier and per-day openness

# Parameters a page query may leave out, with their value: `tier` (the global free /
# paid filter) is 'all' unless the caller chose one.
QUERY_DEFAULTS = {"tier": "all"}


def derived_enabled() -> bool:
    return settings.derived_enabled()


def derived_key(parts, queries) -> str:
    """The key of a file derived from a snapshot: a hash of ``parts`` (format, snapshot
    ids, library versions...) and of the text of the named ``queries`` that compute it,
    so a change to any of them makes a new file instead of reusing a stale one."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8") + b"\0")
    for name in queries:
        h.update(sql.load_sql(name).encode("utf-8") + b"\0")
    return h.hexdigest()[:24]


def build_key(snapshot: Snapshot) -> str:
    """What a query database depends on: the snapshot, the setup SQL, the DuckDB."""
    return derived_key((DERIVED_FORMAT, snapshot.snapshot_id, duckdb.__version__, *SETUP_QUERIES), SETUP_QUERIES)


def derived_folder(snapshot: Snapshot) -> Path | None:
    """The folder where files derived from ``snapshot`` may be kept (its own), or None
    when none are kept: a URL, not a folder, or ``TOKENSHARE_DERIVED=0``."""
    if not derived_enabled() or isinstance(snapshot.path, UrlPath) or not Path(snapshot.path).is_dir():
        return None
    return Path(snapshot.path)


def derived_path(snapshot: Snapshot) -> Path | None:
    """Where the snapshot's query database lives: beside its files, for a local folder."""
    path = snapshot.path
    if isinstance(path, UrlPath):  # a published snapshot: no folder to write beside it
        return None
    return Path(path) / DERIVED_DB


def forget_derived(snapshot_path: Path) -> None:
    """Remove a snapshot folder's query database (it is rebuilt at the next open)."""
    for f in Path(snapshot_path).glob(DERIVED_DB + "*"):
        try:
            f.unlink()
        except OSError:
            pass


class SnapshotDB:
    """A snapshot opened for querying. ``query(name, **params)`` returns a DataFrame.

    ``derived``: True to require the on-disk query database, False to build in memory,
    None (the default) to use the on-disk one whenever the folder allows it."""

    def __init__(self, snapshot: Snapshot, *, threads: int = 2, memory_limit: str = "1GB",
                 derived: bool | None = None):
        self.snapshot = snapshot
        self._config = {"threads": threads, "memory_limit": memory_limit}
        self.con = duckdb.connect(":memory:", config=self._config)
        self._lock = threading.Lock()
        self.derived_file: Path | None = None
        self.built = False  # True when this open built the tables (in memory or on disk)
        if isinstance(snapshot.path, UrlPath):  # a URL: read in place through httpfs
            load_httpfs(self.con)
        self._create_source_views(self.con)
        use_file = derived_enabled() if derived is None else derived
        target = derived_path(snapshot) if use_file else None
        if target is not None and self._attach_derived(target, build_if_needed=True):
            self.derived_file = target
        elif derived:
            raise RuntimeError(f"cannot build or open the query database at {target}")
        else:
            for name in SETUP_QUERIES:
                self._setup(self.con, name)
            self.built = True

    # ------------------------------------------------------------------ opening

    def _create_source_views(self, con) -> None:
        # Views over the snapshot's own files, made through the relational API so that
        # no path is ever formatted into SQL text. They live in memory, never in the
        # query database file, which therefore does not depend on where the folder is.
        # The build makes them too: its macros (provider_prices, segment_usage) name
        # model_endpoints and segment_rows, which must exist when a macro is created.
        con.read_parquet(self.file(USAGE_FILE)).create_view("usage")
        con.read_parquet(self.file(MODELS_FILE)).create_view("models")
        if self.snapshot.has_categories:
            con.read_parquet(self.file(CATEGORY_FILE)).create_view("usage_by_category")
        if self.snapshot.has_segments:
            con.read_parquet(self.file(SEGMENT_FILE)).create_view("usage_by_segment")
        # every dimension (categories included) in one shape, for the Segments page
        which = {(True, True): "both", (True, False): "categories", (False, True): "segments", (False, False): "none"}
        sql.run(con, "source_segment_rows_" + which[(self.snapshot.has_categories, self.snapshot.has_segments)])
        if self.snapshot.has_endpoints:  # the providers; an empty view without them
            con.read_parquet(self.file(ENDPOINTS_FILE)).create_view("model_endpoints")
        else:
            sql.run(con, "empty_model_endpoints")
        # the extra tables (issue 23) as views named by their file; empty ones without them
        for fname in EXTRA_TABLES:
            if has_table(self.snapshot, fname):
                con.read_parquet(self.file(fname)).create_view(fname.removesuffix(".parquet"))
            else:
                sql.run(con, "empty_" + fname.removesuffix(".parquet"))

    def file(self, name: str) -> str:
        """Where DuckDB reads one of the snapshot's files: a local path, or a URL
        (a published snapshot read in place, see tokenshare.data.published.remote)."""
        path = self.snapshot.path
        if isinstance(path, str) and not isinstance(path, UrlPath):
            path = Path(path)
        return str(path / name)

    def _setup(self, con, name: str) -> None:
        params = {"labs_csv": self.file(LABS_FILE)} if name == "setup_labs" else {}
        sql.run(con, name, params)

    def _attach_derived(self, target: Path, *, build_if_needed: bool) -> bool:
        key = build_key(self.snapshot)
        if target.is_file() and self._try_attach(target, key):
            return True
        if not build_if_needed or not os.access(target.parent, os.W_OK):
            return False
        try:
            self._build_file(target, key)
        except (OSError, duckdb.Error):
            return False
        self.built = True
        return self._try_attach(target, key)

    def _try_attach(self, target: Path, key: str) -> bool:
        try:
            sql.run(self.con, "setup_derived_attach_read", {"path": str(target)})
        except duckdb.Error:
            return False
        try:
            found = sql.run(self.con, "setup_derived_key").fetchone()
        except duckdb.Error:
            found = None
        if not found or found[0] != key:
            sql.run(self.con, "setup_derived_forget")
            return False
        sql.run(self.con, "setup_derived_search_path")
        return True

    def _build_file(self, target: Path, key: str) -> None:
        """Build the query database under a temporary name beside ``target``, then
        rename it into place, so a reader never sees half a database."""
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        con = duckdb.connect(":memory:", config=self._config)
        try:
            self._create_source_views(con)
            sql.run(con, "setup_derived_attach_write", {"path": str(tmp)})
            sql.run(con, "setup_derived_search_path")
            for name in SETUP_QUERIES:
                self._setup(con, name)
            sql.run(con, "setup_derived_meta", {
                "build_key": key, "snapshot_id": self.snapshot.snapshot_id,
                "duckdb_version": duckdb.__version__,
            })
            sql.run(con, "setup_derived_detach")
            con.close()
            os.replace(tmp, target)
        except BaseException:
            con.close()
            for f in tmp.parent.glob(tmp.name + "*"):
                f.unlink(missing_ok=True)
            raise

    # ------------------------------------------------------------------ querying

    @property
    def snapshot_id(self) -> str:
        return self.snapshot.snapshot_id

    def cursor(self):
        with self._lock:
            cur = self.con.cursor()
        if self.derived_file is not None:
            sql.run(cur, "setup_derived_search_path")  # a cursor does not inherit it
        return cur

    def query(self, name: str, **params):
        """Run the named query with bound parameters and return a pandas DataFrame."""
        cur = self.cursor()
        try:
            return sql.run(cur, name, normalise_params({**QUERY_DEFAULTS, **params})).df()
        finally:
            cur.close()

    def close(self) -> None:
        self.con.close()


def normalise_params(params: dict) -> dict:
    """Tuples to lists (DuckDB binds lists), dates kept as dates."""
    out = {}
    for k, v in params.items():
        if isinstance(v, tuple):
            v = list(v)
        if isinstance(v, dt.datetime):
            v = v.date()
        out[k] = v
    return out
