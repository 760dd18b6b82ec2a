"""Merging a refresh's fetched figures with the snapshot it builds on, and the
manifest's record of the run.

For every date fetched the new figures replace the old (recent days get restated);
nothing else of the previous snapshot is lost. Category weeks fetched again replace
theirs the same way; a refresh without ``--categories`` carries the previous
snapshot's category data over unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tokenshare import __version__
from tokenshare.data.refresh.catalogue import ModelsBuild
from tokenshare.data.snapshot.layout import CATEGORY_FILE, MODELS_FILE, USAGE_FILE
from tokenshare.data.openrouter.client import OpenRouterClient
from tokenshare.data.openrouter.responses import DATASET_VERSION
from tokenshare.data.refresh.fetch import Fetched
from tokenshare.data.refresh.plan import Plan, read_parquet_rows
from tokenshare.data.refresh.progress import RunState


@dataclass
class Merged:
    """The rows the new snapshot is written from."""

    usage: list[dict]
    start_date: dt.date
    end_date: dt.date
    usage_by_category: list[dict] | None
    prev_models: dict[str, dict]  # the previous snapshot's models, by permaslug

    def permaslugs(self) -> set[str]:
        out = {r["model_permaslug"] for r in self.usage}
        if self.usage_by_category:
            out |= {r["model_permaslug"] for r in self.usage_by_category}
        return out


def merge(run: RunState, plan: Plan, fetched: Fetched) -> Merged:
    prev = plan.prev
    run.stage = "merging with the previous snapshot" if prev else "building the snapshot"
    usage_by_date: dict[dt.date, list[dict]] = {}
    prev_models: dict[str, dict] = {}
    prev_cat: list[dict] = []
    if prev is not None:
        for r in read_parquet_rows(prev.file(USAGE_FILE)):
            if plan.since <= r["date"] <= plan.until:
                usage_by_date.setdefault(r["date"], []).append(r)
        prev_models = {r["model_permaslug"]: r for r in read_parquet_rows(prev.file(MODELS_FILE))}
        if prev.has_categories:
            prev_cat = read_parquet_rows(prev.file(CATEGORY_FILE))
    for d, rows in fetched.usage.items():  # newer figures win, date by date
        usage_by_date[d] = [{"date": r.date, "model_permaslug": r.model_permaslug, "total_tokens": r.total_tokens} for r in rows]
    usage = [r for d in sorted(usage_by_date) for r in usage_by_date[d]]
    if not usage:
        raise run.fail("no usage rows to write")
    return Merged(
        usage=usage,
        start_date=min(usage_by_date),
        end_date=max(usage_by_date),
        usage_by_category=_merge_categories(run, plan, fetched, prev_cat),
        prev_models=prev_models,
    )


def _merge_categories(run: RunState, plan: Plan, fetched: Fetched, prev_cat: list[dict]) -> list[dict] | None:
    """The category rows to write, or None when neither run has any."""
    if not (plan.cat_windows or prev_cat):
        return None
    merged: dict[tuple[dt.date, str], list[dict]] = {}
    for r in prev_cat:
        if r["category"] in plan.cat_start and r["week"] >= plan.cat_start[r["category"]]:
            continue  # re-fetched
        merged.setdefault((r["week"], r["category"]), []).append(r)
    for (w, c), rows in fetched.categories.items():
        merged[(w, c)] = [{"week": w, "category": c, "model_permaslug": r.model_permaslug,
                           "total_tokens": r.total_tokens} for r in rows]
    if prev_cat and not plan.cat_windows:
        run.warnings.append("category data carried over unchanged from the previous snapshot (use --categories to refresh it)")
    return [r for k in sorted(merged) for r in merged[k]]


def request_counts(client: OpenRouterClient | None) -> tuple[int, int]:
    """(Data API requests, models API requests) the run made."""
    if client is None:
        return 0, 0
    return client.requests_made, client.models_requests


def run_record(
    run: RunState,
    plan: Plan,
    fetched: Fetched,
    merged: Merged,
    mb: ModelsBuild,
    authors_added: list[str],
    client: OpenRouterClient | None,
    *,
    window_days: int,
    from_json: bool,
    now: dt.datetime | None,
) -> dict:
    """The manifest's record of the run: endpoints, windows, requests, what was
    matched, kept or added, and every warning."""
    categories_refreshed = bool(plan.cat_windows)
    data_requests, models_requests = request_counts(client)
    return {
        "api_version": DATASET_VERSION,
        "tool_version": __version__,
        "generated_by": f"tokenshare {__version__} refresh",
        "fetched_at": (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endpoints": {
            "usage": "GET /api/v1/datasets/rankings-daily?period=day",
            "categories": "GET /api/v1/datasets/rankings-daily?period=week&category=..." if categories_refreshed else None,
            "models": "GET /api/v1/models?output_modalities=all",
        },
        "windows": fetched.windows,
        "window_days": window_days,
        "category_windows": fetched.category_windows,
        "categories": categories_refreshed,
        "categories_estimates": True if merged.usage_by_category else None,
        "request_count": data_requests + models_requests,
        "data_api_requests": data_requests,
        "models_api_requests": models_requests,
        "incremental_from": plan.prev.path.name if plan.prev is not None else None,
        "refetched_from": str(plan.fetch_start) if not from_json else None,
        "requested_range": {"since": str(plan.since), "until": str(plan.until)},
        "from_json": fetched.json_names or None,
        "model_catalogue_size": len(fetched.models),
        "unmatched_permaslugs": mb.unmatched,
        "unmatched_count": len(mb.unmatched),
        "models_matched_by_date_suffix": mb.by_date_suffix,
        "models_kept_from_previous": mb.kept_from_previous,
        "open_weights_overrides_applied": mb.overrides_used,
        "open_weights_opened_since_previous": mb.opened,
        "authors_added": authors_added,
        "warnings": run.warnings,
    }
