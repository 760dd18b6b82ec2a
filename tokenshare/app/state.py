"""The open snapshot and what every page reads from it.

- which snapshot is open (``active_resolution``, called at the top of every rerun:
  cached until the candidate folders or a local root's ``latest.json`` change, or for
  ``recheck_seconds()`` for a URL; a changed answer moves the session to the new
  snapshot on that rerun, without a restart);
- its query database (``open_db``: one per snapshot, shared by all sessions, with the
  DuckDB thread policy ``db_threads``);
- named queries run on it, cached by snapshot id and the parameters the query uses
  (``run_query``; kept in the app's one cache, ``tokenshare/app/cache.py``, with the
  frames derived from them and the sidebar's options);
- the page ``Context`` (snapshot, database, global filters, the snapshot's labs and
  countries) that the sidebar makes and every page gets from ``page_context()``;
- the SQL workbench's sandbox over the open snapshot.

``SNAPSHOTS_DIR`` and ``SAMPLE_DIR`` are read from here at every call, so a test can
point the app at other folders."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from tokenshare.app import cache
from tokenshare.app.urls import DEFAULT_GRAIN, DEFAULT_OPENNESS, DEFAULT_TIER, DEFAULT_TOP
from tokenshare.core import settings, sql
from tokenshare.data.snapshot.layout import DERIVED_PREFIX, USAGE_FILE, Snapshot
from tokenshare.data.published.locate import Resolution, candidate_snapshots, resolve_snapshot
from tokenshare.data.published.pointer import is_local_root, pointer_identity
from tokenshare.data.published.root import RootOpen
from tokenshare.data.published.remote import is_snapshot_url
from tokenshare.engine.db import SnapshotDB, normalise_params

SNAPSHOTS_DIR = settings.SNAPSHOTS_DIR
SAMPLE_DIR = settings.SAMPLE_DIR
CTX_KEY = "_tokenshare_ctx"

# --------------------------------------------------------------------------- the snapshot


def fingerprint(paths: list[Path]) -> tuple:
    """Cheap identity of snapshot folders: names, sizes, mtimes. A new refresh or an
    edited file changes it, which re-validates."""
    out = []
    for p in paths:
        try:
            for f in sorted(p.iterdir()):
                if f.name.startswith(DERIVED_PREFIX):  # caches written beside the data
                    continue
                st_ = f.stat()
                out.append((str(f), st_.st_size, st_.st_mtime_ns))
        except OSError:
            out.append((str(p), -1, -1))
    return tuple(out)


@st.cache_resource(max_entries=8, show_spinner="Checking the snapshot…")
def _resolve_cached(env_value: str | None, snapshots_dir: str, sample_dir: str, fingerprint: tuple,
                    _previous_root: RootOpen | None = None) -> Resolution:
    return resolve_snapshot(env_value, Path(snapshots_dir), Path(sample_dir), previous_root=_previous_root)


@st.cache_resource(show_spinner=False)
def _roots_open() -> dict:
    """Per TOKENSHARE_SNAPSHOT value naming a published root: the snapshot open from it
    (shared by all sessions), kept while the root cannot be read."""
    return {}


def snapshot_location() -> str | None:
    """TOKENSHARE_SNAPSHOT: the folder or URL the operator chose, if any."""
    return settings.snapshot_location()


def location_fingerprint(location: str | None) -> tuple:
    """What has to change for TOKENSHARE_SNAPSHOT to be looked at again: a folder's files;
    a local published root's latest.json (replaced by every publish) or the clock; for a
    URL (nothing to stat), the clock, every ``settings.recheck_seconds()``."""
    if not location:
        return ()
    if is_snapshot_url(location):
        every = settings.recheck_seconds()
        return (("url", location, every, int(time.time() // every)),)
    if is_local_root(Path(location)):  # and the clock, so a root fixed in place is tried again
        return (pointer_identity(Path(location)), int(time.time() // settings.recheck_seconds()))
    return fingerprint([Path(location)])


def active_resolution() -> Resolution:
    """The snapshot this rerun opens. Sessions move to a new snapshot here, on their next
    rerun, without a restart: a new refreshed folder under data/snapshots/ or a changed
    TOKENSHARE_SNAPSHOT fingerprint (see ``location_fingerprint``) makes a new cache key,
    which resolves again; an unchanged one costs a few stat calls."""
    location = snapshot_location()
    fp = location_fingerprint(location) + fingerprint(candidate_snapshots(SNAPSHOTS_DIR) + [SAMPLE_DIR])
    roots = _roots_open()
    res = _resolve_cached(location, str(SNAPSHOTS_DIR), str(SAMPLE_DIR), fp, roots.get(location))
    if location and res.opened_root is not None:
        roots[location] = res.opened_root
    return res


# The snapshot this session showed last, and its first and last day.
SHOWN_KEY = "_tokenshare_shown_snapshot"


def follow_new_snapshot(snapshot_id: str, data_start: dt.date, data_end: dt.date) -> None:
    """When this session moves to another snapshot (a refresh wrote a newer one), a date
    filter left at the old snapshot's first or last day moves to the new one's, so the
    view covers the new days; a date the visitor chose stays. Call before the date
    filters are drawn."""
    shown = st.session_state.get(SHOWN_KEY)
    st.session_state[SHOWN_KEY] = (snapshot_id, data_start, data_end)
    if not shown or shown[0] == snapshot_id:
        return
    for key, old_default, new_default in (("start", shown[1], data_start), ("end", shown[2], data_end)):
        if key in st.session_state and st.session_state[key] == old_default != new_default:
            # set, not deleted: the browser keeps a keyed widget's value unless told a new one
            st.session_state[key] = new_default


# --------------------------------------------------------------------------- its database

# Below this many usage rows DuckDB runs each query on one thread: at the sample's size
# (35k rows) a query is mostly planning, and handing its few row groups to a second
# thread cost more than it saved: sample warm reruns, one thread against two, alternating
# runs on this machine: Spend 114 / 129 ms, Countries 107 / 126, Share 81 / 96 (and
# 144 / 177, 139 / 155, 111 / 114 under load). Big snapshots keep both cores.
SINGLE_THREAD_BELOW_ROWS = 500_000


def db_threads(snapshot: Snapshot) -> int:
    return 1 if 0 < snapshot.row_count(USAGE_FILE) < SINGLE_THREAD_BELOW_ROWS else 2


@st.cache_resource(max_entries=4, show_spinner="Opening the snapshot…")
def _open_db(snapshot_path: str, snapshot_id: str, _snapshot: Snapshot) -> SnapshotDB:
    return SnapshotDB(_snapshot, threads=db_threads(_snapshot))


def open_db(snapshot: Snapshot) -> SnapshotDB:
    return _open_db(str(snapshot.path), snapshot.snapshot_id, snapshot)


def _query_result(snapshot_id: str, name: str, params_key: tuple, db: SnapshotDB) -> pd.DataFrame:
    """A new frame of the kept result of a named query. Results are kept pickled, as
    st.cache_data kept them: bytes, which Streamlit's garbage collection after every run
    does not walk (hundreds of live frames would add their ~60 objects each to every
    collection)."""
    key = cache.key(snapshot_id, name, params_key)
    blob = cache.cached("query", key, lambda: pickle.dumps(db.query(name, **dict(params_key)),
                                                           protocol=pickle.HIGHEST_PROTOCOL))
    return pickle.loads(blob)


def run_query(snapshot: Snapshot, db: SnapshotDB, name: str, **params) -> pd.DataFrame:
    """A named query on ``db``, cached by snapshot id and parameters. Only the
    parameters the query uses are part of the key (and bound). The caller's own frame:
    it may change it (each call unpickles a new one)."""
    name, params_key = _query_key(name, params)
    return _query_result(snapshot.snapshot_id, name, params_key, db)


def _query_key(name: str, params: dict) -> tuple:
    used = set(sql.query_parameters(name))
    # SnapshotDB.query turns the tuples back into lists
    return name, cache.freeze(normalise_params({k: v for k, v in params.items() if k in used}))


def _derived(snapshot_id: str, fn, inputs: tuple, options: tuple, db: SnapshotDB):
    """``fn`` over the kept results of ``inputs`` ((name, params key) pairs), computed once
    per snapshot, queries and options, kept read-only and shared: a caller must not
    change it (writing a value into it raises)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    def make():
        frames = [_query_result(snapshot_id, q, params_key, db) for q, params_key in inputs]  # fn's own
        return cache.read_only(fn(*frames, **dict(options)))

    return cache.cached("derived", cache.key(snapshot_id, name, inputs, options), make)


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar offers for a snapshot, worked out once per snapshot: the labs
    (largest first) and countries with their names, the labs of each country, and the
    snapshot's first and last day. Shared by every session: read-only."""

    labs: pd.DataFrame
    countries: pd.DataFrame
    lab_names: dict
    country_names: dict
    labs_by_country: dict
    data_start: dt.date
    data_end: dt.date


