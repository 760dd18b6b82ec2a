"""Refresh: pull OpenRouter's usage data and model catalogue into a new snapshot.

The app and the CLI both call ``run_refresh``. In short:

- Usage: ``datasets/rankings-daily`` with ``period=day`` in windows of ``window_days``
  from 2025-01-01 (or ``since``) to the latest completed UTC day (or ``until``).
  Incremental: when ``out_dir`` already holds an OpenRouter snapshot, only the days from
  (its end_date - 2 days) onward are fetched again; for every date fetched, the new
  figures replace the old (recent days get restated). Nothing else of the old snapshot
  is lost.
- Categories (``categories=True``): the weekly series per use-case category
  (``period=week&category=...``), whole ISO weeks only, into usage_by_category.
- Models: ``/models?output_modalities=all`` (no key). Each usage permaslug is matched to
  a catalogue model (canonical slug; ``:free``/``:batch`` variants; date suffixes).
  ``open_weights`` comes from a non-empty ``hugging_face_id``, corrected by
  ``reference/open_weights_overrides.csv`` (first matching pattern wins). Permaslugs
  missing from the catalogue stay as unclassified models of their author
  (open_weights NULL, basis ``unknown``) and are listed in the manifest.
- Labs: the curated ``reference/labs.csv``; authors missing there are added with
  country XX ("Unknown country") and reported.
- ``from_json``: recorded response bodies instead of the network.
- Everything is fetched and validated in memory first, then written with
  ``write_snapshot`` (temporary folder, validated, fsync, rename). Any failure, or
  Ctrl-C, leaves every existing snapshot as it was and raises ``RefreshError`` /
  ``RefreshInterrupted`` saying what failed and where.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from tokenshare import __version__
from tokenshare.data import snapshot as snap
from tokenshare.core import settings
from tokenshare.data.openrouter import (  # noqa: F401  (re-exported for the app)
    DATASET_START,
    DATASET_VERSION,
    OTHER_PERMASLUG,
    OpenRouterClient,
    OpenRouterError,
    RankingsResponse,
    UsageRow,
    api_key_available,
    looks_like_models_body,
    looks_like_rankings_body,
    monday_of,
    parse_models_body,
    parse_rankings_body,
    resolve_api_key,
)

REFERENCE_DIR = settings.REFERENCE_DIR
OVERRIDES_FILE = REFERENCE_DIR / "open_weights_overrides.csv"
SOURCE = "openrouter"
DEFAULT_CATEGORIES = (
    "programming", "roleplay", "marketing", "marketing/seo", "technology", "science",
    "translation", "legal", "finance", "health", "trivia", "academia",
)
DEFAULT_WINDOW_DAYS = 30
DEFAULT_CATEGORY_WINDOW_WEEKS = 26
REFETCH_DAYS = 2  # a later refresh re-fetches from (end_date - 2 days): the last 3 days
SNAPSHOT_NAME_FORMAT = "%Y-%m-%dT%H%M%SZ"
SNAPSHOT_NAME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z(-\d+)?$")

ProgressFn = Callable[[int, int, int, str], None]


# --------------------------------------------------------------------------- errors


class RefreshError(Exception):
    """A refresh failed. ``stage`` says where; existing snapshots are unchanged."""

    def __init__(self, message: str, *, stage: str | None = None, out_dir: Path | None = None):
        self.message = message
        self.stage = stage
        self.out_dir = out_dir
        super().__init__(self.describe())

    def describe(self) -> str:
        text = f"Refresh failed while {self.stage}: {self.message}" if self.stage else f"Refresh failed: {self.message}"
        if self.out_dir is not None:
            text += f". No snapshot was written; existing snapshots in {self.out_dir} are unchanged."
        return text


class RefreshInterrupted(KeyboardInterrupt):
    """Ctrl-C (or a KeyboardInterrupt from the progress callback) stopped the run.
    A KeyboardInterrupt still, so it is not swallowed by ``except Exception``."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------- result


@dataclass
class RefreshResult:
    snapshot: snap.Snapshot
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
        for w in self.warnings:
            lines.append(f"Note: {w}")
        for p in self.pruned:
            lines.append(f"Pruned {p}")
        lines.append(snap.CITATION_TEMPLATE.format(as_of=self.as_of) + " " + snap.LICENCE_LINE)
        return lines


