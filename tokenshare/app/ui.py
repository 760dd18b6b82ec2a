"""Streamlit glue shared by app.py and the pages: the active snapshot, cached queries,
the URL-bound sidebar filters, and the pieces every page ends with."""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from tokenshare.core import sql
from tokenshare.engine.db import SnapshotDB, normalise_params
from tokenshare.app.filters import (
    DEFAULT_GRAIN,
    DEFAULT_OPENNESS,
    DEFAULT_TOP,
    GRAINS,
    OPENNESS,
    TOP_MAX,
    TOP_MIN,
    Filters,
    check_url_params,
    clamp_dates,
)
from tokenshare.app import fastcharts
from tokenshare.core.formatting import as_date
from tokenshare.analysis.metrics import csv_with_citation
from tokenshare.data.remote import is_snapshot_url
from tokenshare.data.snapshot import (
    DERIVED_PREFIX,
    LICENCE_LINE,
    SAMPLE_DIR,
    SNAPSHOTS_DIR,
    USAGE_FILE,
    Resolution,
    Snapshot,
    candidate_snapshots,
    resolve_snapshot,
)
from tokenshare.core import settings

fastcharts.install()  # no Altair schema checks on every rerun (see tokenshare/fastcharts.py)

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
                if f.name.startswith(DERIVED_PREFIX):  # caches written beside the data
                    continue
                st_ = f.stat()
                out.append((str(f), st_.st_size, st_.st_mtime_ns))
        except OSError:
            out.append((str(p), -1, -1))
    return tuple(out)


@st.cache_resource(max_entries=8, show_spinner="Checking the snapshot…")
def _resolve_cached(env_value: str | None, snapshots_dir: str, sample_dir: str, fingerprint: tuple) -> Resolution:
    return resolve_snapshot(env_value, Path(snapshots_dir), Path(sample_dir))


# A snapshot published at a URL is looked at again (its manifest fetched) this often.
REMOTE_RECHECK_S = 300