def _filter_options(snapshot_id: str, db) -> FilterOptions:
    from tokenshare.core.formatting import as_date

    labs = cache.read_only(_query_result(snapshot_id, *_query_key("filter_options_labs", {}), db))
    countries = cache.read_only(_query_result(snapshot_id, *_query_key("filter_options_countries", {}), db))
    summary = _query_result(snapshot_id, *_query_key("snapshot_summary", {}), db).iloc[0]
    by_country: dict = {}
    for author, code in zip(labs["author"].tolist(), labs["country_code"].tolist()):
        by_country.setdefault(code, []).append(author)
    return FilterOptions(labs, countries, dict(zip(labs["author"].tolist(), labs["lab_name"].tolist())),
                         dict(zip(countries["country_code"].tolist(), countries["country_name"].tolist())),
                         by_country, as_date(summary["first_day"]), as_date(summary["last_day"]))


def filter_options(snapshot: Snapshot, db: SnapshotDB) -> FilterOptions:
    """The sidebar's options for ``snapshot`` (cached per snapshot; three queries that
    take no parameters, and the dictionaries the sidebar builds from them)."""
    return cache.cached("options", cache.key(snapshot.snapshot_id, "filter_options"),
                        lambda: _filter_options(snapshot.snapshot_id, db))


def _close_sandbox(sandbox) -> None:
    sandbox.close()  # its worker processes and any private copy of the tables


