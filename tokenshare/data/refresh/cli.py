"""``python -m tokenshare refresh``: the command-line face of ``tokenshare.data.refresh.pipeline``.

Registered in ``tokenshare/cli.py`` with ``add_parser(subparsers)``; ``run(args)``
returns the exit code (0 done, 1 failed, 2 bad options, 130 interrupted).
The API key is read from the environment or .streamlit/secrets.toml, never from
the command line, and never printed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Callable, TextIO

from tokenshare.data.published.locate import SNAPSHOTS_DIR
from tokenshare.data.openrouter.pacing import DEFAULT_PER_MINUTE
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh
from tokenshare.data.refresh.plan import (
    DEFAULT_CATEGORIES,
    DEFAULT_CATEGORY_WINDOW_WEEKS,
    DEFAULT_WINDOW_DAYS,
)
from tokenshare.data.refresh.segments import DEFAULT_SEGMENT_WINDOW_WEEKS
from tokenshare.data.refresh.errors import RefreshError, RefreshInterrupted
from tokenshare.data.openrouter.errors import redact


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a YYYY-MM-DD date") from None


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "refresh",
        help="pull real data from OpenRouter into a new snapshot",
        description=(
            "Fetch OpenRouter's daily token usage (Data API, needs OPENROUTER_API_KEY in the "
            "environment or .streamlit/secrets.toml) and model catalogue, and write a new "
            "snapshot folder. A later run fetches only the new days plus the last 3 again. "
            "Data: CC BY 4.0, Source: OpenRouter (openrouter.ai/rankings)."
        ),
    )
    p.add_argument("--since", type=_date, metavar="DATE", help="first day (default 2025-01-01)")
    p.add_argument("--until", type=_date, metavar="DATE", help="last day (default: the latest completed UTC day)")
    p.add_argument("--out", type=Path, default=SNAPSHOTS_DIR, metavar="DIR",
                   help="snapshots folder (default data/snapshots/)")
    p.add_argument("--categories", action="store_true",
                   help="also fetch the weekly series per use-case category (estimates)")
    p.add_argument("--category", action="append", metavar="NAME", dest="category_names",
                   help=f"limit --categories to these (repeatable; default: {', '.join(DEFAULT_CATEGORIES)})")
    p.add_argument("--segments", action="store_true",
                   help="also fetch the segment series: modality and context bucket (daily, exact) and language "
                        "type (weekly estimates); one request per segment and window, counted before any is made")
    p.add_argument("--segment-window-weeks", type=_positive, default=DEFAULT_SEGMENT_WINDOW_WEEKS, metavar="N",
                   help=f"weeks per language-type request (default {DEFAULT_SEGMENT_WINDOW_WEEKS})")
    p.add_argument("--providers", action="store_true",
                   help="also fetch the providers of each model (prices, context, uptime) from the "
                        "endpoints API (no key; cached for a day)")
    for flag, what in (("--benchmarks", "Artificial Analysis's intelligence, coding and agentic indices per model "
                                        "(1 request)"),
                       ("--session-cost", "median USD cost per session by harness, model and turn range "
                                          "(up to 4 requests)"),
                       ("--tasks", "the 7-day task classification shares, kept per fetch (1 request)"),
                       ("--apps", "the app rankings, popular and trending, overall and per category, kept per "
                                  "fetch (6 requests)")):
        p.add_argument(flag, action="append_const", const=flag[2:].replace("-", "_"), dest="extras",
                       help=f"also fetch {what}; without it the previous snapshot's table is kept")
    p.add_argument("--from-json", nargs="+", type=Path, metavar="PATH",
                   help="import recorded response bodies (rankings-daily bodies and one models body) "
                        "instead of calling the Data API")
    p.add_argument("--window-days", type=_positive, default=DEFAULT_WINDOW_DAYS, metavar="N",
                   help=f"days per Data API request (default {DEFAULT_WINDOW_DAYS})")
    p.add_argument("--category-window-weeks", type=_positive, default=DEFAULT_CATEGORY_WINDOW_WEEKS,
                   metavar="N", help=f"weeks per category request (default {DEFAULT_CATEGORY_WINDOW_WEEKS})")
    p.add_argument("--full", action="store_true", help="ignore earlier snapshots and fetch everything")
    p.add_argument("--prune", type=_positive, metavar="N",
                   help="after a successful refresh, keep only the newest N snapshots")
    p.set_defaults(func=run)
    return p


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    m, s = divmod(seconds, 60)
    if m < 60:
        return f"{m}m{s:02d}s"
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m"


class ProgressBar:
    """A plain-text progress bar: windows done of total, rows, time left.

    On a terminal it redraws one line; otherwise it prints a line per step."""

    def __init__(self, stream: TextIO | None = None, width: int = 24,
                 clock: Callable[[], float] = time.monotonic, min_step_seconds: float = 0.0):
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        # Requests are paced: no step is faster than this, whatever the first ones took.
        self.min_step_seconds = min_step_seconds
        self.clock = clock
        self.start = clock()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_len = 0

    def line(self, done: int, total: int, rows: int, message: str) -> str:
        frac = (done / total) if total else 0.0
        filled = int(round(frac * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = self.clock() - self.start
        if done and total and done < total:
            per_step = max(elapsed / done, self.min_step_seconds)
            left = f"~{_duration(per_step * (total - done))} left"
        elif total and done >= total:
            left = f"done in {_duration(elapsed)}"
        else:
            left = "estimating time"
        return f"[{bar}] {done}/{total} windows | {rows:,} rows | {left} | {message}"

    def __call__(self, done: int, total: int, rows: int, message: str) -> None:
        text = self.line(done, total, rows, message)
        if self.tty:
            pad = " " * max(0, self._last_len - len(text))
            self.stream.write("\r" + text + pad)
            self._last_len = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self._last_len:
            self.stream.write("\n")
            self.stream.flush()
            self._last_len = 0


def options_from_args(args: argparse.Namespace) -> RefreshOptions:
    """The refresh the parsed command line asks for (``add_parser``'s arguments)."""
    return RefreshOptions(
        args.out,
        since=args.since,
        until=args.until,
        full=args.full,
        window_days=args.window_days,
        from_json=args.from_json,
        categories=args.categories,
        category_names=args.category_names,
        category_window_weeks=args.category_window_weeks,
        segments=args.segments,
        segment_window_weeks=args.segment_window_weeks,
        providers=getattr(args, "providers", False),
        extras=tuple(getattr(args, "extras", None) or ()),
        prune=args.prune,
    )


def run(args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    bar = ProgressBar(err, min_step_seconds=0.0 if args.from_json else 60.0 / DEFAULT_PER_MINUTE)
    try:
        result = run_refresh(options_from_args(args), progress=bar)
    except RefreshInterrupted as exc:
        bar.finish()
        print(str(exc), file=err)
        return 130
    except RefreshError as exc:
        bar.finish()
        print(exc.describe(), file=err)
        return 1
    bar.finish()
    for line in result.summary_lines() + extras_lines(result.snapshot.manifest):
        print(line, file=out)
    return 0


def extras_lines(manifest: dict) -> list[str]:
    """One line per extra table the new snapshot holds or failed to get."""
    lines = []
    for name, rec in sorted((manifest.get("extras") or {}).items()):
        how = (f"carried over from {rec['carried_from']}" if rec.get("carried_from")
               else "not in the snapshot" if rec.get("failed")
               else f"fetched {rec.get('fetched_on')} in {rec.get('requests')} request(s)")
        failed = f"; this run could not fetch it: {rec['failed']}" if rec.get("failed") else ""
        lines.append(redact(f"{name.replace('_', ' ').capitalize()}: {rec.get('rows', 0):,} rows, {how}{failed}."))
    return lines


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (``python -m tokenshare.data.refresh.cli``), for when cli.py is absent."""
    parser = argparse.ArgumentParser(prog="tokenshare")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
