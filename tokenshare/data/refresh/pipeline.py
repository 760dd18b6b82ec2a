"""Refresh: pull OpenRouter's usage data and model catalogue into a new snapshot.

The CLI (``tokenshare.data.refresh.cli``), the owner's button and the auto-refresh
each build one ``RefreshOptions`` (below) and call ``run_refresh`` with it,
which runs these steps, each in its own module:

1. plan (``refresh.plan``): check the options, find the snapshot to build on
   (incremental: only the last days are fetched again), cut the range into requests;
2. fetch (``refresh.fetch``): the model catalogue, each usage window, each category
   window, or recorded bodies (``from_json``) instead of the network;
3. merge (``refresh.merge``): newer figures replace older ones date by date;
4. classify (``refresh.catalogue``): match every permaslug to the catalogue, decide open
   weights, complete the labs table;
5. write (here): ``write_snapshot`` (temporary folder, validated, fsync, rename), then
   optionally prune old snapshots.

Everything is fetched and validated in memory first. Any failure, or Ctrl-C, leaves
every existing snapshot as it was and raises ``RefreshError`` / ``RefreshInterrupted``
(``refresh.errors``) saying what failed and where.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from tokenshare.data.refresh.catalogue import OVERRIDES_FILE, Catalogue, build_labs, build_models, load_overrides
from tokenshare.data.snapshot.layout import CITATION_TEMPLATE, LICENCE_LINE, Snapshot, SnapshotError, read_labs_csv
from tokenshare.data.published.locate import SNAPSHOTS_DIR, candidate_snapshots
from tokenshare.data.openrouter.client import OpenRouterClient
from tokenshare.data.openrouter.errors import OpenRouterError, redact
from tokenshare.data.refresh.fetch import fetch_all, newest_as_of, open_client
from tokenshare.data.refresh.lock import refresh_lock
from tokenshare.data.refresh.providers import (
    ProvidersFetched, carry_over, default_cache_dir, fetch_providers, models_to_fetch,
)
from tokenshare.data.refresh.merge import merge, request_counts, run_record
from tokenshare.data.refresh.plan import (
    DEFAULT_CATEGORY_WINDOW_WEEKS,
    DEFAULT_WINDOW_DAYS,
    SOURCE,
    Plan,
    check_options,
    make_plan,
    plan_message,
)
from tokenshare.data.refresh.segments import (
    DEFAULT_SEGMENT_WINDOW_WEEKS,
    fetch_segments,
    merge_segments,
    plan_segments,
    segment_record,
)
from tokenshare.data.refresh.progress import ProgressFn, RunState
from tokenshare.data.refresh.extras.tables import fetch_extras, finish_extras, plan_extras, plan_words
from tokenshare.data.refresh.errors import RefreshError, RefreshInterrupted
from tokenshare.core.formatting import as_of_text
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.write import write_snapshot

SNAPSHOT_NAME_FORMAT = "%Y-%m-%dT%H%M%SZ"
SNAPSHOT_NAME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z(-\d+)?$")


DEFAULT_CACHE = "default"  # providers_cache: <TOKENSHARE_CACHE_DIR>/endpoints


@dataclass(frozen=True)
class RefreshOptions:
    """What one refresh is asked to do, built once by each caller: the command line from
    its arguments (``cli.options_from_args``), the owner's button (the local snapshots
    folder, all defaults), the auto-refresh (``AutoRefresher.options``: categories).
    ``refresh --help`` says what each option does; ``today`` and ``now`` fix the clock
    (tests); ``overrides_path`` and ``labs_path`` are the curated tables;
    ``providers_cache`` is where fetched providers are cached (None: no cache; "default":
    ``<TOKENSHARE_CACHE_DIR>/endpoints``). Sequences are kept as tuples and paths as
    ``Path``: an options value never changes once made. Checked when the run starts
    (``plan.check_options``)."""

    out_dir: Path | str = SNAPSHOTS_DIR
    _: KW_ONLY
    since: dt.date | str | None = None
    until: dt.date | str | None = None
    full: bool = False
    window_days: int = DEFAULT_WINDOW_DAYS
    from_json: Sequence[Path | str] | None = None
    categories: bool = False
    category_names: Sequence[str] | None = None
    category_window_weeks: int = DEFAULT_CATEGORY_WINDOW_WEEKS
    segments: bool = False
    segment_window_weeks: int = DEFAULT_SEGMENT_WINDOW_WEEKS
    providers: bool = False
    providers_cache: Path | str | None = DEFAULT_CACHE
    extras: Sequence[str] = ()  # of refresh.extras.tables.ASKABLE: benchmarks, session_cost, tasks, apps
    prune: int | None = None
    today: dt.date | None = None
    now: dt.datetime | None = None
    overrides_path: Path | str = OVERRIDES_FILE
    labs_path: Path | str = REFERENCE_LABS

    def __post_init__(self) -> None:
        fix = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731 - frozen
        fix("out_dir", Path(self.out_dir))
        fix("overrides_path", Path(self.overrides_path))
        fix("labs_path", Path(self.labs_path))
        if self.from_json is not None:
            fix("from_json", tuple(Path(p) for p in self.from_json))
        fix("extras", tuple(self.extras))
        if self.category_names is not None:
            fix("category_names", tuple(self.category_names))

    def providers_cache_dir(self) -> Path | None:
        """Where fetched providers are cached, or None for no cache."""
        if self.providers_cache == DEFAULT_CACHE:
            return default_cache_dir()
        return Path(self.providers_cache) if self.providers_cache is not None else None


@dataclass
class RefreshResult:
    snapshot: Snapshot
    path: Path
    as_of: str
    windows: list[dict]
    category_windows: list[dict]
    request_count: int
    data_api_requests: int
    rows_fetched: int
    usage_rows: int
    models: int
    unmatched_permaslugs: list[str]
    new_authors: list[str]
    incremental_from: str | None
    pruned: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    segment_windows: list[dict] = field(default_factory=list)
    providers: ProvidersFetched | None = None  # with --providers

    def summary_lines(self) -> list[str]:
        lines = [
            f"Wrote snapshot {self.path} (as of {self.as_of}).",
            f"Usage {self.snapshot.start_date} to {self.snapshot.end_date}: {self.usage_rows:,} rows; "
            f"{len(self.windows)} window(s) fetched, {self.rows_fetched:,} rows, "
            f"{self.request_count} request(s), {self.elapsed_s:.1f} s.",
        ]
        if self.incremental_from:
            lines.append(f"Incremental: merged with {self.incremental_from}.")
        if self.category_windows:
            lines.append(f"Categories: {len(self.category_windows)} weekly window(s).")
        if self.segment_windows:
            lines.append(f"Segments: {len(self.segment_windows)} request(s) (modality and context daily, "
                         "language weekly estimates).")
        if self.unmatched_permaslugs:
            lines.append(
                f"{len(self.unmatched_permaslugs)} permaslug(s) not in the model catalogue, kept as "
                "unclassified: " + ", ".join(self.unmatched_permaslugs)
            )
        if self.new_authors:
            lines.append(
                "Authors not in the curated labs table, added with an unknown country: "
                + ", ".join(self.new_authors)
            )
        if self.providers is not None:
            lines.extend(self.providers.summary_lines())
        for w in self.warnings:
            lines.append(f"Note: {w}")
        for p in self.pruned:
            lines.append(f"Pruned {p}")
        lines.append(CITATION_TEMPLATE.format(as_of=as_of_text(self.as_of)) + " " + LICENCE_LINE)
        return [redact(line) for line in lines]  # permaslugs and authors come from the server


def run_refresh(
    options: RefreshOptions,
    *,
    progress: ProgressFn | None = None,
    secrets: Mapping[str, Any] | None = None,
    client: OpenRouterClient | None = None,
) -> RefreshResult:
    """Fetch (or import), validate, merge and write one new snapshot under
    ``options.out_dir`` (``RefreshOptions``: what to fetch and how).

    ``progress(done, total, rows, message)`` is called before the first step and after
    every step (the model catalogue, each usage window, each category window) and once
    the snapshot is written; a KeyboardInterrupt raised there (or Ctrl-C) stops the run
    with ``RefreshInterrupted``. Any other failure raises ``RefreshError``. Either way no
    existing snapshot is touched.

    ``secrets`` is an optional mapping (``st.secrets``) searched for the API key after
    the environment. ``client`` replaces the default ``OpenRouterClient`` (tests).
    ``options.prune=N`` keeps only the newest N snapshots after a successful write.
    ``options.providers`` also fetches the providers of the snapshot's models
    (``tokenshare.data.refresh.providers``), cached in ``options.providers_cache_dir()``."""
    o = options
    run = RunState(o.out_dir, progress)
    t0 = time.monotonic()
    with _failures_reported(run), refresh_lock(o.out_dir):
        plan, seg_plan, overrides, ex_plan = _plan_run(run, o)
        client = open_client(run, plan, client, secrets, needs_network=not o.from_json)
        run.report(plan_message(plan, o.from_json))
        fetched = fetch_all(run, plan, client, o.from_json)
        seg_fetched = fetch_segments(run, seg_plan, client)
        ex = ex_plan, fetch_extras(run, ex_plan, client, plan.until, (o.now or dt.datetime.now(dt.timezone.utc)).date())
        built = _build_tables(run, o, plan, seg_plan, fetched, seg_fetched, overrides, client, ex)
        target = _new_snapshot_folder(run, o.out_dir, o.now)
        run.stage = f"writing the snapshot {target}"
        written = _write(target, built)
        run.stage = "finishing"
        pruned = _prune_after_write(run, o.out_dir, o.prune, target)
        run.done = run.total
        run.last_done = f"wrote {target.name}"
        data_requests, models_requests = request_counts(client)
        result = RefreshResult(
            snapshot=written, path=target, as_of=built.as_of, windows=fetched.windows,
            category_windows=fetched.category_windows,
            request_count=data_requests + models_requests, data_api_requests=data_requests,
            rows_fetched=run.rows, usage_rows=len(built.merged.usage), models=len(built.models.rows),
            unmatched_permaslugs=built.models.unmatched, new_authors=built.added,
            incremental_from=plan.prev.path.name if plan.prev is not None else None,
            pruned=pruned, warnings=run.warnings, elapsed_s=time.monotonic() - t0, providers=built.providers,
            segment_windows=seg_fetched.windows,
        )
        try:
            run.report(f"wrote snapshot {target.name}")
        except KeyboardInterrupt:
            pass  # the snapshot is complete and valid; nothing to undo
        return result


def _plan_run(run: RunState, o: RefreshOptions):
    """(plan, segment plan, open-weights overrides): the options checked, the curated
    tables read (a broken one fails before any request), the requests counted."""
    since, until = check_options(
        run, o.since, o.until, today=o.today, window_days=o.window_days, prune=o.prune,
        from_json=o.from_json, categories=o.categories,
    )
    overrides = load_overrides(o.overrides_path, today=o.today)
    run.stage = "reading the curated labs table"
    read_labs_csv(o.labs_path)  # fail early on a broken table
    if o.from_json and (o.segments or o.extras):
        flag = "--segments" if o.segments else "--" + o.extras[0].replace("_", "-")
        raise run.fail(f"{flag} needs the Data API; --from-json imports daily usage only")
    plan = make_plan(
        run, o.out_dir, since, until, full=o.full, from_json=o.from_json, categories=o.categories,
        category_names=o.category_names, window_days=o.window_days,
        category_window_weeks=o.category_window_weeks,
    )
    seg_plan = plan_segments(plan.prev, since, until, plan.fetch_start, fetch=o.segments and not o.from_json,
                             window_days=o.window_days, window_weeks=o.segment_window_weeks)
    plan.segment_requests = len(seg_plan.windows)
    ex_plan = plan_extras(o.extras, plan.prev)  # counted before any request, like every other
    plan.extra_requests, plan.extra_words = ex_plan.total, plan_words(ex_plan)
    run.total += len(seg_plan.windows) + ex_plan.total
    if o.segments and not seg_plan.windows:
        run.warnings.append(f"no segment window between {since} and {until}: no segment data fetched")
    return plan, seg_plan, overrides, ex_plan


@dataclass
class _Tables:
    """What a run writes: the merged usage, the segment rows, the models and labs
    tables, the providers, the as-of time and the manifest's run record."""

    merged: Any
    segment_rows: list[dict] | None
    models: Any
    labs: list[dict]
    added: list[str]
    as_of: str
    record: dict
    providers: ProvidersFetched | None
    extra_tables: dict


