"""Planning a refresh: checking the options, finding the snapshot to build on, and
cutting the date range into the requests to make.

- Usage: ``datasets/rankings-daily`` with ``period=day`` in windows of ``window_days``
  from 2025-01-01 (or ``since``) to the latest completed UTC day (or ``until``).
  Incremental: when the snapshots folder already holds an OpenRouter snapshot that the
  asked range extends, only the days from (its end_date - 2 days) onward are fetched
  again; the rest is taken from it.
- Categories: the weekly series per use-case category, whole ISO weeks only; a category
  the previous snapshot has is fetched again from the week holding the re-fetched days,
  a new one from its first complete week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from tokenshare.data.snapshot.layout import CATEGORY_FILE, Snapshot, SnapshotError
from tokenshare.data.published.locate import candidate_snapshots
from tokenshare.data.openrouter.responses import DATASET_START, monday_of
from tokenshare.data.refresh.progress import RunState
from tokenshare.data.refresh.errors import RefreshError
from tokenshare.data.snapshot.validate import load_snapshot

SOURCE = "openrouter"
DEFAULT_CATEGORIES = (
    "programming", "roleplay", "marketing", "marketing/seo", "technology", "science",
    "translation", "legal", "finance", "health", "trivia", "academia",
)
DEFAULT_WINDOW_DAYS = 30
DEFAULT_CATEGORY_WINDOW_WEEKS = 26
REFETCH_DAYS = 2  # a later refresh re-fetches from (end_date - 2 days): the last 3 days


# --------------------------------------------------------------------------- dates


def latest_completed_day(today: dt.date | None = None) -> dt.date:
    today = today or dt.datetime.now(dt.timezone.utc).date()
    return today - dt.timedelta(days=1)


def date_windows(start: dt.date, end: dt.date, days: int) -> list[tuple[dt.date, dt.date]]:
    """[start, end] cut into consecutive inclusive windows of ``days`` days."""
    if days < 1:
        raise ValueError("window_days must be at least 1")
    out = []
    s = start
    while s <= end:
        e = min(s + dt.timedelta(days=days - 1), end)
        out.append((s, e))
        s = e + dt.timedelta(days=1)
    return out


def last_sunday_on_or_before(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)


def first_monday_on_or_after(d: dt.date) -> dt.date:
    return d + dt.timedelta(days=(7 - d.weekday()) % 7)


def days_between(s: dt.date, e: dt.date):
    """Every day from s to e, both included."""
    d = s
    while d <= e:
        yield d
        d += dt.timedelta(days=1)


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RefreshError(f"{name} {value!r} is not a YYYY-MM-DD date", stage="checking the options") from None


# --------------------------------------------------------------------------- options


def check_options(
    run: RunState,
    since: dt.date | str | None,
    until: dt.date | str | None,
    *,
    today: dt.date | None,
    window_days: int,
    prune: int | None,
    from_json: Sequence | None,
    categories: bool,
) -> tuple[dt.date, dt.date]:
    """The range to cover, (since, until), with the defaults filled in; raises for
    options that cannot work together."""
    run.stage = "checking the options"
    since = _as_date(since, "--since")
    until = _as_date(until, "--until")
    latest = latest_completed_day(today)
    if until is None:
        until = latest
    if until > latest:
        raise run.fail(f"--until {until} is after the latest completed UTC day ({latest})")
    if since is None:
        since = DATASET_START
    if since < DATASET_START:
        run.warnings.append(f"--since {since} is before the dataset starts; using {DATASET_START}")
        since = DATASET_START
    if until < DATASET_START:
        raise run.fail(f"--until {until} is before the dataset starts ({DATASET_START})")
    if since > until:
        raise run.fail(f"--since {since} is after --until {until}")
    if window_days < 1:
        raise run.fail("window_days must be at least 1")
    if prune is not None and prune < 1:
        raise run.fail("--prune must keep at least 1 snapshot")
    if from_json and categories:
        raise run.fail("--categories needs the Data API; --from-json imports daily usage only")
    return since, until


# --------------------------------------------------------------------------- previous snapshot


def read_parquet_rows(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def newest_openrouter_snapshot(out_dir: Path) -> tuple[Snapshot | None, list[str]]:
    """The newest valid, non-synthetic OpenRouter snapshot under out_dir, and notes
    about the folders passed over."""
    notes = []
    for path in candidate_snapshots(out_dir):
        try:
            s = load_snapshot(path)
        except SnapshotError as exc:
            notes.append(f"skipped invalid snapshot {path.name} ({exc.describe()})")
            continue
        if s.synthetic or s.source != SOURCE:
            notes.append(f"skipped {path.name}: not an OpenRouter snapshot (source {s.source!r})")
            continue
        return s, notes
    return None, notes


# --------------------------------------------------------------------------- plan


@dataclass
class Plan:
    """What one refresh covers and the requests it makes."""

    since: dt.date
    until: dt.date
    prev: Snapshot | None  # the snapshot merged with, if any
    fetch_start: dt.date  # first day fetched (later than since when incremental)
    usage_windows: list[tuple[dt.date, dt.date]]
    cat_windows: list[tuple[str, dt.date, dt.date]]
    cat_start: dict[str, dt.date]  # per category fetched: its first week fetched
    segment_requests: int = 0  # --segments: set by refresh_segments before any request
    segment_windows: list = field(default_factory=list)
    extra_requests: int = 0  # --benchmarks, --session-cost, --tasks, --apps (refresh.extras), at most
    extra_words: str = ""  # what they are, for the plan's line

    @property
    def incremental(self) -> bool:
        return self.prev is not None

    @property
    def data_requests(self) -> int:
        return len(self.usage_windows) + len(self.cat_windows) + self.segment_requests + self.extra_requests


def make_plan(
    run: RunState,
    out_dir: Path,
    since: dt.date,
    until: dt.date,
    *,
    full: bool,
    from_json: Sequence | None,
    categories: bool,
    category_names: Sequence[str] | None,
    window_days: int,
    category_window_weeks: int,
) -> Plan:
    """Find the snapshot to build on (unless ``full``), then the windows to fetch; sets
    the run's step count."""
    run.stage = f"looking for earlier snapshots in {out_dir}"
    prev, fetch_start = _previous_to_extend(run, out_dir, since, until, full)
    usage_windows: list[tuple[dt.date, dt.date]] = []
    cat_windows: list[tuple[str, dt.date, dt.date]] = []
    cat_start: dict[str, dt.date] = {}
    if not from_json:
        usage_windows = date_windows(fetch_start, until, window_days)
        if categories:
            cats = list(category_names) if category_names is not None else list(DEFAULT_CATEGORIES)
            cat_windows, cat_start = _category_windows(prev, cats, since, until, fetch_start, category_window_weeks)
            if not cat_windows:
                run.warnings.append(f"no complete ISO week between {since} and {until}: no category data fetched")
    run.total = len(from_json) if from_json else 1 + len(usage_windows) + len(cat_windows)
    return Plan(since, until, prev, fetch_start, usage_windows, cat_windows, cat_start)


