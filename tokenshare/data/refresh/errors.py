"""How a refresh run fails: a ``RefreshError`` (existing snapshots unchanged) names the
stage it failed in; Ctrl-C is a ``RefreshInterrupted`` saying how far the run got."""

from __future__ import annotations

from pathlib import Path

from tokenshare.core.settings import shown_path  # a page shows this text: no server path
from tokenshare.data.openrouter.errors import redact


class RefreshError(Exception):
    """A refresh failed. ``stage`` says where; existing snapshots are unchanged."""

    def __init__(self, message: str, *, stage: str | None = None, out_dir: Path | None = None):
        self.message = redact(message)  # it may quote what the server sent
        self.stage = stage
        self.out_dir = out_dir
        super().__init__(self.describe())

    def describe(self) -> str:
        text = f"Refresh failed while {self.stage}: {self.message}" if self.stage else f"Refresh failed: {self.message}"
        if self.out_dir is not None:
            text += f". No snapshot was written; existing snapshots in {shown_path(self.out_dir)} are unchanged."
        return text


class RefreshInterrupted(KeyboardInterrupt):
    """Ctrl-C (or a KeyboardInterrupt from the progress callback) stopped the run.
    A KeyboardInterrupt still, so it is not swallowed by ``except Exception``."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message
