"""A refresh run's progress.

``RunState`` follows one run: the stage it is in (every error names it), the steps done
of the steps planned, the rows fetched, and the progress callback. How a run fails is in
``tokenshare.data.refresh.errors``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from tokenshare.core.settings import shown_path  # a page shows this text: no server path
from tokenshare.data.refresh.errors import RefreshError, RefreshInterrupted

if TYPE_CHECKING:  # annotations only: the client is made by the fetch step
    from tokenshare.data.openrouter.client import OpenRouterClient

# progress(done, total, rows, message)
ProgressFn = Callable[[int, int, int, str], None]


class RunState:
    """Where one refresh run is: its stage, its steps and rows, its own client."""

    def __init__(self, out_dir: Path, progress: ProgressFn | None):
        self.out_dir = out_dir
        self.progress = progress
        self.stage = "starting"
        self.done = 0
        self.total = 0
        self.rows = 0
        self.last_done = ""
        self.warnings: list[str] = []
        # A client the run made itself (closed when the run ends), not one passed in.
        self.client: OpenRouterClient | None = None

    def report(self, message: str) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, self.rows, message)

    def step_done(self, what: str, message: str, rows: int = 0) -> None:
        """One planned step finished: count it (and its rows) and report it."""
        self.done += 1
        self.rows += rows
        self.last_done = what
        self.report(message)

    def fail(self, message: str) -> RefreshError:
        return RefreshError(message, stage=self.stage, out_dir=self.out_dir)

    def interrupted(self) -> RefreshInterrupted:
        after = f" after {self.done} of {self.total} steps" if self.total else ""
        last = f" (last finished: {self.last_done})" if self.last_done else ""
        return RefreshInterrupted(
            f"Refresh interrupted{after}{last}, while {self.stage}. No snapshot was written; "
            f"existing snapshots in {shown_path(self.out_dir)} are unchanged."
        )
