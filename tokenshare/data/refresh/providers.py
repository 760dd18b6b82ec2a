"""``refresh --providers``: the providers of the snapshot's models, from OpenRouter's
endpoints API (``tokenshare.data.openrouter.endpoints``), as ``model_endpoints.parquet``.

Which models: every open-weight or closed model of the new snapshot with a catalogue id
and tokens in its last ``RECENT_DAYS`` days (a model gone from the rankings is usually
gone from the router too), its ``:free`` and other variants left out (a variant's
endpoints are the base model's at another price, e.g. zero). One request per model, no
key, at most ``PER_MINUTE`` a minute. Each answer is kept in a disk cache
(``<cache dir>/endpoints/``) for ``MAX_AGE_HOURS``, so a second refresh the same day
asks again only for the models that failed.

A model whose request fails (a 404 for a retired model, a malformed body, a missing or
garbage price) is left out whole and named in the refresh's summary; the other models
are kept and the refresh completes. The table records each row's fetch date: it is the
state on that day, not a history (successive snapshots make one). A refresh without
``--providers`` carries the previous snapshot's table over unchanged, fetch dates and
all (``carry_over``), for the models still in the new snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from tokenshare.core import settings
from tokenshare.data.snapshot.layout import ENDPOINTS_FILE
from tokenshare.data.openrouter.client import OpenRouterClient
from tokenshare.data.openrouter.endpoints import endpoints_path, parse_endpoints_body
from tokenshare.data.openrouter.errors import BadRequestError, NotFoundError, OpenRouterError
from tokenshare.data.refresh.progress import RunState

RECENT_DAYS = 28
PER_MINUTE = 60
MAX_AGE_HOURS = 24.0
CACHE_FORMAT = 1


def default_cache_dir() -> Path:
    return settings.cache_dir() / "endpoints"


@dataclass
class ProvidersFetched:
    rows: list[dict] = field(default_factory=list)
    asked: int = 0  # models whose endpoints were wanted
    from_network: int = 0
    from_cache: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (model id, why)
    fetched_at: str = ""  # the newest fetch time among the rows' answers
    carried_from: str | None = None  # the snapshot the rows were carried over from

    def manifest_record(self) -> dict:
        if self.carried_from is not None:
            return {"carried_from": self.carried_from, "endpoints": len(self.rows), "fetched_at": self.fetched_at}
        return {"models": self.asked, "endpoints": len(self.rows), "requests": self.from_network,
                "from_cache": self.from_cache, "failed": [m for m, _ in self.failed],
                "fetched_at": self.fetched_at}

    def summary_lines(self) -> list[str]:
        models = len({r["model_permaslug"] for r in self.rows})
        if self.carried_from is not None:
            return [f"Providers: {len(self.rows):,} endpoint(s) of {models} model(s) carried over from "
                    f"{self.carried_from} (fetched {self.fetched_at}; --providers fetches them again)."]
        lines = [f"Providers: {len(self.rows):,} endpoint(s) of {models} model(s) "
                 f"({self.from_network} request(s), {self.from_cache} from the cache), fetched {self.fetched_at}."]
        if self.failed:
            lines.append(f"Providers: could not get {len(self.failed)} model(s), left out: "
                         + "; ".join(f"{m} ({why})" for m, why in self.failed))
        return lines


class Spacer:
    """At most ``per_minute`` requests a minute (clock and sleep injectable)."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = 60.0 / per_minute
        self.clock, self.sleep = clock, sleep
        self._next: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self._next is not None and now < self._next:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


def base_id(model_id: str | None) -> bool:
    return bool(model_id) and ":" not in model_id


def models_to_fetch(models: Iterable[dict], usage: Iterable[dict], end_date: dt.date,
                    recent_days: int = RECENT_DAYS) -> list[tuple[str, str]]:
    """(model_permaslug, model_id) of the named models with a base catalogue id and
    tokens in the last ``recent_days`` days up to ``end_date``, sorted."""
    first = end_date - dt.timedelta(days=recent_days - 1)
    recent = {r["model_permaslug"] for r in usage if r["date"] >= first and r["total_tokens"] > 0}
    return sorted((m["model_permaslug"], m["model_id"]) for m in models
                  if m.get("open_weights") is not None and base_id(m.get("model_id"))
                  and m["model_permaslug"] in recent)


# --------------------------------------------------------------------------- the cache


def _cache_file(cache_dir: Path, model_id: str) -> Path:
    return cache_dir / (hashlib.sha256(model_id.encode("utf-8")).hexdigest()[:32] + ".json")


