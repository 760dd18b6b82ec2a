"""A real server on a published root served over HTTP from 127.0.0.1: a browser session
open on snapshot A moves to snapshot B, published while it was open, on its next rerun
(the R shortcut, no reload, no server restart), with B's headline computed independently
from B's files; then the root breaks and the same session keeps B, with the warning."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import ThreadingHTTPServer

import pytest

from tests.data.test_remote_snapshot import RangeHandler
from tests.e2e import server as srv
from tests.e2e.conftest import FAKE_KEY
from tests.polling import wait_until
from tests.pages.test_share import independent_open_share_last_full_week
from tests.tiny import build_tiny_snapshot, tiny_usage
from tokenshare.data.published.publish import publish

pytestmark = pytest.mark.browser
RECHECK_S = 2


@pytest.fixture(scope="module")
def served_root(tmp_path_factory, request):
    base = tmp_path_factory.mktemp("e2e-root")
    a = build_tiny_snapshot(base / "a")
    usage = [{**r, "total_tokens": r["total_tokens"] * 3 if r["model_permaslug"] == "openai/gpt-5"
              else r["total_tokens"]} for r in tiny_usage()]
    b = build_tiny_snapshot(base / "b", usage=usage, as_of="2026-01-29T02:00:00Z")
    www = base / "www"
    www.mkdir()
    publish(a.path, www / "root")
    handler = type("H", (RangeHandler,), {"log": [], "cut_once": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(www)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/root/"
    request.getfixturevalue("browser")  # skips (or fails under CI) before a server starts
    env = srv.server_env(url, {"OPENROUTER_API_KEY": FAKE_KEY, "TOKENSHARE_RECHECK_SECONDS": str(RECHECK_S),
                               "TOKENSHARE_CACHE_DIR": str(base / "cache"), "TOKENSHARE_HTTPFS_INSTALL": "0"})
    app = srv.start_server(env, base / "streamlit.log")
    try:
        yield {"app": app, "root": www / "root", "a": a, "b": b}
    finally:
        app.stop()
        httpd.shutdown()
        httpd.server_close()


def _rerun(page) -> None:
    """The same session runs its script again (Streamlit's R shortcut), without a reload."""
    before = srv.runs(page)
    page.locator("h1").first.click()  # focus the page, not a widget
    page.keyboard.press("r")
    srv.wait_rerun(page, before)
    srv.wait_idle(page)


def _rerun_until(page, condition, what: str) -> None:
    """Rerun the same session until ``condition()``: the first run RECHECK_S or more
    after the app's last look at the root reads latest.json again (a poll with a
    deadline, not a bet on how long a rerun takes)."""
    def rerun():
        _rerun(page)
        return condition()
    wait_until(rerun, seconds=RECHECK_S + 60, what=what, every=0.2)


def test_a_session_moves_to_a_newly_published_snapshot_without_a_restart(served_root, page):
    srv.open_page(page, served_root["app"].url)
    assert srv.metric_values(page)[0] == "62.0%"  # A's W3: 310 / 500 by hand
    publish(served_root["b"].path, served_root["root"])
    _rerun_until(page, lambda: srv.metric_values(page)[0] != "62.0%", "the session leaves snapshot A")
    expected = independent_open_share_last_full_week(served_root["b"].path)
    assert srv.metric_values(page)[0] == f"{100 * expected:.1f}%" != "62.0%"
    assert srv.runs(page) >= 2  # the page was not reloaded: its run counter went on
    assert served_root["app"].proc.poll() is None  # nor the server restarted

    pointer = served_root["root"] / "latest.json"  # now the root breaks
    data = json.loads(pointer.read_text())
    data["pointer_version"] = 2
    pointer.write_text(json.dumps(data))
    _rerun_until(page, lambda: any("pointer_version 2" in a for a in srv.alerts(page)),
                 "the session reads the broken latest.json")
    assert srv.metric_values(page)[0] == f"{100 * expected:.1f}%"  # B is kept
    assert any("pointer_version 2" in a and "kept" in a for a in srv.alerts(page)), srv.alerts(page)
    assert page.locator(srv.EXCEPTION).count() == 0