def _build_tables(run: RunState, o: RefreshOptions, plan: Plan, seg_plan, fetched, seg_fetched,
                  overrides, client: OpenRouterClient, ex) -> _Tables:
    """Merge what was fetched with the previous snapshot, classify every model, complete
    the labs table and fetch (or carry over) the providers."""
    merged = merge(run, plan, fetched)
    seg_rows = merge_segments(run, seg_plan, seg_fetched, merged.start_date, merged.end_date)
    run.stage = "matching usage to the model catalogue"
    slugs = merged.permaslugs() | {r["model_permaslug"] for r in seg_rows or ()}
    mb = build_models(slugs, Catalogue(fetched.models), overrides, merged.prev_models,
                      previous_end=plan.prev.end_date if plan.prev is not None else None)
    run.warnings.extend(mb.warnings)
    labs, added = build_labs({r["author"] for r in mb.rows}, o.labs_path)
    as_of = newest_as_of(fetched.as_ofs + seg_fetched.as_ofs + ([plan.prev.as_of] if plan.prev is not None else []))
    record = run_record(run, plan, fetched, merged, mb, added, client,
                        window_days=o.window_days, from_json=bool(o.from_json), now=o.now)
    record.update(segment_record(seg_plan, seg_fetched, seg_rows))
    if o.providers:
        prov = fetch_providers(run, client, models_to_fetch(mb.rows, merged.usage, merged.end_date),
                               cache_dir=o.providers_cache_dir(), now=o.now)
    else:  # the previous snapshot's providers, with their own fetch dates
        prov = carry_over(plan.prev, mb.rows)
    if prov is not None:
        record["providers"] = prov.manifest_record()
    known = {r["model_permaslug"] for r in mb.rows} | {r["model_id"] for r in mb.rows if r.get("model_id")}
    cat = Catalogue(fetched.models or [])
    extra, record["extras"] = finish_extras(run, *ex, lambda s: s in known or cat.match(s)[0] is not None)
    return _Tables(merged=merged, segment_rows=seg_rows, models=mb, labs=labs, added=added, as_of=as_of,
                   record=record, providers=prov, extra_tables=extra)