def read_cache(cache_dir: Path | None, model_id: str, now: dt.datetime, max_age_hours: float):
    """(body, fetched_at) of a cached answer young enough, or None (a broken file is
    ignored: the model is asked again)."""
    if cache_dir is None:
        return None
    try:
        entry = json.loads(_cache_file(cache_dir, model_id).read_text(encoding="utf-8"))
        at = dt.datetime.fromisoformat(entry["fetched_at"])
        if entry["format"] != CACHE_FORMAT or entry["model_id"] != model_id or at.tzinfo is None:
            return None
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    age_h = (now - at).total_seconds() / 3600
    return (entry["body"], at) if 0 <= age_h <= max_age_hours else None


def write_cache(cache_dir: Path | None, model_id: str, body, at: dt.datetime) -> None:
    """Keep a validated answer (temporary file, then renamed); a cache that cannot be
    written only costs the next run a request."""
    if cache_dir is None:
        return
    target = _cache_file(cache_dir, model_id)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"format": CACHE_FORMAT, "model_id": model_id, "fetched_at": at.isoformat(),
                                   "body": body}), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- fetching


def _why(exc: OpenRouterError) -> str:
    if isinstance(exc, NotFoundError):
        return "HTTP 404: OpenRouter has no such model now (retired?)"
    if isinstance(exc, BadRequestError):
        return "HTTP 400: OpenRouter refused the request"
    return exc.message


def fetch_providers(run: RunState, client: OpenRouterClient, targets: list[tuple[str, str]], *,
                    cache_dir: Path | None, now: dt.datetime | None = None,
                    max_age_hours: float = MAX_AGE_HOURS, per_minute: float = PER_MINUTE) -> ProvidersFetched:
    """The endpoints of each (permaslug, model id) of ``targets`` (one progress step
    each); a model that fails is recorded in ``failed`` and the others go on."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    spacer = Spacer(per_minute, clock=client.pacer.clock, sleep=client.pacer.sleep)
    out = ProvidersFetched(asked=len(targets))
    newest: dt.datetime | None = None
    run.total += len(targets)
    for i, (permaslug, model_id) in enumerate(targets, start=1):
        where = f"endpoints of {model_id}"
        run.stage = f"fetching the {where} (model {i} of {len(targets)})"
        cached = read_cache(cache_dir, model_id, now, max_age_hours)
        try:
            if cached is not None:
                body, at = cached
            else:
                path = endpoints_path(model_id)
                spacer.wait()
                # the models API's way: no key sent, retries and body bounds of the client
                body, at = client.get_json(path, {}, where=where, data_api=False), now
            rows = parse_endpoints_body(body, model_permaslug=permaslug, model_id=model_id,
                                        fetched_on=at.date(), where=where)
        except OpenRouterError as exc:
            out.failed.append((model_id, _why(exc)))
            run.step_done(where, f"{where}: failed ({_why(exc)})")
            continue
        except ValueError as exc:  # not a plain model id
            out.failed.append((model_id, str(exc)))
            run.step_done(where, f"{where}: failed ({exc})")
            continue
        if cached is None:
            write_cache(cache_dir, model_id, body, at)
            out.from_network += 1
        else:
            out.from_cache += 1
        newest = at if newest is None or at > newest else newest
        out.rows.extend(rows)
        run.step_done(where, f"{where}: {len(rows)} endpoint(s)", rows=len(rows))
    out.fetched_at = newest.strftime("%Y-%m-%dT%H:%M:%SZ") if newest is not None else ""
    if out.failed:
        run.warnings.append(f"providers: {len(out.failed)} of {len(targets)} model(s) could not be fetched "
                            "and are left out of model_endpoints.parquet")
    return out


def carry_over(prev, models: Iterable[dict]) -> ProvidersFetched | None:
    """The previous snapshot's provider rows for the models still in ``models``, or None
    when it has none (``prev``: the Snapshot the refresh builds on, or None)."""
    if prev is None or not prev.has_endpoints:
        return None
    import pyarrow.parquet as pq

    keep = {m["model_permaslug"] for m in models}
    rows = [r for r in pq.read_table(prev.file(ENDPOINTS_FILE)).to_pylist() if r["model_permaslug"] in keep]
    if not rows:
        return None
    prior = prev.manifest.get("providers")
    at = prior.get("fetched_at") if isinstance(prior, dict) and isinstance(prior.get("fetched_at"), str) else ""
    return ProvidersFetched(rows=rows, asked=0, fetched_at=at or str(max(r["fetched_on"] for r in rows)),
                            carried_from=prev.path.name)