# --------------------------------------------------------------------------- windows


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


def snapshot_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc)
    return now.strftime(SNAPSHOT_NAME_FORMAT)


# --------------------------------------------------------------------------- overrides


@dataclass(frozen=True)
class Override:
    pattern: str
    open_weights: bool | None
    reason: str
    line: int


def load_overrides(path: Path = OVERRIDES_FILE) -> list[Override]:
    """Read the open-weights overrides (model_pattern, open_weights, reason).

    ``model_pattern`` is a shell-style pattern (``*``) matched against the usage
    permaslug and the catalogue id, case-insensitively; the first matching line wins.
    ``open_weights`` is true, false or unknown. Every line needs a reason."""
    path = Path(path)
    out: list[Override] = []
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            for col in ("model_pattern", "open_weights", "reason"):
                if col not in (reader.fieldnames or []):
                    raise RefreshError(f"{path.name}: missing column {col!r}", stage="reading the open-weights overrides")
            for lineno, rec in enumerate(reader, start=2):
                pattern = (rec.get("model_pattern") or "").strip()
                value = (rec.get("open_weights") or "").strip().lower()
                reason = (rec.get("reason") or "").strip()
                if not pattern:
                    raise RefreshError(f"{path.name} line {lineno}: empty model_pattern", stage="reading the open-weights overrides")
                if value not in ("true", "false", "unknown"):
                    raise RefreshError(
                        f"{path.name} line {lineno}: open_weights {value!r} must be true, false or unknown",
                        stage="reading the open-weights overrides")
                if not reason:
                    raise RefreshError(f"{path.name} line {lineno}: every override needs a reason", stage="reading the open-weights overrides")
                out.append(Override(pattern.lower(), {"true": True, "false": False, "unknown": None}[value], reason, lineno))
    except OSError as exc:
        raise RefreshError(f"{path}: {exc.strerror or exc}", stage="reading the open-weights overrides") from None
    return out


def find_override(overrides: Sequence[Override], *slugs: str | None) -> Override | None:
    names = [s.lower() for s in slugs if s]
    for o in overrides:
        if any(fnmatch.fnmatchcase(n, o.pattern) for n in names):
            return o
    return None


def classify_open_weights(
    permaslug: str, model_id: str | None, hugging_face_id: str | None, overrides: Sequence[Override]
) -> tuple[bool | None, str, Override | None]:
    """(open_weights, basis, override used) for a catalogue model."""
    o = find_override(overrides, permaslug, model_id)
    if o is not None:
        return o.open_weights, "override", o
    return bool((hugging_face_id or "").strip()), "hugging_face_id", None


# --------------------------------------------------------------------------- matching

_DATE_SUFFIX = re.compile(r"-(20\d{2}-\d{2}-\d{2}|20\d{6})$")


def strip_variant(slug: str) -> str:
    """``x:free`` / ``x:batch`` (any ``:variant``) -> ``x``."""
    return slug.split(":", 1)[0]


def strip_date_suffix(slug: str) -> str:
    """``tencent/hy3-preview-20260421`` -> ``tencent/hy3-preview``;
    ``openai/gpt-4o-2024-05-13`` -> ``openai/gpt-4o``. Short version numbers such as
    ``-0324`` are left alone (they are part of the model name)."""
    return _DATE_SUFFIX.sub("", slug)


def author_of(slug: str) -> str:
    return slug.split("/", 1)[0].strip() if "/" in slug else slug.strip()


