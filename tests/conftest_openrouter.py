"""Shared helpers for the OpenRouter client and refresh tests (imported explicitly;
this is not a conftest.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.openrouter_server import API_KEY, FakeOpenRouter
from tokenshare.data.snapshot.layout import DERIVED_PREFIX
from tokenshare.data.openrouter.client import OpenRouterClient
from tokenshare.data.openrouter.pacing import Pacer


class FakeClock:
    """A monotonic clock whose sleep only moves time forward (records the sleeps)."""

    def __init__(self, start: float = 1000.0):
        self.t = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def make_client(server: FakeOpenRouter | None = None, *, key: str | None = API_KEY,
                base_url: str | None = None, clock: FakeClock | None = None, **kw) -> OpenRouterClient:
    """A client for the local server: fake pacing clock, tiny backoff, short timeouts."""
    clock = clock or FakeClock()
    kw.setdefault("backoff_factor", 0.01)
    kw.setdefault("connect_timeout", 2.0)
    kw.setdefault("read_timeout", 5.0)
    kw.setdefault("sleep", clock.sleep)
    client = OpenRouterClient(
        api_key=key, base_url=base_url or server.base_url,
        pacer=Pacer(clock=clock, sleep=clock.sleep), **kw,
    )
    client.fake_clock = clock
    return client


def tree_digest(root: Path) -> dict[str, str]:
    """relative path -> sha256 of every file (and a marker for every folder) under root.

    Files derived from a snapshot (``derived_*``: validation stamps, the query database)
    are left out: they are rebuildable caches that opening a snapshot may write beside
    it at any time (a stamp only once its files are 200 ms old, so whether one appears
    during a test depends on the machine's load); what must not change is the data."""
    out = {}
    for p in sorted(Path(root).rglob("*")):
        if p.name.startswith(DERIVED_PREFIX):
            continue
        rel = str(p.relative_to(root))
        if p.is_dir():
            out[rel + "/"] = "dir"
        else:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def server():
    with FakeOpenRouter() as s:
        yield s


@pytest.fixture(autouse=True)
def _no_ambient_key(monkeypatch, tmp_path):
    """Keep the developer's own key, base URL and proxies out of the tests."""
    for var in ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "HTTP_PROXY", "HTTPS_PROXY",
                "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    # .streamlit/secrets.toml is looked up from the working directory: use an empty one.
    monkeypatch.chdir(tmp_path)
    import tokenshare.data.openrouter.key as orr_key

    monkeypatch.setattr(orr_key, "secrets_toml_paths", lambda: [tmp_path / ".streamlit" / "secrets.toml"])


def refresh_with(out, *, progress=None, secrets=None, client=None, **options):
    """``run_refresh`` with its options as keywords (the tests' helpers pass them on):
    ``RefreshOptions(out, **options)`` and what the run talks to beside it."""
    from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh

    return run_refresh(RefreshOptions(out, **options), progress=progress, secrets=secrets, client=client)
