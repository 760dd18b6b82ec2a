"""From OpenRouter's model catalogue to the snapshot's models and labs tables.

- Each usage permaslug is matched to a catalogue model (``Catalogue.match``: canonical
  slug; ``:free``/``:batch`` variants; date suffixes).
- ``open_weights`` comes from a non-empty ``hugging_face_id``, corrected by
  ``reference/open_weights_overrides.csv`` (first matching pattern wins); an override's
  optional ``since`` (the day the weights were published) becomes the model's
  ``open_weights_since``: it counts as closed before that day.
- A model the previous snapshot had as closed that the catalogue now shows open, with no
  ``since`` from an override, opens the day after the previous snapshot's last day, so a
  newer catalogue never rewrites the days already published as closed (a warning says
  so: add an override with the real date). A ``since`` the previous snapshot had is kept.
- Permaslugs missing from the catalogue keep their classified row from the previous
  snapshot if they had one, else become unclassified models of their author
  (open_weights NULL, basis ``unknown``).
- Labs: the curated ``reference/labs.csv``; authors missing there are added with
  country XX ("Unknown country").
- Prices are USD per million tokens: ``pricing.prompt``, ``pricing.completion`` and,
  where the catalogue gives it, ``pricing.input_cache_read`` (the optional
  ``price_input_cache_read_usd_per_mtok`` column; NULL = no cache price).
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from tokenshare.core.settings import OPEN_WEIGHTS_OVERRIDES, REFERENCE_LABS
from tokenshare.data.snapshot.layout import (
    OTHER_PERMASLUG,
    UNKNOWN_COUNTRY_CODE,
    UNKNOWN_COUNTRY_NAME,
    read_labs_csv,
)
from tokenshare.data.refresh.errors import RefreshError

OVERRIDES_FILE = OPEN_WEIGHTS_OVERRIDES
# The Data API's first day: a `since` before it says nothing (the model is open on
# every day of the data), so it is refused as a probable typo.
SINCE_EARLIEST = dt.date(2025, 1, 1)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- overrides


@dataclass(frozen=True)
class Override:
    pattern: str
    open_weights: bool | None
    reason: str
    line: int
    since: dt.date | None = None


def _since(text: str, value: bool | None, where: str, today: dt.date) -> dt.date | None:
    """An override's ``since`` cell: empty, or a YYYY-MM-DD day from 2025-01-01 to today
    on a line with open_weights true."""
    text = (text or "").strip()
    if not text:
        return None
    stage = "reading the open-weights overrides"
    try:
        day = dt.date.fromisoformat(text) if _ISO_DAY.match(text) else None
    except ValueError:
        day = None
    if day is None:
        raise RefreshError(f"{where}: since {text[:40]!r} is not a date (YYYY-MM-DD)", stage=stage)
    if value is not True:
        raise RefreshError(f"{where}: since {day} needs open_weights true (it is the day the weights "
                           "were published)", stage=stage)
    if day < SINCE_EARLIEST:
        raise RefreshError(f"{where}: since {day} is before {SINCE_EARLIEST}, the first day of the data; "
                           "leave since empty for a model open on every day", stage=stage)
    if day > today:
        raise RefreshError(f"{where}: since {day} is in the future (today is {today})", stage=stage)
    return day


def load_overrides(path: Path = OVERRIDES_FILE, today: dt.date | None = None) -> list[Override]:
    """Read the open-weights overrides (model_pattern, open_weights, reason, and the
    optional since).

    ``model_pattern`` is a shell-style pattern (``*``) matched against the usage
    permaslug and the catalogue id, case-insensitively; the first matching line wins.
    ``open_weights`` is true, false or unknown. Every line needs a reason. ``since``
    (optional column; empty = open on every day) is the day the weights were published,
    YYYY-MM-DD, from 2025-01-01 to today, on open_weights true lines only. A bad line
    stops the run before anything is fetched or written."""
    path = Path(path)
    today = today or dt.datetime.now(dt.timezone.utc).date()
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
                ow = {"true": True, "false": False, "unknown": None}[value]
                since = _since(rec.get("since") or "", ow, f"{path.name} line {lineno}", today)
                out.append(Override(pattern.lower(), ow, reason, lineno, since))
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


# --------------------------------------------------------------------------- matching usage to the catalogue

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
            "price_input_cache_read_usd_per_mtok": None, "open_weights_since": None,
        }
    mid = strip_variant(model["id"].strip())
    hf = (model.get("hugging_face_id") or "").strip() or None
    ow, basis, used = classify_open_weights(permaslug, mid, hf, overrides)
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
        # prompt tokens read from a provider's cache; absent for models without caching
        "price_input_cache_read_usd_per_mtok": _per_million(pricing.get("input_cache_read")),
        "open_weights_since": used.since if used is not None and ow else None,
    }


@dataclass
class ModelsBuild:
    rows: list[dict]
    unmatched: list[str]
    by_date_suffix: dict[str, str]
    kept_from_previous: list[str]
    overrides_used: dict[str, str]
    opened: dict[str, str]  # permaslug -> open_weights_since set because it opened since the previous snapshot
    warnings: list[str]


def build_models(
    permaslugs: Iterable[str],
    catalogue: Catalogue,
    overrides: Sequence[Override],
    previous: Mapping[str, dict] | None = None,
    previous_end: dt.date | None = None,
) -> ModelsBuild:
    """models.parquet rows for every usage permaslug except ``other``. A permaslug
    the catalogue no longer lists keeps its classified row from the previous snapshot
    if it had one; otherwise it becomes an unclassified model of its author.
    ``previous_end``: the previous snapshot's last day (see the module's docstring on
    models that opened since)."""
    previous = previous or {}
    rows, unmatched, kept = [], [], []
    opened: dict[str, str] = {}
    warnings: list[str] = []
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
            _keep_history(row, previous.get(p), previous_end, opened)
        rows.append(row)
    warnings += _variant_warnings(sorted(set(permaslugs) - {OTHER_PERMASLUG}), catalogue)
    if opened:
        warnings.append(
            f"{len(opened)} model(s) the previous snapshot had as closed now show open weights: counted open "
            "from the day after its last day, so the days it published stay closed ("
            + ", ".join(f"{p} from {d}" for p, d in sorted(opened.items())[:10])
            + "); add a `since` override with the day the weights were published")
    return ModelsBuild(rows, unmatched, by_date, kept, used, opened, warnings)


def _keep_history(row: dict, prev: dict | None, previous_end: dt.date | None, opened: dict) -> None:
    """A newer catalogue never reclassifies the days a previous snapshot published: a
    model that was closed there and is open now opens after them; a ``since`` the
    previous snapshot had stays unless an override gives one."""
    if not row.get("open_weights") or prev is None or row.get("open_weights_since") is not None:
        return
    if prev.get("open_weights") is True and prev.get("open_weights_since") is not None:
        row["open_weights_since"] = prev["open_weights_since"]
    elif prev.get("open_weights") is False and previous_end is not None:
        day = previous_end + dt.timedelta(days=1)
        row["open_weights_since"] = day
        opened[row["model_permaslug"]] = str(day)


KNOWN_VARIANTS = ("free", "extended", "beta", "thinking", "batch", "nitro", "floor", "online")


def _variant_warnings(permaslugs: Sequence[str], catalogue: "Catalogue") -> list[str]:
    """Clear words for two odd cases in the usage: a `:free` variant whose base model the
    catalogue does not list (kept, unclassified), and a variant suffix never seen before
    (counted as a paid variant of its base model)."""
    out = []
    orphans = [p for p in permaslugs if p.lower().endswith(":free") and catalogue.match(p)[0] is None]
    if orphans:
        out.append(f"{len(orphans)} `:free` variant(s) whose base model the catalogue does not list, kept "
                   "unclassified: " + ", ".join(orphans[:10]))
    unseen = sorted({p.split(":", 1)[1].lower() for p in permaslugs if ":" in p} - set(KNOWN_VARIANTS))
    if unseen:
        out.append("variant suffix(es) never seen before, counted as paid variants of their base model: "
                   + ", ".join(":" + v[:30] for v in unseen[:10]))
    return out


def build_labs(authors: Iterable[str], labs_path: Path = REFERENCE_LABS) -> tuple[list[dict], list[str]]:
    """The curated labs plus any missing author (country XX). Returns (labs, added)."""
    labs = read_labs_csv(Path(labs_path))
    known = {r["author"] for r in labs}
    added = sorted({a for a in authors if a and a not in known})
    for a in added:
        labs.append({
            "author": a, "lab_name": a,
            "country_code": UNKNOWN_COUNTRY_CODE, "country_name": UNKNOWN_COUNTRY_NAME,
        })
    return labs, added
