"""Helpers for the tests that serve a published root over HTTP and check the app's
headline against the snapshot's files: a static file server on 127.0.0.1, and the Share
page's headline computed independently (plain Python over the Parquet files)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections import defaultdict
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow.parquet as pq


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass


class StaticServer:
    """``folder`` served over HTTP on 127.0.0.1 (a free port) in a thread."""

    def __init__(self, folder: Path):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> "StaticServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def headline(snapshot: Path) -> tuple[float, dt.date]:
    """The Share page's headline at its defaults, computed here from the Parquet files:
    open-weight tokens / (open + closed) in the latest whole ISO week (Monday to Sunday)
    the snapshot covers, leaving out `other` and unclassified models. Returns (share,
    that week's Monday)."""
    models = {m["model_permaslug"]: m["open_weights"] for m in pq.read_table(snapshot / "models.parquet").to_pylist()}
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    last = dt.date.fromisoformat(manifest["end_date"])
    week_end = last - dt.timedelta(days=(last.weekday() + 1) % 7)  # the Sunday on or before
    week_start = week_end - dt.timedelta(days=6)
    sums: dict[bool, int] = defaultdict(int)
    for r in pq.read_table(snapshot / "usage.parquet").to_pylist():
        ow = models.get(r["model_permaslug"])
        if ow is not None and week_start <= r["date"] <= week_end:
            sums[ow] += r["total_tokens"]
    return sums[True] / (sums[True] + sums[False]), week_start
