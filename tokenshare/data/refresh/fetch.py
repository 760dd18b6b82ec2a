"""Fetching a refresh's figures: from OpenRouter (the model catalogue, each usage
window, each category window), or from recorded response bodies (``--from-json``).

Each request or file read is one progress step. A usage window with no rows stops the
run (a snapshot with a hole in it is never written); days missing inside a window and
empty category windows become warnings.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from tokenshare.data.openrouter.client import OpenRouterClient
from tokenshare.data.openrouter.responses import (
    RankingsResponse,
    UsageRow,
    looks_like_models_body,
    looks_like_rankings_body,
    parse_models_body,
    parse_rankings_body,
)
from tokenshare.data.openrouter.key import resolve_api_key
from tokenshare.data.refresh.plan import Plan, days_between
from tokenshare.data.refresh.progress import RunState


@dataclass
class Fetched:
    """Everything a refresh fetched or imported, as validated rows."""

    usage: dict[dt.date, list[UsageRow]] = field(default_factory=dict)
    windows: list[dict] = field(default_factory=list)  # the manifest's record of each
    as_ofs: list[str] = field(default_factory=list)
    models: list[dict] | None = None  # the model catalogue
    json_names: list[str] = field(default_factory=list)  # --from-json files used
    categories: dict[tuple[dt.date, str], list[UsageRow]] = field(default_factory=dict)
    category_windows: list[dict] = field(default_factory=list)


def parse_as_of(value: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def newest_as_of(values: Iterable[str]) -> str:
    vals = [v for v in values if v]
    return max(vals, key=parse_as_of) if vals else ""


def _describe_window(kind: str, start: dt.date, end: dt.date, category: str | None = None) -> str:
    if kind == "category":
        return f"category {category!r} weeks {start} to {end}"
    return f"usage {start} to {end}"


# --------------------------------------------------------------------------- connecting


def open_client(
    run: RunState,
    plan: Plan,
    client: OpenRouterClient | None,
    secrets: Mapping[str, Any] | None,
    needs_network: bool,
) -> OpenRouterClient:
    """The client to use (``client``, or one the run makes and owns), after checking
    that the Data API requests fit the run's budget and that there is a key."""
    run.stage = "connecting"
    if client is None:
        key = resolve_api_key(secrets) if needs_network else None
        client = OpenRouterClient(api_key=key)
        run.client = client
    if needs_network:
        if plan.data_requests > client.max_requests:
            raise run.fail(
                f"this refresh needs {plan.data_requests} Data API requests, more than this run's budget of "
                f"{client.max_requests} (the API allows 500 a day); use a later --since, a larger "
                "window, or fewer categories")
        if not client.has_key:
            run.stage = "looking for the API key"
            raise run.fail(
                f"no OpenRouter API key: set OPENROUTER_API_KEY in the environment or put "
                f'OPENROUTER_API_KEY = "..." in .streamlit/secrets.toml (get a key at '
                f"https://openrouter.ai/settings/keys); or import recorded responses with --from-json")
    return client


# --------------------------------------------------------------------------- fetching


def fetch_all(
    run: RunState, plan: Plan, client: OpenRouterClient, from_json: Sequence[Path | str] | None
) -> Fetched:
    """The recorded bodies (if any), the model catalogue (unless a recorded body holds
    it), every usage window and every category window of the plan."""
    fetched = Fetched()
    if from_json:
        import_recorded(run, plan, from_json, fetched)
    if fetched.models is None:
        if from_json:
            run.total += 1
        run.stage = "fetching the model catalogue (models?output_modalities=all)"
        fetched.models = client.models()
        run.step_done("model catalogue", f"model catalogue: {len(fetched.models)} models")
    fetch_usage(run, plan, client, fetched)
    fetch_categories(run, plan, client, fetched)
    return fetched