class Catalogue:
    """Index of the models API by canonical slug and id."""

    def __init__(self, models: Iterable[dict]):
        self.models = list(models)
        by_canonical: dict[str, list[dict]] = {}
        self.by_id: dict[str, dict] = {}
        for m in self.models:
            mid = m["id"].strip()
            canonical = (m.get("canonical_slug") or "").strip() or strip_variant(mid)
            by_canonical.setdefault(canonical.lower(), []).append(m)
            self.by_id.setdefault(mid.lower(), m)
        # One model per canonical slug: prefer the plain id over :free / :batch variants.
        self.by_canonical = {
            k: sorted(v, key=lambda m: (":" in m["id"], m["id"]))[0] for k, v in by_canonical.items()
        }
        stripped: dict[str, set[str]] = {}
        for k in self.by_canonical:
            stripped.setdefault(strip_date_suffix(k), set()).add(k)
        self.by_stripped = {k: self.by_canonical[next(iter(v))] for k, v in stripped.items() if len(v) == 1}

    def match(self, permaslug: str) -> tuple[dict | None, str]:
        """(model, how) with how in exact, variant, id, date_suffix, or (None, '')."""
        p = permaslug.strip().lower()
        base = strip_variant(p)
        if p in self.by_canonical:
            return self.by_canonical[p], "exact"
        if base in self.by_canonical:
            return self.by_canonical[base], "variant"
        if base in self.by_id:
            return self._plain(self.by_id[base]), "id"
        nodate = strip_date_suffix(base)
        if nodate in self.by_stripped:
            return self.by_stripped[nodate], "date_suffix"
        if nodate in self.by_id:
            return self._plain(self.by_id[nodate]), "date_suffix"
        return None, ""

    def _plain(self, m: dict) -> dict:
        plain = self.by_id.get(strip_variant(m["id"]).lower())
        return plain or m


