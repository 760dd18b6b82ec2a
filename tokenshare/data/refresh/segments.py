"""Refresh ``--segments``: plan, fetch and merge the segment series into
``usage_by_segment.parquet``.

- modality and context (``modality``, ``context_bucket``): exact daily series, fetched
  like the usage, in windows of ``window_days``. A segment the previous snapshot has is
  fetched again from the refresh's first re-fetched day; a new one from ``since``.
- language (``language_type``): weekly estimates, fetched like the categories, whole ISO
  weeks only, in windows of ``window_weeks``; a segment the previous snapshot has from
  the week holding the re-fetched days, a new one from its first complete week.

One request per (segment, window), never a combination of filters. The requests are
counted into the plan before any is made (the run's budget check and the printed plan
see them). Merging: the rows fetched replace the previous snapshot's rows of the same
segment from the segment's first fetched date on; the rest of the previous rows are
kept. A refresh without ``--segments`` carries the previous snapshot's segments over
unchanged. A 400, a date outside the window or a malformed row stops the run before
anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tokenshare.data.snapshot.layout import SEGMENT_FILE, SEGMENTS, Snapshot
from tokenshare.data.openrouter.client import OpenRouterClient
from tokenshare.data.openrouter.responses import monday_of
from tokenshare.data.openrouter.segments import segment_rankings
from tokenshare.data.refresh.plan import (
    date_windows,
    first_monday_on_or_after,
    last_sunday_on_or_before,
    read_parquet_rows,
)
from tokenshare.data.refresh.progress import RunState

DEFAULT_SEGMENT_WINDOW_WEEKS = 26
ENDPOINT = "GET /api/v1/datasets/rankings-daily?period=day&modality=... | context_bucket=...; period=week&language_type=..."

Window = tuple[str, str, dt.date, dt.date]  # dimension, segment, first day, last day


@dataclass
class SegmentPlan:
    windows: list[Window] = field(default_factory=list)
    starts: dict[tuple[str, str], dt.date] = field(default_factory=dict)  # first date fetched per segment
    prev_rows: list[dict] = field(default_factory=list)


@dataclass
class SegmentFetched:
    rows: dict[tuple[str, str, dt.date], list[dict]] = field(default_factory=dict)
    windows: list[dict] = field(default_factory=list)  # the manifest's record of each request
    as_ofs: list[str] = field(default_factory=list)


def all_segments() -> list[tuple[str, str]]:
    return [(d, s) for d, (_, values, _) in SEGMENTS.items() for s in values]


def plan_segments(
    prev: Snapshot | None,
    since: dt.date,
    until: dt.date,
    fetch_start: dt.date,
    *,
    fetch: bool,
    window_days: int,
    window_weeks: int = DEFAULT_SEGMENT_WINDOW_WEEKS,
) -> SegmentPlan:
    """The segment requests (none unless ``fetch``), and the previous snapshot's segment
    rows (to merge with)."""
    plan = SegmentPlan()
    if prev is not None and prev.has_segments:
        plan.prev_rows = read_parquet_rows(prev.file(SEGMENT_FILE))
    if not fetch:
        return plan
    had = {(r["dimension"], r["segment"]) for r in plan.prev_rows}
    week_end = last_sunday_on_or_before(until)
    for dim, seg in all_segments():
        weekly = SEGMENTS[dim][2]
        if weekly:
            start = monday_of(fetch_start) if (dim, seg) in had else first_monday_on_or_after(since)
            end, days = week_end, max(1, window_weeks) * 7
        else:
            start = fetch_start if (dim, seg) in had else since
            end, days = until, window_days
        if start > end:
            continue
        plan.starts[(dim, seg)] = start
        plan.windows += [(dim, seg, s, e) for s, e in date_windows(start, end, days)]
    return plan


def fetch_segments(run: RunState, plan: SegmentPlan, client: OpenRouterClient) -> SegmentFetched:
    """Every planned segment request, one progress step each."""
    out = SegmentFetched()
    n = len(plan.windows)
    for i, (dim, seg, s, e) in enumerate(plan.windows, start=1):
        what = f"segment {dim}={seg} {s} to {e}"
        run.stage = f"fetching {what} (segment request {i} of {n})"
        resp = segment_rankings(client, dim, seg, s, e)
        if not resp.rows:
            run.warnings.append(f"segment {dim}={seg} has no rows for {s} to {e}")
        estimate = SEGMENTS[dim][2]
        for r in resp.rows:
            out.rows.setdefault((dim, seg, r.date), []).append(
                {"dimension": dim, "segment": seg, "date": r.date, "model_permaslug": r.model_permaslug,
                 "total_tokens": r.total_tokens, "is_estimate": estimate})
        out.windows.append({"dimension": dim, "segment": seg, "start": str(s), "end": str(e),
                            "rows": len(resp.rows), "as_of": resp.as_of})
        out.as_ofs.append(resp.as_of)
        run.step_done(what, f"{what}: {len(resp.rows)} rows", rows=len(resp.rows))
    return out


def merge_segments(run: RunState, plan: SegmentPlan, fetched: SegmentFetched,
                   since: dt.date, until: dt.date) -> list[dict] | None:
    """The segment rows to write (None when neither run has any): fetched rows replace
    the previous ones of their segment from its first fetched date; previous rows
    outside the new snapshot's range are dropped."""
    if not (plan.windows or plan.prev_rows):
        return None
    merged: dict[tuple[str, str, dt.date], list[dict]] = {}
    for r in plan.prev_rows:
        key = (r["dimension"], r["segment"])
        if key in plan.starts and r["date"] >= plan.starts[key]:
            continue  # re-fetched
        lo = since - dt.timedelta(days=6) if SEGMENTS.get(r["dimension"], ("", (), False))[2] else since
        if lo <= r["date"] <= until:
            merged.setdefault((r["dimension"], r["segment"], r["date"]), []).append(r)
    merged.update(fetched.rows)
    if plan.prev_rows and not plan.windows:
        run.warnings.append("segment data carried over unchanged from the previous snapshot "
                            "(use --segments to refresh it)")
    return [r for k in sorted(merged) for r in merged[k]]


def segment_record(plan: SegmentPlan, fetched: SegmentFetched, rows: list[dict] | None) -> dict:
    """The manifest's record of the segment requests."""
    return {
        "segments": bool(plan.windows),
        "segment_windows": fetched.windows,
        "segments_endpoint": ENDPOINT if plan.windows else None,
        "segments_estimates": sorted(d for d, (_, _, est) in SEGMENTS.items() if est) if rows else None,
    }
