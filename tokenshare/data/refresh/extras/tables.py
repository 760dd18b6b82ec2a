"""The four extra tables of a refresh (``tokenshare.data.snapshot.extra_tables``).

- Plan (``plan_extras``): the requests of each table asked for, counted before any
  request is made (the plan's Data API total, checked against the run's budget):
  benchmarks 1; session cost up to ``SESSION_COST_MAX_PAGES`` pages of
  ``SESSION_COST_PAGE`` cells (counted at the maximum: fewer are made when a page comes
  back short); tasks 1 (``window=7d``); apps one per ranking of ``APP_RANKINGS``, each
  over the ``APP_WINDOW_DAYS`` days ending the refresh's last day.
- Fetch (``fetch_extras``): each table on its own. A 400, a malformed body, a network
  failure: the table's error is named in the summary, its previous rows are kept (or it
  is left out) and the rest of the refresh completes. A spent budget stops the run (it
  would stop any request after it).
- Finish (``finish_extras``): benchmarks and session cost are the latest fetch;
  the task windows and app rankings are kept per fetch (a re-fetched window or ranking
  replaces its earlier copy) so the daily runs build a history. A table not asked for
  is carried over unchanged, fetch dates and all. Permaslugs that match neither the
  snapshot's models nor the catalogue, and models without an index, are named in the
  warnings and kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tokenshare.data.openrouter import datasets as api
from tokenshare.data.openrouter.client import OpenRouterClient
from tokenshare.data.openrouter.errors import BadRequestError, BudgetExceeded, OpenRouterError
from tokenshare.data.snapshot.extra_tables import EXTRA_NAMES, has_table
from tokenshare.data.refresh.plan import read_parquet_rows
from tokenshare.data.refresh.progress import RunState

ASKABLE = tuple(EXTRA_NAMES)  # benchmarks, session_cost, tasks, apps
SESSION_COST_PAGE = 500
SESSION_COST_MAX_PAGES = 4
APP_LIMIT = 100
APP_WINDOW_DAYS = 30
# (sort, category, subcategory) of each app ranking fetched; '' = no filter. Popular and
# trending, overall and per category (issue 23: the Apps page's category filter applies to
# both lists): 10 requests.
APP_CATEGORIES = ("coding", "creative", "productivity", "entertainment")
APP_RANKINGS = (("popular", "", ""), ("trending", "", "")) + tuple(
    (sort, category, "") for sort in ("popular", "trending") for category in APP_CATEGORIES)
HISTORY_KEYS = {"tasks": ("window_end",), "apps": ("end_date", "sort", "category", "subcategory")}
# App rankings kept for this many days back from the newest fetch's end (by ``end_date``).
# A daily run adds up to 1,000 rows (10 rankings of up to 100 apps); 90 days (three disjoint
# 30-day windows, ~90,000 rows at most, a few MB of Parquet) is enough to see how a ranking moved,
# and an unbounded history would grow every hosted snapshot and the Apps page's queries
# for ever. Task windows are ~60 rows a day and stay whole.
APP_HISTORY_DAYS = 90
ENDPOINTS = {"benchmarks": "GET /api/v1/benchmarks?source=artificial-analysis",
             "session_cost": "GET /api/v1/datasets/session-cost", "tasks": "GET /api/v1/classifications/task?window=7d",
             "apps": "GET /api/v1/datasets/app-rankings"}


@dataclass
class ExtrasPlan:
    asked: tuple[str, ...]
    requests: dict[str, int]  # table -> requests planned (session cost: at most)
    prev: object | None  # the Snapshot the refresh builds on

    @property
    def total(self) -> int:
        return sum(self.requests.values())


@dataclass
class ExtraFetched:
    rows: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    requests: int = 0
    failed: str | None = None


def planned_requests(name: str) -> int:
    return {"benchmarks": 1, "session_cost": SESSION_COST_MAX_PAGES, "tasks": 1, "apps": len(APP_RANKINGS)}[name]


def plan_extras(asked, prev) -> ExtrasPlan:
    asked = tuple(a for a in ASKABLE if a in set(asked or ()))
    return ExtrasPlan(asked, {a: planned_requests(a) for a in asked}, prev)


def plan_words(plan: ExtrasPlan) -> str:
    return ", ".join(f"{n} {name.replace('_', ' ')}" + (" (at most)" if name == "session_cost" else "")
                     for name, n in plan.requests.items())


def _why(exc: OpenRouterError, name: str) -> str:
    if isinstance(exc, BadRequestError):
        return (f"HTTP 400: OpenRouter refused the {name.replace('_', ' ')} request (an inconsistent "
                f"category pair, or a parameter the API no longer takes): {exc.message}")
    return f"{exc.where + ': ' if exc.where else ''}{exc.message}"


def fetch_extras(run: RunState, plan: ExtrasPlan, client: OpenRouterClient, until: dt.date,
                 fetched_on: dt.date) -> dict[str, ExtraFetched]:
    """Each table asked for, on its own: a failure is recorded in its ``failed``."""
    out = {}
    for name in plan.asked:
        got = ExtraFetched()
        before = client.requests_made
        run.stage = f"fetching the {name.replace('_', ' ')} table ({ENDPOINTS[name]})"
        try:
            FETCHERS[name](run, client, got, until=until, fetched_on=fetched_on)
        except BudgetExceeded:
            raise
        except OpenRouterError as exc:
            got.rows, got.failed = [], _why(exc, name)
            run.warnings.append(f"{name.replace('_', ' ')}: not fetched ({got.failed}); "
                                "the previous snapshot's table is kept if it had one")
        got.requests = client.requests_made - before
        out[name] = got
    return out


def _get(client, path, params, where):
    return client.get_json(path, params, where=where, data_api=True)


def _benchmarks(run, client, got, *, until, fetched_on):
    where = "benchmarks?source=artificial-analysis"
    body = _get(client, api.BENCHMARKS_PATH, {"source": "artificial-analysis"}, where)
    got.rows, got.meta = api.parse_benchmarks_body(body, fetched_on=fetched_on, where=where)
    run.step_done("benchmarks", f"benchmarks: {len(got.rows)} models", rows=len(got.rows))


def _session_cost(run, client, got, *, until, fetched_on):
    for page in range(SESSION_COST_MAX_PAGES):
        params = {"limit": str(SESSION_COST_PAGE), "offset": str(page * SESSION_COST_PAGE)}
        where = f"datasets/session-cost offset={params['offset']}"
        rows, got.meta = api.parse_session_cost_body(_get(client, api.SESSION_COST_PATH, params, where),
                                                     fetched_on=fetched_on, where=where)
        got.rows += rows
        run.step_done(where, f"session cost page {page + 1}: {len(rows)} cells", rows=len(rows))
        if len(rows) < SESSION_COST_PAGE:
            return
    run.warnings.append(f"session cost: stopped after {SESSION_COST_MAX_PAGES} pages "
                        f"({len(got.rows):,} cells); later cells are not in the snapshot")


def _tasks(run, client, got, *, until, fetched_on):
    where = "classifications/task?window=7d"
    got.rows, got.meta = api.parse_tasks_body(_get(client, api.TASKS_PATH, {"window": "7d"}, where),
                                              fetched_on=fetched_on, where=where)
    run.step_done("tasks", f"task classifications: {len(got.rows)} rows", rows=len(got.rows))


def _apps(run, client, got, *, until, fetched_on):
    start = until - dt.timedelta(days=APP_WINDOW_DAYS - 1)
    metas = []
    for sort, category, sub in APP_RANKINGS:
        params = {"sort": sort, "start_date": str(start), "end_date": str(until), "limit": str(APP_LIMIT)}
        params.update({k: v for k, v in (("category", category), ("subcategory", sub)) if v})
        where = "datasets/app-rankings " + " ".join(f"{k}={v}" for k, v in params.items())
        rows, meta = api.parse_apps_body(_get(client, api.APPS_PATH, params, where), fetched_on=fetched_on,
                                         sort=sort, category=category, subcategory=sub, where=where)
        got.rows += rows
        metas.append(meta)
        run.step_done(where, f"app rankings {sort} {category or 'all'}: {len(rows)} apps", rows=len(rows))
    got.meta = metas[-1] if metas else {}


FETCHERS = {"benchmarks": _benchmarks, "session_cost": _session_cost, "tasks": _tasks, "apps": _apps}


def _previous(plan: ExtrasPlan, name: str) -> list[dict] | None:
    fname = EXTRA_NAMES[name]
    if plan.prev is None or not has_table(plan.prev, fname):
        return None
    return read_parquet_rows(plan.prev.file(fname))


def _previous_record(plan: ExtrasPlan, name: str) -> dict:
    extras = plan.prev.manifest.get("extras") if plan.prev is not None else None
    rec = extras.get(name) if isinstance(extras, dict) else None
    return rec if isinstance(rec, dict) else {}


def _with_history(name: str, new: list[dict], prev: list[dict] | None) -> list[dict]:
    keys = HISTORY_KEYS.get(name)
    if keys is None or not prev:
        return new
    fresh = {tuple(r[k] for k in keys) for r in new}
    kept = [r for r in prev if tuple(r[k] for k in keys) not in fresh] + new
    return bounded_apps(kept) if name == "apps" else kept


def bounded_apps(rows: list[dict], days: int = APP_HISTORY_DAYS) -> list[dict]:
    """The app-ranking rows whose window ends at most ``days`` days before the newest one."""
    if not rows:
        return rows
    cutoff = max(r["end_date"] for r in rows) - dt.timedelta(days=days)
    return [r for r in rows if r["end_date"] >= cutoff]


def finish_extras(run: RunState, plan: ExtrasPlan, fetched: dict[str, ExtraFetched], is_known) -> tuple[dict, dict]:
    """({file: rows} to write, the manifest's ``extras`` record). ``is_known(slug)``:
    the permaslug is a model of the snapshot or of the catalogue."""
    tables, record = {}, {}
    for name in ASKABLE:
        prev = _previous(plan, name)
        got = fetched.get(name)
        if got is not None and got.failed is None:
            rows = _with_history(name, got.rows, prev)
            record[name] = {"endpoint": ENDPOINTS[name], "requests": got.requests, "rows": len(rows),
                            "fetched_on": str(max((r["fetched_on"] for r in got.rows), default="")) or None,
                            "meta": got.meta}
            _name_problems(run, name, got.rows, is_known)
        elif prev is not None:
            rows = prev
            record[name] = {**_previous_record(plan, name), "carried_from": plan.prev.path.name,
                            "rows": len(rows)}
            if got is not None:
                record[name]["failed"] = got.failed
        else:
            if got is not None:
                record[name] = {"endpoint": ENDPOINTS[name], "failed": got.failed, "rows": 0}
            continue
        tables[EXTRA_NAMES[name]] = rows
    return tables, record


def _name_problems(run: RunState, name: str, rows: list[dict], is_known) -> None:
    """Warnings naming the permaslugs nobody knows and the models without an index."""
    slugs = sorted({r["model_permaslug"] for r in rows if r.get("model_permaslug")})
    unknown = [s for s in slugs if not is_known(s)]
    if unknown:
        run.warnings.append(f"{name.replace('_', ' ')}: {len(unknown)} permaslug(s) match no model of the snapshot "
                            f"or the catalogue, kept as they are: {', '.join(unknown[:20])}"
                            + (" ..." if len(unknown) > 20 else ""))
    if name == "benchmarks":
        for key in api.INDICES:
            missing = sorted(r["model_permaslug"] for r in rows if r[key] is None)
            if missing:
                run.warnings.append(f"benchmarks: {len(missing)} model(s) without a {key.replace('_', ' ')}: "
                                    + ", ".join(missing[:20]) + (" ..." if len(missing) > 20 else ""))