def fetch_usage(run: RunState, plan: Plan, client: OpenRouterClient, fetched: Fetched) -> None:
    n = len(plan.usage_windows)
    for i, (s, e) in enumerate(plan.usage_windows, start=1):
        what = _describe_window("usage", s, e)
        run.stage = f"fetching {what} (window {i} of {n})"
        resp = client.rankings(s, e, period="day")
        if not resp.rows:
            raise run.fail(
                f"OpenRouter returned zero rows for {s} to {e}; refusing to write a snapshot with a "
                "hole in it (try again later, or use --until to stop before that window)")
        days: dict[dt.date, list[UsageRow]] = {}
        for r in resp.rows:
            days.setdefault(r.date, []).append(r)
        missing = [str(d) for d in days_between(s, e) if d not in days]
        if missing:
            run.warnings.append(f"no rows for {len(missing)} day(s) in {s} to {e}: {', '.join(missing[:10])}")
        fetched.usage.update(days)
        fetched.windows.append({"start": str(s), "end": str(e), "rows": len(resp.rows), "as_of": resp.as_of})
        fetched.as_ofs.append(resp.as_of)
        run.step_done(what, f"{what}: {len(resp.rows)} rows", rows=len(resp.rows))


def fetch_categories(run: RunState, plan: Plan, client: OpenRouterClient, fetched: Fetched) -> None:
    n = len(plan.cat_windows)
    for i, (c, s, e) in enumerate(plan.cat_windows, start=1):
        what = _describe_window("category", s, e, c)
        run.stage = f"fetching {what} (window {i} of {n})"
        resp = client.rankings(s, e, period="week", category=c)
        if not resp.rows:
            run.warnings.append(f"category {c!r} has no rows for weeks {s} to {e}")
        for r in resp.rows:
            fetched.categories.setdefault((r.date, c), []).append(r)
        fetched.category_windows.append(
            {"category": c, "start": str(s), "end": str(e), "rows": len(resp.rows), "as_of": resp.as_of})
        run.step_done(what, f"{what}: {len(resp.rows)} rows", rows=len(resp.rows))


# --------------------------------------------------------------------------- recorded bodies


def import_recorded(run: RunState, plan: Plan, paths: Sequence[Path | str], fetched: Fetched) -> None:
    """Usage rows (and the model catalogue, if given) from recorded response bodies.
    For a date present in two bodies the later ``as_of`` wins; dates outside the plan's
    range are dropped with a warning."""
    since, until = plan.since, plan.until
    rankings, fetched.models, models_file = read_json_files(paths, run)
    fetched.json_names = [n for n, _ in rankings] + ([models_file] if models_file else [])
    for name, resp in sorted(rankings, key=lambda nr: parse_as_of(nr[1].as_of)):
        by_date: dict[dt.date, list[UsageRow]] = {}
        for r in resp.rows:
            by_date.setdefault(r.date, []).append(r)
        dropped = [d for d in by_date if d < since or d > until]
        if dropped:
            run.warnings.append(f"{name}: ignored {len(dropped)} date(s) outside {since} to {until}")
        for d, rows in by_date.items():
            if since <= d <= until:
                fetched.usage[d] = rows
        fetched.windows.append({"start": str(resp.start), "end": str(resp.end), "rows": len(resp.rows),
                                "as_of": resp.as_of, "file": name})
        fetched.as_ofs.append(resp.as_of)
    if not fetched.usage:
        raise run.fail(f"none of the --from-json usage rows falls between {since} and {until}")


def read_json_files(paths: Sequence[Path | str], run: RunState):
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
        rows = 0
        if looks_like_rankings_body(body):
            resp = parse_rankings_body(body, where=str(p))
            if not resp.rows:
                raise run.fail(f"{p} holds a window ({resp.start} to {resp.end}) with zero rows")
            rankings.append((p.name, resp))
            rows = len(resp.rows)
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
        run.step_done(f"file {p.name}", message, rows=rows)
    if not rankings:
        raise run.fail("no rankings-daily body among the --from-json files")
    return rankings, models, models_file
