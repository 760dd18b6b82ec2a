"""The query runner: one in-memory DuckDB database over a snapshot's files.

Opening builds a narrow fact table (date, model_key, total_tokens) and a model
dimension (lab, country, openness) with the named ``setup_*`` queries, then every
named query runs on its own cursor, because Streamlit serves sessions from several
threads and one DuckDB connection is not safe to share between them."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import duckdb

from tokenshare import sql
from tokenshare.snapshot import CATEGORY_FILE, LABS_FILE, MODELS_FILE, USAGE_FILE, Snapshot

SETUP_QUERIES = (
    "setup_labs",
    "setup_dim_model",
    "setup_fact_usage",
    "setup_macro_period_last_day",
    "setup_macro_selected_usage",
    "setup_macro_period_flags",
)


class SnapshotDB:
    """A snapshot opened for querying. ``query(name, **params)`` returns a DataFrame."""

    def __init__(self, snapshot: Snapshot, *, threads: int = 2, memory_limit: str = "1GB"):
        self.snapshot = snapshot
        self.con = duckdb.connect(":memory:", config={"threads": threads, "memory_limit": memory_limit})
        self._lock = threading.Lock()
        path = Path(snapshot.path)
        # Views over the snapshot's own files, made through the relational API so that no
        # path is ever formatted into SQL text.
        self.con.read_parquet(str(path / USAGE_FILE)).create_view("usage")
        self.con.read_parquet(str(path / MODELS_FILE)).create_view("models")
        if snapshot.has_categories:
            self.con.read_parquet(str(path / CATEGORY_FILE)).create_view("usage_by_category")
        sql.run(self.con, "setup_labs", {"labs_csv": str(path / LABS_FILE)})
        for name in SETUP_QUERIES[1:]:
            sql.run(self.con, name)

    @property
    def snapshot_id(self) -> str:
        return self.snapshot.snapshot_id

    def cursor(self):
        with self._lock:
            return self.con.cursor()

    def query(self, name: str, **params):
        """Run the named query with bound parameters and return a pandas DataFrame."""
        cur = self.cursor()
        try:
            return sql.run(cur, name, normalise_params(params)).df()
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
