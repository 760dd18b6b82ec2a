"""Security: the OpenRouter API key never appears in a page, a log line, an error
message, a snapshot or a download; XSRF protection stays on.

The app runs (AppTest) with a recognisable fake key in OPENROUTER_API_KEY and
OPENROUTER_BASE_URL pointing at the local stand-in for OpenRouter
(tests/openrouter_server.py), every page is rendered and every element's full
protobuf searched, the Data page's Refresh button is pressed twice (once against a
server that rejects the key, once successfully) and the new snapshot's bytes are
searched, and every log record and everything written to stdout/stderr is searched.
The browser suite does the same in Chromium (tests/e2e: page HTML, websocket frames,
CSV downloads, the server's log)."""

from __future__ import annotations

import ast
import datetime as dt
import logging
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

FAKE_KEY = "sk-or-v1-TESTKEY-security-5f3c9e1a7b2d4c6e8f0a"
MARKERS = (FAKE_KEY, "TESTKEY-security", FAKE_KEY[-16:])


# --------------------------------------------------------------------------- config


def test_xsrf_protection_stays_on():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config.get("server", {})
    assert server.get("enableXsrfProtection") is True, "keep [server] enableXsrfProtection = true"
    # XSRF protection needs CORS protection on too (Streamlit turns XSRF off otherwise)
    assert server.get("enableCORS", True) is True


def test_no_secret_is_committed():
    assert not (ROOT / ".streamlit" / "secrets.toml").exists() or ".streamlit/secrets.toml" in (
        ROOT / ".gitignore").read_text()
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().splitlines()


# --------------------------------------------------------------------------- the app


def page_files() -> list[str]:
    """The file of every st.Page in app.py (once each)."""
    tree = ast.parse(Path(APP).read_text(encoding="utf-8"))
    files = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and arg.value not in files:
                files.append(arg.value)
    assert files
    return files


def everything_shown(at) -> str:
    """Every element of the app as its full protobuf text (labels, values, help,
    markdown, data frames' Arrow bytes, chart specs and their data)."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
            for field_name in ("data", "arrow_data"):
                data = getattr(proto, field_name, None)
                if hasattr(data, "data"):
                    out.append(bytes(data.data).decode("utf-8", "replace"))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def assert_no_key(text: str, where: str) -> None:
    for m in MARKERS:
        assert m not in text, f"the API key ({m!r}) appears in {where}"


class LogCatcher(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        try:
            self.lines.append(self.format(record))
        except Exception as exc:  # a record that cannot be formatted still counts
            self.lines.append(f"{record.msg!r} {record.args!r} {exc!r}")


@pytest.fixture
def logs():
    catcher = LogCatcher()
    catcher.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(exc_info)s"))
    loggers = [logging.getLogger(), logging.getLogger("streamlit"), logging.getLogger("tokenshare"),
               logging.getLogger("urllib3"), logging.getLogger("requests")]
    old = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(catcher)
        lg.setLevel(logging.DEBUG)
    yield catcher
    for lg, level in old:
        lg.removeHandler(catcher)
        lg.setLevel(level)


@pytest.fixture
def app_env(tiny_snapshot, tmp_path, monkeypatch):
    """The app on the tiny snapshot with the fake key, a local fake OpenRouter that
    accepts it, and data/snapshots/ redirected to tmp_path."""
    from tests.openrouter_server import FakeOpenRouter

    import tokenshare.data.published.locate as locate
    import tokenshare.data.openrouter.pacing as orr_pacing
    import tokenshare.data.refresh.plan as refresh_plan
    from tokenshare.app import state

    snapshots = tmp_path / "snapshots"
    monkeypatch.setattr(locate, "SNAPSHOTS_DIR", snapshots)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", snapshots)
    monkeypatch.setattr(orr_pacing.Pacer, "wait", lambda self: None)  # no pacing against a local server
    # the fixtures hold 2025-01-01..14: a refresh run "on 15 January 2025"
    monkeypatch.setattr(refresh_plan, "latest_completed_day", lambda today=None: dt.date(2025, 1, 14))
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(tiny_snapshot.path))
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeOpenRouter(key=FAKE_KEY) as server:
        monkeypatch.setenv("OPENROUTER_BASE_URL", server.base_url)
        yield server, snapshots


OWNER_PASSPHRASE = "owner passphrase for the tests 9c1e"


def new_app():
    """The app with an owner passphrase in st.secrets (a refresh is for a signed-in owner)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["TOKENSHARE_OWNER_PASSPHRASE"] = OWNER_PASSPHRASE
    return at


def sign_in_as_owner(at):
    at.text_input(key="owner_passphrase").input(OWNER_PASSPHRASE)
    at.button(key="FormSubmitter:owner_form-Sign in").click()
    at.run()
    assert at.button(key="refresh_button"), "signed in, the owner gets the button"