def active_resolution() -> Resolution:
    env_value = settings.snapshot_location()
    remote = is_snapshot_url(env_value)
    paths = ([Path(env_value)] if env_value and not remote else []) + candidate_snapshots(SNAPSHOTS_DIR) + [SAMPLE_DIR]
    fp = _fingerprint(paths)
    if remote:  # no folder to fingerprint: re-resolve every REMOTE_RECHECK_S seconds
        fp += (("url", env_value, int(time.time() // REMOTE_RECHECK_S)),)
    return _resolve_cached(env_value, str(SNAPSHOTS_DIR), str(SAMPLE_DIR), fp)


def resolution_notes() -> None:
    """How the open snapshot is read, when that is worth knowing (a published snapshot
    read from a local copy, and why)."""
    for note in getattr(active_resolution(), "notes", None) or []:
        st.info(note, icon=":material/cloud_download:")


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


@st.cache_data(max_entries=2000, show_spinner=False)
def _query_cached(snapshot_id: str, name: str, params_key: tuple, _db: SnapshotDB) -> pd.DataFrame:
    return _db.query(name, **dict(params_key))  # SnapshotDB.query turns the tuples back into lists


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


def chart_params(params: dict, series: int, *, note: bool = True) -> dict:
    """``params`` with the grain coarsened (day to week to month) when periods x
    ``series`` would pass the chart point budget (tokenshare.app.budget), with a caption
    saying so. Run the chart's named query with what this returns: the aggregation
    happens in SQL, and nothing changes when the chosen grain fits."""
    from tokenshare.app.budget import chart_grain, coarsened_note

    grain = params.get("grain")
    start, end = params.get("start"), params.get("end")
    if grain is None or start is None or end is None:
        return params
    used = chart_grain(start, end, grain, series)
    if used == grain:
        return params
    if note:
        st.caption(coarsened_note(start, end, grain, used, series), help=None)
    return {**params, "grain": used}


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
    # Cached like every other query (they take no parameters, so once per snapshot):
    # uncached, these three cost a full scan of the usage table on every rerun.
    labs = _query_cached(snapshot.snapshot_id, "filter_options_labs", (), db).copy()
    countries = _query_cached(snapshot.snapshot_id, "filter_options_countries", (), db).copy()
    summary = _query_cached(snapshot.snapshot_id, "snapshot_summary", (), db).iloc[0]
    data_start, data_end = as_date(summary["first_day"]), as_date(summary["last_day"])

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
    resolution_notes()
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
    # Made only when opened: the expander reruns the page as it opens (the query result
    # is cached), so a closed one costs nothing on every other rerun; its table,
    # parameters and download were 2-6 ms each of every rerun, one to three per page.
    expander = st.expander(label, key=f"behind-{name}-{label}", on_change="rerun")
    if not expander.open:
        return
    used = sql.query_parameters(name)
    bound = normalise_params({k: params[k] for k in used if k in params})
    with expander:
        st.markdown(f"Named query **`{sql.query_file(name)}`** with parameters:")
        st.json({k: (str(v) if isinstance(v, dt.date) else v) for k, v in bound.items()}, expanded=False)
        table(df, height=260)
        st.download_button(
            "Download CSV (with citation)",
            # made when clicked, not on every rerun (it was ~10% of a warm rerun)
            functools.partial(csv_with_citation, df, citation_lines(ctx.snapshot)),
            file_name=f"tokenshare-{name}-{ctx.snapshot.snapshot_id}.csv",
            mime="text/csv",
            key=f"dl-{name}-{label}",
            on_click="ignore",
        )


def fmt_date(d) -> str:
    if d is None:
        return "–"
    return as_date(d).isoformat()



def secrets_for_refresh() -> dict:
    """The OpenRouter key from st.secrets, if one is set there, as a one-entry mapping.
    st.secrets raises when no secrets file exists; that simply means no key there."""
    try:
        value = st.secrets.get("OPENROUTER_API_KEY")
    except Exception:  # noqa: BLE001 - any secrets problem means "no key in secrets"
        return {}
    return {"OPENROUTER_API_KEY": value} if value else {}


# --------------------------------------------------------------------------- chart interactions
# (added for the deeper analyses: clicks that set filters, and SVG export)


def picked_values(state, param: str, field: str) -> list:
    """The values of ``field`` a chart's point selection ``param`` holds, from the
    selection state Streamlit keeps under the chart's key (empty when none)."""
    try:
        points = state["selection"][param]
    except (KeyError, TypeError):
        return []
    if isinstance(points, dict):  # a point selection may come as {field: [values]}
        values = points.get(field, [])
        return list(values) if isinstance(values, (list, tuple)) else [values]
    out = []
    for p in points or []:
        if isinstance(p, dict) and field in p and p[field] not in out:
            out.append(p[field])
    return out


def authors_of(lab_names, labs: pd.DataFrame) -> list[str]:
    """Author slugs behind lab names (Meta is two authors: meta and meta-llama)."""
    wanted = set(lab_names)
    return [a for a, n in zip(labs["author"], labs["lab_name"]) if n in wanted]


def _set_lab_from_chart(chart_key: str, param: str, field: str) -> None:
    ctx = context()
    names = picked_values(st.session_state.get(chart_key), param, field)
    authors = authors_of(names, ctx.labs)
    if authors:
        st.session_state["lab"] = authors
        st.session_state[NOTICES_KEY] = []


def lab_click_chart(chart, *, key: str, param: str = "pick_lab", field: str = "lab_name") -> None:
    """Draw a chart whose point selection ``param`` (on ``field``, a lab name) sets the
    sidebar's lab filter, and so the URL, when a lab is clicked. Only that selection
    reruns the app; legend isolation stays in the browser."""
    st.altair_chart(chart, key=key, on_select=lambda: _set_lab_from_chart(key, param, field),
                    selection_mode=[param], width="stretch")


def pick_chart(chart, *, key: str, param: str, field: str, target: str) -> None:
    """Draw a chart whose point selection ``param`` sets ``st.session_state[target]``
    (a bound widget, so the URL follows) to the clicked ``field`` value."""

    def _pick() -> None:
        values = picked_values(st.session_state.get(key), param, field)
        if values:
            st.session_state[target] = values[0]

    st.altair_chart(chart, key=key, on_select=_pick, selection_mode=[param], width="stretch")


EXPORT_WIDTH = 900


def chart_svg(chart) -> bytes | None:
    """The chart as SVG (rendered server-side by vl-convert), or None when vl-convert
    is not installed."""
    try:
        import vl_convert as vlc
    except ImportError:
        return None
    # On the page a chart takes the container's width; a file needs one of its own.
    return vlc.vegalite_to_svg(chart.properties(width=EXPORT_WIDTH).to_dict()).encode("utf-8")


def chart_export(chart, name: str) -> None:
    """A small SVG download under a chart (made only when clicked). PNG is in the
    chart's own toolbar (Streamlit's "Download as PNG"). Without vl-convert the button
    offers the Vega-Lite spec, which vega.github.io/editor exports as SVG or PNG."""
    ctx = context()
    try:
        import vl_convert  # noqa: F401
        svg = True
    except ImportError:
        svg = False
    stem = f"tokenshare-{name}-{ctx.snapshot.snapshot_id}"
    if svg:
        st.download_button(
            "SVG", data=lambda: chart_svg(chart), file_name=stem + ".svg", mime="image/svg+xml",
            key=f"svg-{name}", icon=":material/download:", type="tertiary", on_click="ignore",
            help="Download this chart as SVG. For PNG, use the chart's toolbar (top right, on hover).",
        )
    else:
        st.download_button(
            "Chart spec", data=lambda: chart.to_json().encode("utf-8"), file_name=stem + ".vl.json",
            mime="application/json", key=f"svg-{name}", icon=":material/download:", type="tertiary",
            on_click="ignore",
            help="Vega-Lite spec of this chart (open it in vega.github.io/editor to export SVG). "
                 "For PNG, use the chart's toolbar.",
        )


@st.cache_resource(max_entries=2, show_spinner="Preparing the SQL workbench…")
def _workbench_sandbox(snapshot_id: str, _db: SnapshotDB):
    from tokenshare.engine.workbench import Sandbox

    return Sandbox(_db)


def workbench_sandbox():
    """The SQL workbench's locked sandbox for the active snapshot (one per snapshot,
    shared by all sessions; every query takes its own cursor)."""
    ctx = context()
    return _workbench_sandbox(ctx.snapshot.snapshot_id, ctx.db)


@st.cache_resource(max_entries=16, show_spinner="Checking the snapshot…")
def _load_snapshot_cached(path: str, fp_key: str, _fp: tuple):
    from tokenshare.data.snapshot import SnapshotError, load_snapshot

    try:
        return load_snapshot(Path(path)), None
    except SnapshotError as exc:
        return None, exc.describe()


def load_other_snapshot(path: Path):
    """(Snapshot, None) or (None, problem) for any snapshot folder, validated like the
    active one and cached until its files change."""
    fp = _fingerprint([Path(path)])
    return _load_snapshot_cached(str(path), str(hash(fp)), fp)


@st.cache_data(max_entries=16, show_spinner="Comparing the snapshots…")
def _compare_cached(old_id: str, new_id: str, _old: Snapshot, _new: Snapshot):
    from tokenshare.engine.compare import compare_snapshots

    return compare_snapshots(_old, _new)  # kept on disk beside the new snapshot, too


def compare_snapshots(old: Snapshot, new: Snapshot):
    return _compare_cached(old.snapshot_id, new.snapshot_id, old, new)


def table(df: pd.DataFrame, **kwargs) -> None:
    """st.dataframe with dates shown as dates and whole numbers with separators.
    The underlying values stay exact (CSV downloads carry them unformatted)."""
    config = {}
    for col in df.columns:
        kind = df[col].dtype.kind
        if kind == "M":
            config[col] = st.column_config.DateColumn(format="YYYY-MM-DD")
        elif kind in "iu":
            config[col] = st.column_config.NumberColumn(format="localized")
        elif kind == "f" and ("share" in col or col.endswith("_pct")):
            config[col] = st.column_config.NumberColumn(format="percent")
    config.update(kwargs.pop("column_config", {}) or {})
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    st.dataframe(df, column_config=config, **kwargs)