def _write(target: Path, t: _Tables) -> Snapshot:
    m = t.merged
    return write_snapshot(
        target, usage=m.usage, models=t.models.rows, labs=t.labs, source=SOURCE, synthetic=False,
        as_of=t.as_of, start_date=m.start_date, end_date=m.end_date,
        usage_by_category=m.usage_by_category, extra_manifest=t.record, usage_by_segment=t.segment_rows,
        model_endpoints=t.providers.rows if t.providers is not None and t.providers.rows else None,
        extra_tables=t.extra_tables,
    )


@contextmanager
def _failures_reported(run: RunState):
    """Every failure of a run as a RefreshError naming its stage (Ctrl-C as
    RefreshInterrupted); a client the run made is closed whatever happens."""
    try:
        yield
    except RefreshInterrupted:
        raise
    except KeyboardInterrupt:
        raise run.interrupted() from None
    except RefreshError as exc:
        if exc.out_dir is None:
            exc.out_dir = run.out_dir
            exc.args = (exc.describe(),)
        raise
    except OpenRouterError as exc:
        raise run.fail(str(exc)) from None
    except SnapshotError as exc:
        raise run.fail(exc.describe()) from None
    except OSError as exc:
        raise run.fail(f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")) from None
    finally:
        if run.client is not None:  # only a client the run made itself
            run.client.close()


# --------------------------------------------------------------------------- writing


def snapshot_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc)
    return now.strftime(SNAPSHOT_NAME_FORMAT)