def _previous_to_extend(
    run: RunState, out_dir: Path, since: dt.date, until: dt.date, full: bool
) -> tuple[Snapshot | None, dt.date]:
    """(the snapshot to merge with or None, the first day to fetch). A previous
    snapshot is merged with only when the asked range extends it."""
    prev, notes = (None, []) if full else newest_openrouter_snapshot(out_dir)
    run.warnings.extend(notes)
    if prev is not None and since >= prev.start_date and until >= prev.end_date:
        return prev, max(since, prev.end_date - dt.timedelta(days=REFETCH_DAYS))
    if prev is not None:
        run.warnings.append(
            f"did not merge with {prev.path.name} ({prev.start_date} to {prev.end_date}): the asked range "
            f"{since} to {until} does not extend it; fetched everything")
    return None, since


def _category_windows(
    prev: Snapshot | None,
    cats: list[str],
    since: dt.date,
    until: dt.date,
    fetch_start: dt.date,
    window_weeks: int,
) -> tuple[list[tuple[str, dt.date, dt.date]], dict[str, dt.date]]:
    """The weekly category requests, whole ISO weeks only, and each category's first
    week fetched."""
    cat_end = last_sunday_on_or_before(until)
    full_start = first_monday_on_or_after(since)
    prev_cats = set()
    if prev is not None and prev.has_categories:
        prev_cats = {r["category"] for r in read_parquet_rows(prev.file(CATEGORY_FILE))}
    windows: list[tuple[str, dt.date, dt.date]] = []
    starts: dict[str, dt.date] = {}
    for c in cats:
        # a category the previous snapshot has: from the week holding the re-fetched
        # days; a new one: its whole series, from the first complete week
        c_start = monday_of(fetch_start) if c in prev_cats else full_start
        if c_start > cat_end:
            continue
        starts[c] = c_start
        for s, e in date_windows(c_start, cat_end, max(1, window_weeks) * 7):
            windows.append((c, s, e))
    return windows, starts


def plan_message(plan: Plan, from_json: Sequence | None) -> str:
    """The progress line saying what the run will do."""
    if from_json:
        text = f"planned: read {len(from_json)} file(s)"
    else:
        text = (f"planned: {len(plan.usage_windows)} usage window(s) {plan.fetch_start} to {plan.until}"
                + (f", {len(plan.cat_windows)} category window(s)" if plan.cat_windows else "")
                + (f", {plan.segment_requests} segment request(s)" if plan.segment_requests else "")
                + (f", {plan.extra_requests} extra table request(s) ({plan.extra_words})" if plan.extra_requests else "")
                + f": {plan.data_requests} Data API request(s) in all")
    return text + (f"; merging with {plan.prev.path.name}" if plan.incremental else "")
