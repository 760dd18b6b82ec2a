"""Fixtures for the browser suite: one streamlit server for the session (on the tiny
snapshot, so figures are known by hand, with a fake OpenRouter key in its
environment), one headless Debian chromium, a new browser context per test, and a
screenshot plus the page's HTML under test-artifacts/ when a test fails.

Without chromium or Playwright the tests are skipped on a developer machine, but fail
loudly when CI=true: CI must prove them."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.e2e import server as srv

ARTIFACTS = srv.ROOT / "test-artifacts"
FAKE_KEY = "sk-or-v1-TESTKEY-e2e-0123456789abcdef-DO-NOT-LEAK"


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"Playwright for Python is not installed ({exc}); run `bash scripts/test.sh`"
    if not (os.path.isfile(srv.CHROMIUM) and os.access(srv.CHROMIUM, os.X_OK)):
        return f"no chromium at {srv.CHROMIUM}; run `bash scripts/test.sh` (it installs Debian's chromium)"
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def _require_browser():
    problem = _missing_browser()
    if problem:
        if srv.ci():
            pytest.fail(f"CI=true and the browser tests cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


@pytest.fixture(scope="session")
def tiny_for_browser(tmp_path_factory):
    from tests.tiny import build_tiny_snapshot

    return build_tiny_snapshot(tmp_path_factory.mktemp("e2e-tiny") / "snap")


def _serve(snapshot, tmp_path_factory, request, name):
    _require_browser()
    log = tmp_path_factory.mktemp(f"e2e-{name}") / "streamlit.log"
    env = srv.server_env(snapshot, {"OPENROUTER_API_KEY": FAKE_KEY})
    server = srv.start_server(env, log)
    yield server
    server.stop()
    if request.session.testsfailed:
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(log, ARTIFACTS / f"streamlit-{name}.log")


@pytest.fixture(scope="session")
def app_server(tiny_for_browser, tmp_path_factory, request):
    """The app on the tiny snapshot: figures known by hand."""
    yield from _serve(tiny_for_browser.path, tmp_path_factory, request, "tiny")


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory, request):
    """The app as a visitor gets it: TOKENSHARE_SNAPSHOT unset, so it opens
    data/snapshots/ or the bundled sample."""
    yield from _serve(None, tmp_path_factory, request, "sample")


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = srv.launch_browser(pw)
        yield b
        b.close()


def _artefact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:150]


@pytest.fixture
def context_factory(browser, request):
    """Make new browser contexts (fresh cookies, storage and history); every page of
    every context is saved under test-artifacts/ if the test fails."""
    contexts = []

    def make(**kw):
        ctx = srv.new_context(browser, **kw)
        contexts.append(ctx)
        return ctx

    yield make
    failed = any(getattr(request.node, f"rep_{w}", None) is not None and getattr(request.node, f"rep_{w}").failed
                 for w in ("setup", "call"))
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        base = _artefact_name(request.node.nodeid)
        n = 0
        for ctx in contexts:
            for page in ctx.pages:
                n += 1
                stem = ARTIFACTS / f"{base}-{n}"
                try:
                    page.screenshot(path=str(stem) + ".png", full_page=True, timeout=10_000)
                except Exception as exc:  # a crashed page still gets its HTML saved
                    (stem.with_suffix(".screenshot-error.txt")).write_text(repr(exc))
                try:
                    (Path(str(stem) + ".html")).write_text(
                        f"<!-- {page.url} -->\n" + page.content(), encoding="utf-8")
                except Exception as exc:
                    (stem.with_suffix(".html-error.txt")).write_text(repr(exc))
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(context_factory):
    return context_factory().new_page()