@st.cache_resource(max_entries=2, show_spinner="Preparing the SQL workbench…", on_release=_close_sandbox)
def _workbench_sandbox(snapshot_id: str, _db: SnapshotDB):
    from tokenshare.engine.workbench import Sandbox

    return Sandbox(_db)


def session_key() -> str | None:
    """This visitor's session id: the workbench runs one query at a time per session."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run_ctx = get_script_run_ctx()
    return run_ctx.session_id if run_ctx is not None else None


def client_address() -> str | None:
    """The visitor's address where Streamlit knows it: None on localhost (a proxy on the
    same host included), in tests and on some hosts. The sign-in limiter and the
    workbench's per-address share use it."""
    try:
        return st.context.ip_address
    except Exception:  # noqa: BLE001 - no address: the per-session limits still hold
        return None


# --------------------------------------------------------------------------- the page context


@dataclass(frozen=True)
class Filters:
    """The global filters' values, as the sidebar read them from the URL."""

    start: dt.date
    end: dt.date
    grain: str = DEFAULT_GRAIN
    openness: str = DEFAULT_OPENNESS
    countries: tuple[str, ...] = ()
    labs: tuple[str, ...] = ()
    top: int = DEFAULT_TOP
    tier: str = DEFAULT_TIER

    def params(self) -> dict:
        """The bound parameters every named query takes (a query uses what it needs)."""
        return {
            "start": self.start,
            "end": self.end,
            "grain": self.grain,
            "openness": self.openness,
            "countries": list(self.countries),
            "labs": list(self.labs),
            "top": int(self.top),
            "tier": self.tier,
        }


@dataclass
class Context:
    """What a page reads: the open snapshot, its database, the global filters, the
    snapshot's date range, and its labs and countries (for names and filters)."""

    snapshot: Snapshot
    db: SnapshotDB
    filters: Filters
    data_start: dt.date
    data_end: dt.date
    labs: pd.DataFrame
    countries: pd.DataFrame

    def params(self, **extra) -> dict:
        """The filters as query parameters, with ``extra`` added or replacing them."""
        return {**self.filters.params(), **extra}

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run a named query on the open snapshot (cached; see ``run_query``)."""
        return run_query(self.snapshot, self.db, name, **params)

    def derive(self, fn, *inputs: tuple[str, dict], **options) -> pd.DataFrame:
        """``fn(*frames, **options)`` over the named queries' results (``inputs``: (name,
        params) pairs), computed once per snapshot, queries and options and then shared:
        the Share page's grids cost 4-8 ms of pandas a rerun, a fifth of the server's CPU
        under load. The frame returned is read-only (writing a value into it raises)."""
        keys = tuple(_query_key(name, params) for name, params in inputs)
        return _derived(self.snapshot.snapshot_id, fn, keys, cache.freeze(normalise_params(options)), self.db)

    def workbench_sandbox(self):
        """The SQL workbench's sandbox for this snapshot: one per snapshot, shared by all
        sessions, each query in one of its worker processes (tokenshare/engine/workbench.py)."""
        return _workbench_sandbox(self.snapshot.snapshot_id, self.db)


def set_page_context(ctx: Context) -> None:
    """Kept for this session's run: the sidebar makes it in app.py before the page runs."""
    st.session_state[CTX_KEY] = ctx


def page_context() -> Context:
    """The Context the sidebar made in this run (app.py draws it before the page)."""
    return st.session_state[CTX_KEY]