def _new_snapshot_folder(run: RunState, out_dir: Path, now: dt.datetime | None) -> Path:
    """A free folder name from the time (sortable: the app opens the newest by name);
    warns when it would not sort after the existing ones."""
    name = snapshot_name(now)
    target = out_dir / name
    n = 1
    while target.exists():
        target = out_dir / f"{name}-{n}"
        n += 1
    existing = [p.name for p in candidate_snapshots(out_dir)]
    if existing and existing[0] > target.name:
        run.warnings.append(f"the new snapshot name {target.name} sorts before {existing[0]} (clock?); "
                            "the app opens the newest by name")
    return target


def _prune_after_write(run: RunState, out_dir: Path, keep: int | None, target: Path) -> list[Path]:
    if not keep:
        return []
    try:
        return prune_snapshots(out_dir, keep, protect=target)
    except OSError as exc:  # the new snapshot is written: report, don't fail
        run.warnings.append(f"pruning old snapshots stopped: {exc.strerror or exc} ({exc.filename})")
        return []


def prune_snapshots(out_dir: Path | str, keep: int, *, protect: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` refresh-made snapshot folders (names like
    2026-11-27T112233Z). Folders with other names, and ``protect``, are never touched."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    ours = [p for p in candidate_snapshots(Path(out_dir)) if SNAPSHOT_NAME_RE.match(p.name)]
    removed = []
    for p in ours[keep:]:
        if protect is not None and p.resolve() == Path(protect).resolve():
            continue
        shutil.rmtree(p)
        removed.append(p)
    return removed