def test_no_page_shows_the_key(app_env, logs, capfd):
    at = new_app()
    at.run()
    seen = [everything_shown(at)]
    for page in page_files():
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        seen.append(everything_shown(at))
    text = "\n".join(seen)
    assert "Refresh data" in text, "the Data page knows a key is configured"
    assert_no_key(text, "a page")
    out, err = capfd.readouterr()
    assert_no_key(out + err, "stdout/stderr")
    assert_no_key("\n".join(logs.lines), "a log line")


def test_refresh_errors_and_snapshots_never_carry_the_key(app_env, logs, capfd):
    server, snapshots = app_env
    at = new_app()
    at.run()
    at.switch_page("views/data.py")
    at.run()
    sign_in_as_owner(at)

    # 1. OpenRouter refuses the key: the error on the page names the problem, not the key
    server.key = "sk-or-v1-some-other-key"
    at.button(key="refresh_button").click().run()
    errors = [e.value for e in at.error]
    assert errors and any("401" in e or "refused" in e or "key" in e.lower() for e in errors), errors
    assert_no_key(everything_shown(at), "the refresh error")
    assert not any(snapshots.glob("*")) if snapshots.exists() else True

    # 2. it accepts the key: a snapshot is written, and no byte of it is the key
    server.key = FAKE_KEY
    at.button(key="refresh_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    written = [p for p in snapshots.rglob("*") if p.is_file()]
    assert any(p.name == "manifest.json" for p in written), written
    for p in written:
        data = p.read_bytes()
        for m in MARKERS:
            assert m.encode() not in data, f"the API key is in {p}"
    assert_no_key(everything_shown(at), "the refresh summary")

    # 3. the app opening the refreshed snapshot (the newest under data/snapshots/)
    import os

    os.environ.pop("TOKENSHARE_SNAPSHOT", None)  # restored by monkeypatch at teardown
    at = new_app()
    at.run()
    seen = [everything_shown(at)]
    assert "2025-01-14" in seen[0], "the refreshed snapshot is the one shown"
    for page in page_files():
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        seen.append(everything_shown(at))
    assert_no_key("\n".join(seen), "a page of the refreshed snapshot")

    out, err = capfd.readouterr()
    assert_no_key(out + err, "stdout/stderr")
    assert_no_key("\n".join(logs.lines), "a log line")


def test_the_key_is_not_in_the_client_repr():
    from tokenshare.data.openrouter.client import OpenRouterClient

    client = OpenRouterClient(api_key=FAKE_KEY, base_url="http://127.0.0.1:9/api/v1")
    assert_no_key(repr(client), "repr(client)")
    assert_no_key(str(client), "str(client)")


def test_the_search_would_see_a_leak(logs, capfd):
    """The checks above can fail: a key in a caption, a data frame, a chart's data, a
    log line or stderr is found."""
    from streamlit.testing.v1 import AppTest

    def leaky(key):
        import logging

        import altair as alt
        import pandas as pd
        import streamlit as st

        st.caption("ok")
        st.dataframe(pd.DataFrame({"k": [key]}))
        st.altair_chart(alt.Chart(pd.DataFrame({"k": [key], "v": [1]})).mark_bar().encode(x="k", y="v"))
        logging.getLogger("tokenshare").warning("calling with %s", key)

    at = AppTest.from_function(leaky, default_timeout=60, kwargs={"key": FAKE_KEY})
    at.run()
    shown = everything_shown(at)
    assert shown.count(FAKE_KEY) >= 1 and "ok" in shown
    with pytest.raises(AssertionError):
        assert_no_key(shown, "a page")
    with pytest.raises(AssertionError):
        assert_no_key("\n".join(logs.lines), "a log line")
    print(FAKE_KEY, file=sys.stderr)
    with pytest.raises(AssertionError):
        assert_no_key(capfd.readouterr().err, "stderr")


# --------------------------------------------------------------------------- server paths (issue 26, finding 8)


@pytest.mark.parametrize("where", ["outside", "sample"])
def test_no_page_shows_a_server_path(tiny_snapshot, tmp_path, monkeypatch, where):
    """The Data page said "Snapshot ... at /srv/...", "No refreshed snapshots in /srv/...".
    Every page now names folders relative to the app's folder, or by their last names."""
    from streamlit.testing.v1 import AppTest

    import tokenshare.data.published.locate as locate
    from tokenshare.app import state
    from tokenshare.core import settings

    snapshots = tmp_path / "deep" / "server" / "snapshots"
    monkeypatch.setattr(locate, "SNAPSHOTS_DIR", snapshots)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", snapshots)
    monkeypatch.delenv("TOKENSHARE_AUTO_REFRESH")  # on, as by default: its caption names the folder
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENROUTER_BASE_URL", "http://127.0.0.1:9")  # the refresh it starts fails at once
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    if where == "outside":
        monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(tiny_snapshot.path))
    else:
        monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    seen = []
    for page in page_files():
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        seen.append(everything_shown(at))
    text = "\n".join(seen)
    for secret in (str(tmp_path), str(settings.REPO_ROOT)):
        assert secret not in text, f"{secret} is shown on a page"
    from tests.hostile import tried

    tried("url")