def _per_million(value: Any) -> float | None:
    """USD per token (a string) -> USD per million tokens; None when absent, not a
    number, or negative (OpenRouter uses -1 for router models with variable prices)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d < 0:
        return None
    return float(d * 1_000_000)


def _released_at(created: Any) -> dt.date | None:
    if created is None or isinstance(created, bool):
        return None
    try:
        return dt.datetime.fromtimestamp(float(created), dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None


def model_row(permaslug: str, model: dict | None, overrides: Sequence[Override]) -> dict:
    """One models.parquet row for a usage permaslug (matched or not)."""
    if model is None:
        return {
            "model_permaslug": permaslug, "model_id": None, "name": None, "author": author_of(permaslug),
            "released_at": None, "open_weights": None, "open_weights_basis": "unknown",
            "hugging_face_id": None, "context_length": None,
            "price_prompt_usd_per_mtok": None, "price_completion_usd_per_mtok": None,
        }
    mid = strip_variant(model["id"].strip())
    hf = (model.get("hugging_face_id") or "").strip() or None
    ow, basis, _ = classify_open_weights(permaslug, mid, hf, overrides)
    pricing = model.get("pricing") or {}
    ctx = model.get("context_length")
    ctx = int(ctx) if isinstance(ctx, (int, float)) and not isinstance(ctx, bool) and ctx >= 0 else None
    return {
        "model_permaslug": permaslug,
        "model_id": mid,
        "name": model.get("name"),
        "author": author_of(permaslug),
        "released_at": _released_at(model.get("created")),
        "open_weights": ow,
        "open_weights_basis": basis,
        "hugging_face_id": hf,
        "context_length": ctx,
        "price_prompt_usd_per_mtok": _per_million(pricing.get("prompt")),
        "price_completion_usd_per_mtok": _per_million(pricing.get("completion")),
    }


@dataclass
class ModelsBuild:
    rows: list[dict]
    unmatched: list[str]
    by_date_suffix: dict[str, str]
    kept_from_previous: list[str]
    overrides_used: dict[str, str]


def build_models(
    permaslugs: Iterable[str],
    catalogue: Catalogue,
    overrides: Sequence[Override],
    previous: Mapping[str, dict] | None = None,
) -> ModelsBuild:
    """models.parquet rows for every usage permaslug except ``other``. A permaslug
    the catalogue no longer lists keeps its classified row from the previous snapshot
    if it had one; otherwise it becomes an unclassified model of its author."""
    previous = previous or {}
    rows, unmatched, kept = [], [], []
    by_date: dict[str, str] = {}
    used: dict[str, str] = {}
    for p in sorted(set(permaslugs) - {OTHER_PERMASLUG}):
        model, how = catalogue.match(p)
        if model is None and p in previous and previous[p].get("open_weights_basis") != "unknown":
            rows.append(dict(previous[p]))
            kept.append(p)
            continue
        row = model_row(p, model, overrides)
        if model is None:
            unmatched.append(p)
        else:
            if how == "date_suffix":
                by_date[p] = row["model_id"]
            if row["open_weights_basis"] == "override":
                o = find_override(overrides, p, row["model_id"])
                used[p] = o.pattern if o else ""
        rows.append(row)
    return ModelsBuild(rows, unmatched, by_date, kept, used)


def build_labs(authors: Iterable[str], labs_path: Path = snap.REFERENCE_LABS) -> tuple[list[dict], list[str]]:
    """The curated labs plus any missing author (country XX). Returns (labs, added)."""
    labs = snap.read_labs_csv(Path(labs_path))
    known = {r["author"] for r in labs}
    added = sorted({a for a in authors if a and a not in known})
    for a in added:
        labs.append({
            "author": a, "lab_name": a,
            "country_code": snap.UNKNOWN_COUNTRY_CODE, "country_name": snap.UNKNOWN_COUNTRY_NAME,
        })
    return labs, added


# --------------------------------------------------------------------------- previous


def _read_parquet_rows(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def newest_openrouter_snapshot(out_dir: Path) -> tuple[snap.Snapshot | None, list[str]]:
    """The newest valid, non-synthetic OpenRouter snapshot under out_dir, and notes
    about the folders passed over."""
    notes = []
    for path in snap.candidate_snapshots(out_dir):
        try:
            s = snap.load_snapshot(path)
        except snap.SnapshotError as exc:
            notes.append(f"skipped invalid snapshot {path.name} ({exc.describe()})")
            continue
        if s.synthetic or s.source != SOURCE:
            notes.append(f"skipped {path.name}: not an OpenRouter snapshot (source {s.source!r})")
            continue
        return s, notes
    return None, notes


def _parse_as_of(value: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def newest_as_of(values: Iterable[str]) -> str:
    vals = [v for v in values if v]
    return max(vals, key=_parse_as_of) if vals else ""


# --------------------------------------------------------------------------- run


def _describe_window(kind: str, start: dt.date, end: dt.date, category: str | None = None) -> str:
    if kind == "category":
        return f"category {category!r} weeks {start} to {end}"
    return f"usage {start} to {end}"


class _Run:
    def __init__(self, out_dir: Path, progress: ProgressFn | None):
        self.out_dir = out_dir
        self.progress = progress
        self.stage = "starting"
        self.done = 0
        self.total = 0
        self.rows = 0
        self.last_done = ""
        self.client: OpenRouterClient | None = None

    def report(self, message: str) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, self.rows, message)

    def fail(self, message: str) -> RefreshError:
        return RefreshError(message, stage=self.stage, out_dir=self.out_dir)

    def interrupted(self) -> RefreshInterrupted:
        after = f" after {self.done} of {self.total} steps" if self.total else ""
        last = f" (last finished: {self.last_done})" if self.last_done else ""
        return RefreshInterrupted(
            f"Refresh interrupted{after}{last}, while {self.stage}. No snapshot was written; "
            f"existing snapshots in {self.out_dir} are unchanged."
        )


def run_refresh(
    out_dir: Path | str = snap.SNAPSHOTS_DIR,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    categories: bool = False,
    from_json: Sequence[Path | str] | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    progress: ProgressFn | None = None,
    *,
    category_names: Sequence[str] | None = None,
    category_window_weeks: int = DEFAULT_CATEGORY_WINDOW_WEEKS,
    prune: int | None = None,
    full: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    secrets: Mapping[str, Any] | None = None,
    client: OpenRouterClient | None = None,
    overrides_path: Path | str = OVERRIDES_FILE,
    labs_path: Path | str = snap.REFERENCE_LABS,
) -> RefreshResult:
    """Fetch (or import), validate, merge and write one new snapshot under ``out_dir``.

    ``progress(done, total, rows, message)`` is called before the first step and after
    every step (the model catalogue, each usage window, each category window) and once
    the snapshot is written; a KeyboardInterrupt raised there (or Ctrl-C) stops the run
    with ``RefreshInterrupted``. Any other failure raises ``RefreshError``. Either way no
    existing snapshot is touched.

    ``secrets`` is an optional mapping (``st.secrets``) searched for the API key after
    the environment. ``client`` replaces the default ``OpenRouterClient`` (tests).
    ``prune=N`` keeps only the newest N snapshots after a successful write."""
    out_dir = Path(out_dir)
    run = _Run(out_dir, progress)
    t0 = time.monotonic()
    own_client = client is None
    try:
        return _refresh(
            run, out_dir, since, until, categories, from_json, window_days,
            category_names, category_window_weeks, prune, full, today, now, secrets,
            client, Path(overrides_path), Path(labs_path), t0,
        )
    except RefreshInterrupted:
        raise
    except KeyboardInterrupt:
        raise run.interrupted() from None
    except RefreshError as exc:
        if exc.out_dir is None:
            exc.out_dir = out_dir
            exc.args = (exc.describe(),)
        raise
    except OpenRouterError as exc:
        raise run.fail(str(exc)) from None
    except snap.SnapshotError as exc:
        raise run.fail(exc.describe()) from None
    except OSError as exc:
        raise run.fail(f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")) from None
    finally:
        if own_client and run.client is not None:
            run.client.close()


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RefreshError(f"{name} {value!r} is not a YYYY-MM-DD date", stage="checking the options") from None


def _read_json_files(paths: Sequence[Path | str], run: _Run):
    """(rankings responses, models or None, models file name) from recorded bodies.
    Each file read is one progress step."""
    rankings: list[tuple[str, RankingsResponse]] = []
    models: list[dict] | None = None
    models_file = None
    for p in paths:
        p = Path(p)
        run.stage = f"reading {p}"
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise run.fail(f"cannot read {p}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise run.fail(f"{p} is not UTF-8 text") from None
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise run.fail(f"{p} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); truncated?") from None
        if looks_like_rankings_body(body):
            resp = parse_rankings_body(body, where=str(p))
            if not resp.rows:
                raise run.fail(f"{p} holds a window ({resp.start} to {resp.end}) with zero rows")
            rankings.append((p.name, resp))
            run.rows += len(resp.rows)
            message = f"read {p.name}: usage {resp.start} to {resp.end}, {len(resp.rows)} rows"
        elif looks_like_models_body(body):
            if models is not None:
                raise run.fail(f"{p} is a second models API body (the first was {models_file}); give one")
            models = parse_models_body(body, where=str(p))
            models_file = p.name
            message = f"read {p.name}: model catalogue, {len(models)} models"
        else:
            raise run.fail(
                f"{p} is neither a rankings-daily body ({{'data': [...], 'meta': {{...}}}}) nor a models "
                "API body ({'data': [{'id': ...}, ...]})")
        run.done += 1
        run.last_done = f"file {p.name}"
        run.report(message)
    if not rankings:
        raise run.fail("no rankings-daily body among the --from-json files")
    return rankings, models, models_file


def _refresh(run, out_dir, since, until, categories, from_json, window_days, category_names,
             category_window_weeks, prune, full, today, now, secrets, client, overrides_path,
             labs_path, t0) -> RefreshResult:
    warnings: list[str] = []
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
        warnings.append(f"--since {since} is before the dataset starts; using {DATASET_START}")
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
    cats = list(category_names) if category_names is not None else list(DEFAULT_CATEGORIES)

    overrides = load_overrides(overrides_path)
    run.stage = "reading the curated labs table"
    snap.read_labs_csv(Path(labs_path))  # fail early on a broken table

    # ---------------------------------------------------------------- previous snapshot
    run.stage = f"looking for earlier snapshots in {out_dir}"
    prev, notes = (None, []) if full else newest_openrouter_snapshot(out_dir)
    warnings.extend(notes)
    fetch_start = since
    incremental = False
    if prev is not None and since >= prev.start_date and until >= prev.end_date:
        fetch_start = max(since, prev.end_date - dt.timedelta(days=REFETCH_DAYS))
        incremental = True
    elif prev is not None:
        warnings.append(
            f"did not merge with {prev.path.name} ({prev.start_date} to {prev.end_date}): the asked range "
            f"{since} to {until} does not extend it; fetched everything")
        prev = None

    # ---------------------------------------------------------------- plan
    usage_windows: list[tuple[dt.date, dt.date]] = []
    cat_windows: list[tuple[str, dt.date, dt.date]] = []
    cat_start: dict[str, dt.date] = {}
    if not from_json:
        usage_windows = date_windows(fetch_start, until, window_days)
        if categories:
            cat_end = last_sunday_on_or_before(until)
            full_start = first_monday_on_or_after(since)
            prev_cats = set()
            if incremental and prev is not None and prev.has_categories:
                prev_cats = {r["category"] for r in _read_parquet_rows(prev.file(snap.CATEGORY_FILE))}
            for c in cats:
                # a category the previous snapshot has: from the week holding the re-fetched
                # days; a new one: its whole series, from the first complete week
                c_start = monday_of(fetch_start) if c in prev_cats else full_start
                if c_start > cat_end:
                    continue
                cat_start[c] = c_start
                for s, e in date_windows(c_start, cat_end, max(1, category_window_weeks) * 7):
                    cat_windows.append((c, s, e))
            if not cat_windows:
                warnings.append(f"no complete ISO week between {since} and {until}: no category data fetched")
    run.total = len(from_json) if from_json else 1 + len(usage_windows) + len(cat_windows)

    run.stage = "connecting"
    needs_network = not from_json
    if client is None:
        key = resolve_api_key(secrets) if needs_network else None
        client = OpenRouterClient(api_key=key)
        run.client = client
    if needs_network:
        n_data = len(usage_windows) + len(cat_windows)
        if n_data > client.max_requests:
            raise run.fail(
                f"this refresh needs {n_data} Data API requests, more than this run's budget of "
                f"{client.max_requests} (the API allows 500 a day); use a later --since, a larger "
                "window, or fewer categories")
        if not client.has_key:
            run.stage = "looking for the API key"
            raise run.fail(
                f"no OpenRouter API key: set OPENROUTER_API_KEY in the environment or put "
                f'OPENROUTER_API_KEY = "..." in .streamlit/secrets.toml (get a key at '
                f"https://openrouter.ai/settings/keys); or import recorded responses with --from-json")

    if from_json:
        plan = f"planned: read {len(from_json)} file(s)"
    else:
        plan = (f"planned: {len(usage_windows)} usage window(s) {fetch_start} to {until}"
                + (f", {len(cat_windows)} category window(s)" if cat_windows else ""))
    run.report(plan + (f"; merging with {prev.path.name}" if incremental else ""))

    # ---------------------------------------------------------------- fetch
    fetched: dict[dt.date, list[UsageRow]] = {}
    windows_meta: list[dict] = []
    as_ofs: list[str] = []
    models_list: list[dict] | None = None
    json_names: list[str] = []
    if from_json:
        rankings, models_list, models_file = _read_json_files(from_json, run)
        json_names = [n for n, _ in rankings] + ([models_file] if models_file else [])
        # Later as_of wins for a date present in two bodies.
        for name, resp in sorted(rankings, key=lambda nr: _parse_as_of(nr[1].as_of)):
            by_date: dict[dt.date, list[UsageRow]] = {}
            for r in resp.rows:
                by_date.setdefault(r.date, []).append(r)
            dropped = [d for d in by_date if d < since or d > until]
            if dropped:
                warnings.append(f"{name}: ignored {len(dropped)} date(s) outside {since} to {until}")
            for d, rows in by_date.items():
                if since <= d <= until:
                    fetched[d] = rows
            windows_meta.append({"start": str(resp.start), "end": str(resp.end), "rows": len(resp.rows),
                                 "as_of": resp.as_of, "file": name})
            as_ofs.append(resp.as_of)
        if not fetched:
            raise run.fail(f"none of the --from-json usage rows falls between {since} and {until}")

    if models_list is None:
        if from_json:
            run.total += 1
        run.stage = "fetching the model catalogue (models?output_modalities=all)"
        models_list = client.models()
        run.done += 1
        run.last_done = "model catalogue"
        run.report(f"model catalogue: {len(models_list)} models")

    for i, (s, e) in enumerate(usage_windows, start=1):
        run.stage = f"fetching {_describe_window('usage', s, e)} (window {i} of {len(usage_windows)})"
        resp = client.rankings(s, e, period="day")
        if not resp.rows:
            raise run.fail(
                f"OpenRouter returned zero rows for {s} to {e}; refusing to write a snapshot with a "
                "hole in it (try again later, or use --until to stop before that window)")
        days = {}
        for r in resp.rows:
            days.setdefault(r.date, []).append(r)
        missing = [str(d) for d in _days(s, e) if d not in days]
        if missing:
            warnings.append(f"no rows for {len(missing)} day(s) in {s} to {e}: {', '.join(missing[:10])}")
        fetched.update(days)
        windows_meta.append({"start": str(s), "end": str(e), "rows": len(resp.rows), "as_of": resp.as_of})
        as_ofs.append(resp.as_of)
        run.done += 1
        run.rows += len(resp.rows)
        run.last_done = f"{_describe_window('usage', s, e)}"
        run.report(f"{_describe_window('usage', s, e)}: {len(resp.rows)} rows")

    cat_fetched: dict[tuple[dt.date, str], list[UsageRow]] = {}
    cat_meta: list[dict] = []
    for i, (c, s, e) in enumerate(cat_windows, start=1):
        run.stage = f"fetching {_describe_window('category', s, e, c)} (window {i} of {len(cat_windows)})"
        resp = client.rankings(s, e, period="week", category=c)
        if not resp.rows:
            warnings.append(f"category {c!r} has no rows for weeks {s} to {e}")
        for r in resp.rows:
            cat_fetched.setdefault((r.date, c), []).append(r)
        cat_meta.append({"category": c, "start": str(s), "end": str(e), "rows": len(resp.rows), "as_of": resp.as_of})
        run.done += 1
        run.rows += len(resp.rows)
        run.last_done = _describe_window("category", s, e, c)
        run.report(f"{_describe_window('category', s, e, c)}: {len(resp.rows)} rows")

    # ---------------------------------------------------------------- merge
    run.stage = "merging with the previous snapshot" if prev else "building the snapshot"
    usage_by_date: dict[dt.date, list[dict]] = {}
    prev_models: dict[str, dict] = {}
    prev_cat: list[dict] = []
    if prev is not None:
        for r in _read_parquet_rows(prev.file(snap.USAGE_FILE)):
            if since <= r["date"] <= until:
                usage_by_date.setdefault(r["date"], []).append(r)
        prev_models = {r["model_permaslug"]: r for r in _read_parquet_rows(prev.file(snap.MODELS_FILE))}
        if prev.has_categories:
            prev_cat = _read_parquet_rows(prev.file(snap.CATEGORY_FILE))
    for d, rows in fetched.items():  # newer figures win, date by date
        usage_by_date[d] = [{"date": r.date, "model_permaslug": r.model_permaslug, "total_tokens": r.total_tokens} for r in rows]
    usage = [r for d in sorted(usage_by_date) for r in usage_by_date[d]]
    if not usage:
        raise run.fail("no usage rows to write")
    start_date = min(usage_by_date)
    end_date = max(usage_by_date)

    usage_by_category = None
    categories_refreshed = bool(cat_windows)
    if cat_windows or prev_cat:
        merged: dict[tuple[dt.date, str], list[dict]] = {}
        for r in prev_cat:
            if r["category"] in cat_start and r["week"] >= cat_start[r["category"]]:
                continue  # re-fetched
            merged.setdefault((r["week"], r["category"]), []).append(r)
        for (w, c), rows in cat_fetched.items():
            merged[(w, c)] = [{"week": w, "category": c, "model_permaslug": r.model_permaslug,
                               "total_tokens": r.total_tokens} for r in rows]
        usage_by_category = [r for k in sorted(merged) for r in merged[k]]
        if prev_cat and not cat_windows:
            warnings.append("category data carried over unchanged from the previous snapshot (use --categories to refresh it)")

    permaslugs = {r["model_permaslug"] for r in usage}
    if usage_by_category:
        permaslugs |= {r["model_permaslug"] for r in usage_by_category}
    run.stage = "matching usage to the model catalogue"
    catalogue = Catalogue(models_list)
    mb = build_models(permaslugs, catalogue, overrides, prev_models)
    labs, added = build_labs({r["author"] for r in mb.rows}, Path(labs_path))

    as_of = newest_as_of(as_ofs + ([prev.as_of] if prev is not None else []))
    data_requests = client.requests_made if client is not None else 0
    models_requests = client.models_requests if client is not None else 0
    extra = {
        "api_version": DATASET_VERSION,
        "tool_version": __version__,
        "generated_by": f"tokenshare {__version__} refresh",
        "fetched_at": (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endpoints": {
            "usage": "GET /api/v1/datasets/rankings-daily?period=day",
            "categories": "GET /api/v1/datasets/rankings-daily?period=week&category=..." if categories_refreshed else None,
            "models": "GET /api/v1/models?output_modalities=all",
        },
        "windows": windows_meta,
        "window_days": window_days,
        "category_windows": cat_meta,
        "categories": categories_refreshed,
        "categories_estimates": True if usage_by_category else None,
        "request_count": data_requests + models_requests,
        "data_api_requests": data_requests,
        "models_api_requests": models_requests,
        "incremental_from": prev.path.name if prev is not None else None,
        "refetched_from": str(fetch_start) if not from_json else None,
        "requested_range": {"since": str(since), "until": str(until)},
        "from_json": json_names or None,
        "model_catalogue_size": len(models_list),
        "unmatched_permaslugs": mb.unmatched,
        "unmatched_count": len(mb.unmatched),
        "models_matched_by_date_suffix": mb.by_date_suffix,
        "models_kept_from_previous": mb.kept_from_previous,
        "open_weights_overrides_applied": mb.overrides_used,
        "authors_added": added,
        "warnings": warnings,
    }

    # ---------------------------------------------------------------- write
    name = snapshot_name(now)
    target = out_dir / name
    n = 1
    while target.exists():
        target = out_dir / f"{name}-{n}"
        n += 1
    existing = [p.name for p in snap.candidate_snapshots(out_dir)]
    if existing and existing[0] > target.name:
        warnings.append(f"the new snapshot name {target.name} sorts before {existing[0]} (clock?); "
                        "the app opens the newest by name")
    run.stage = f"writing the snapshot {target}"
    written = snap.write_snapshot(
        target, usage=usage, models=mb.rows, labs=labs, source=SOURCE, synthetic=False,
        as_of=as_of, start_date=start_date, end_date=end_date,
        usage_by_category=usage_by_category, extra_manifest=extra,
    )
    run.stage = "finishing"
    pruned: list[Path] = []
    if prune:
        try:
            pruned = prune_snapshots(out_dir, prune, protect=target)
        except OSError as exc:  # the new snapshot is written: report, don't fail
            warnings.append(f"pruning old snapshots stopped: {exc.strerror or exc} ({exc.filename})")
    run.done = run.total
    run.last_done = f"wrote {target.name}"
    result = RefreshResult(
        snapshot=written, path=target, as_of=as_of, windows=windows_meta, category_windows=cat_meta,
        request_count=data_requests + models_requests, data_api_requests=data_requests,
        rows_fetched=run.rows, usage_rows=len(usage), models=len(mb.rows),
        unmatched_permaslugs=mb.unmatched, new_authors=added,
        incremental_from=prev.path.name if prev is not None else None,
        pruned=pruned, warnings=warnings, elapsed_s=time.monotonic() - t0,
    )
    try:
        run.report(f"wrote snapshot {target.name}")
    except KeyboardInterrupt:
        pass  # the snapshot is complete and valid; nothing to undo
    return result


def _days(s: dt.date, e: dt.date):
    d = s
    while d <= e:
        yield d
        d += dt.timedelta(days=1)


def prune_snapshots(out_dir: Path | str, keep: int, *, protect: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` refresh-made snapshot folders (names like
    2026-11-27T112233Z). Folders with other names, and ``protect``, are never touched."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    ours = [p for p in snap.candidate_snapshots(Path(out_dir)) if SNAPSHOT_NAME_RE.match(p.name)]
    removed = []
    for p in ours[keep:]:
        if protect is not None and p.resolve() == Path(protect).resolve():
            continue
        shutil.rmtree(p)
        removed.append(p)
    return removed
