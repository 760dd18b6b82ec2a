"""Streamlit glue shared by app.py and the pages: the active snapshot, cached queries,
the URL-bound sidebar filters, and the pieces every page ends with."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from tokenshare import sql
from tokenshare.db import SnapshotDB, normalise_params
from tokenshare.filters import (
    DEFAULT_GRAIN,
    DEFAULT_OPENNESS,
    DEFAULT_TOP,
    GLOBAL_KEYS,
    GRAINS,
    OPENNESS,
    TOP_MAX,
    TOP_MIN,
    Filters,
    check_url_params,
    clamp_dates,
)
from tokenshare.metrics import csv_with_citation
from tokenshare.snapshot import (
    LICENCE_LINE,
    MANIFEST_FILE,
    SAMPLE_DIR,
    SNAPSHOTS_DIR,
    Resolution,
    Snapshot,
    candidate_snapshots,
    resolve_snapshot,
)

CTX_KEY = "_tokenshare_ctx"
NOTICES_KEY = "_tokenshare_url_notices"


# --------------------------------------------------------------------------- snapshot


def _fingerprint(paths: list[Path]) -> tuple:
    """Cheap identity of the candidate snapshot folders: names, sizes, mtimes. A new
    refresh or an edited file changes it, which re-validates."""
    out = []
    for p in paths:
        try:
            for f in sorted(p.iterdir()):
                st_ = f.stat()
                out.append((str(f), st_.st_size, st_.st_mtime_ns))
        except OSError:
            out.append((str(p), -1, -1))
    return tuple(out)


@st.cache_resource(max_entries=8, show_spinner="Checking the snapshot…")
def _resolve_cached(env_value: str | None, snapshots_dir: str, sample_dir: str, _fp: tuple, fp_key: str) -> Resolution:
    return resolve_snapshot(env_value, Path(snapshots_dir), Path(sample_dir))


def active_resolution() -> Resolution:
    env_value = os.environ.get("TOKENSHARE_SNAPSHOT") or None
    paths = ([Path(env_value)] if env_value else []) + candidate_snapshots(SNAPSHOTS_DIR) + [SAMPLE_DIR]
    fp = _fingerprint(paths)
    return _resolve_cached(env_value, str(SNAPSHOTS_DIR), str(SAMPLE_DIR), fp, str(hash(fp)))


@st.cache_resource(max_entries=4, show_spinner="Opening the snapshot…")
def _open_db(snapshot_path: str, snapshot_id: str, _snapshot: Snapshot) -> SnapshotDB:
    return SnapshotDB(_snapshot)


def open_db(snapshot: Snapshot) -> SnapshotDB:
    return _open_db(str(snapshot.path), snapshot.snapshot_id, snapshot)


@st.cache_data(max_entries=2000, show_spinner=False)
def _query_cached(snapshot_id: str, name: str, params_key: tuple, _db: SnapshotDB) -> pd.DataFrame:
    return _db.query(name, **dict((k, list(v) if isinstance(v, tuple) else v) for k, v in params_key))


def _freeze(params: dict) -> tuple:
    frozen = []
    for k, v in sorted(normalise_params(params).items()):
        frozen.append((k, tuple(v) if isinstance(v, list) else v))
    return tuple(frozen)


def query(name: str, **params) -> pd.DataFrame:
    """Run a named query on the active snapshot, cached by snapshot id and parameters.
    Only the parameters the query uses are part of the key."""
    ctx = context()
    used = set(sql.query_parameters(name))
    params = {k: v for k, v in params.items() if k in used}
    return _query_cached(ctx.snapshot.snapshot_id, name, _freeze(params), ctx.db).copy()


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    snapshot: Snapshot
    db: SnapshotDB
    filters: Filters
    data_start: dt.date
    data_end: dt.date
    labs: pd.DataFrame
    countries: pd.DataFrame

    def params(self, **extra) -> dict:
        return {**self.filters.params(), **extra}


def context() -> Context:
    return st.session_state[CTX_KEY]


# --------------------------------------------------------------------------- filters


def _raw_query_params() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp.keys()}


def _clear_notices() -> None:
    st.session_state[NOTICES_KEY] = []


def sidebar_filters(snapshot: Snapshot, db: SnapshotDB, page_choices: dict[str, dict]) -> Context:
    """Draw the global filters in the sidebar, bound to the URL, and return the context
    every page reads. Values the URL asked for but the filters cannot take are reported
    (once per session) instead of silently dropped."""
    labs = db.query("filter_options_labs")
    countries = db.query("filter_options_countries")
    summary = db.query("snapshot_summary").iloc[0]
    data_start = summary["first_day"]
    data_end = summary["last_day"]
    if hasattr(data_start, "date"):
        data_start, data_end = data_start.date(), data_end.date()

    lab_names = dict(zip(labs["author"], labs["lab_name"]))
    country_names = dict(zip(countries["country_code"], countries["country_name"]))

    raw = _raw_query_params()
    if NOTICES_KEY not in st.session_state:
        st.session_state[NOTICES_KEY] = []
    check = check_url_params(
        raw, lab_options=lab_names, country_options=country_names,
        data_start=data_start, data_end=data_end, page_choices=page_choices,
    )
    for n in check.notices:
        if n not in st.session_state[NOTICES_KEY]:
            st.session_state[NOTICES_KEY].append(n)

    sb = st.sidebar
    sb.markdown("### Filters")
    start = sb.date_input(
        "From", value=data_start, min_value=data_start, max_value=data_end,
        key="start", bind="query-params", format="YYYY-MM-DD", on_change=_clear_notices,
    )
    end = sb.date_input(
        "To", value=data_end, min_value=data_start, max_value=data_end,
        key="end", bind="query-params", format="YYYY-MM-DD", on_change=_clear_notices,
    )
    start, end = clamp_dates(start, end, data_start, data_end)
    # Bound widgets put their *displayed* option text in the URL, so the options are
    # shown as the short codes the URL should carry (week, US, arcee-ai) and the
    # readable names go in the help text and the caption below.
    grain = sb.selectbox(
        "Period", list(GRAINS), index=list(GRAINS).index(DEFAULT_GRAIN),
        key="grain", bind="query-params", on_change=_clear_notices,
        help="day, week (ISO week, Monday to Sunday) or month.",
    )
    openness = sb.radio(
        "Models", list(OPENNESS), index=list(OPENNESS).index(DEFAULT_OPENNESS),
        key="openness", bind="query-params", horizontal=True, on_change=_clear_notices,
        help="all models, open-weight models only, or closed models only.",
    )
    chosen_countries = sb.multiselect(
        "Lab country", list(countries["country_code"]),
        key="country", bind="query-params", placeholder="All countries", on_change=_clear_notices,
        help="ISO country codes: " + ", ".join(f"{c} = {n}" for c, n in country_names.items()),
    )
    lab_pool = labs if not chosen_countries else labs[labs["country_code"].isin(chosen_countries)]
    chosen_labs = sb.multiselect(
        "Lab", list(lab_pool["author"]),
        key="lab", bind="query-params",
        placeholder="All labs" if not chosen_countries else "All labs in these countries",
        on_change=_clear_notices,
        help="OpenRouter author slugs, largest first. Type to search, e.g. arcee.",
    )
    if chosen_countries or chosen_labs:
        names = [country_names.get(c, c) for c in chosen_countries] + [lab_names.get(a, a) for a in chosen_labs]
        sb.caption("Showing: " + " · ".join(names))
    top = sb.slider("Top N", TOP_MIN, TOP_MAX, DEFAULT_TOP, key="top", bind="query-params", on_change=_clear_notices,
                    help="How many labs or models a chart names; the others are summed as Rest.")
    filters = Filters(
        start=start, end=end, grain=grain or DEFAULT_GRAIN, openness=openness or DEFAULT_OPENNESS,
        countries=tuple(chosen_countries), labs=tuple(chosen_labs), top=int(top),
    )
    ctx = Context(snapshot, db, filters, data_start, data_end, labs, countries)
    st.session_state[CTX_KEY] = ctx
    return ctx


def url_notices() -> None:
    for n in st.session_state.get(NOTICES_KEY, []):
        st.warning(n, icon=":material/warning:")


# --------------------------------------------------------------------------- page parts


def synthetic_banner(snapshot: Snapshot) -> None:
    if snapshot.synthetic:
        st.info(
            "**Synthetic sample data.** These figures are generated by tokenshare to show how "
            "the app works; they are shaped after published facts but are not OpenRouter's "
            "numbers. Run `python -m tokenshare refresh` with an OpenRouter key for real data.",
            icon=":material/science:",
        )


def page_header(title: str, caption: str) -> Context:
    ctx = context()
    st.title(title)
    st.caption(caption)
    synthetic_banner(ctx.snapshot)
    url_notices()
    return ctx


def citation_lines(snapshot: Snapshot) -> list[str]:
    if snapshot.synthetic:
        return [snapshot.citation, f"Snapshot {snapshot.snapshot_id}, generated as of {snapshot.as_of}."]
    return [snapshot.citation, LICENCE_LINE]


def source_footer(snapshot: Snapshot) -> None:
    st.divider()
    if snapshot.synthetic:
        st.caption(
            f"Synthetic sample data (not OpenRouter figures), as of {snapshot.as_of}. "
            f"Snapshot `{snapshot.snapshot_id}`."
        )
    else:
        st.caption(f"{snapshot.citation} {LICENCE_LINE} Snapshot `{snapshot.snapshot_id}`.")


def empty_state(what: str) -> None:
    st.info(
        f"No {what} for these filters. Widen the date range, or clear the country or lab filter "
        "in the sidebar.",
        icon=":material/search_off:",
    )


def data_behind(name: str, params: dict, df: pd.DataFrame, *, label: str = "The data behind this chart") -> None:
    """An expander with the named query, its bound parameters, the table it returned
    and a CSV download that carries the citation: every figure is traceable."""
    ctx = context()
    used = sql.query_parameters(name)
    bound = {k: normalise_params({k: params[k]})[k] for k in used if k in params}
    with st.expander(label):
        st.markdown(f"Named query **`queries/{name}.sql`** with parameters:")
        st.json({k: (str(v) if isinstance(v, dt.date) else v) for k, v in bound.items()}, expanded=False)
        st.dataframe(df, hide_index=True, width="stretch", height=260)
        st.download_button(
            "Download CSV (with citation)",
            csv_with_citation(df, citation_lines(ctx.snapshot)),
            file_name=f"tokenshare-{name}-{ctx.snapshot.snapshot_id}.csv",
            mime="text/csv",
            key=f"dl-{name}-{label}",
            on_click="ignore",
        )


def fmt_date(d) -> str:
    if d is None:
        return "–"
    if hasattr(d, "date"):
        try:
            d = d.date()
        except TypeError:
            pass
    return d.isoformat()


def manifest_path(snapshot: Snapshot) -> Path:
    return Path(snapshot.path) / MANIFEST_FILE


def secrets_for_refresh() -> dict:
    """The OpenRouter key from st.secrets, if one is set there, as a one-entry mapping.
    st.secrets raises when no secrets file exists; that simply means no key there."""
    try:
        value = st.secrets.get("OPENROUTER_API_KEY")
    except Exception:  # noqa: BLE001 - any secrets problem means "no key in secrets"
        return {}
    return {"OPENROUTER_API_KEY": value} if value else {}
