"""Two app replicas behind Debian's nginx with the deployment's config
(deploy/nginx.conf.template, filled in by tests/e2e/proxy.py; issue 14 part 3):

- the load script driven through the proxy: 0 errors, both replicas serve sessions;
- new visitors spread over the replicas; one visitor (its cookie) stays on one;
- a browser session keeps its filters over 20 changes through the proxy, and after a
  forced reconnect (an nginx reload closes its websocket) it lands on the same replica
  with the same session and filters.

Which replica served a request is read from nginx's access log (sticky key and
upstream address per request). Skipped without nginx on a developer machine; under
CI=true a missing nginx fails, like the browser suite."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e import proxy
from tests.e2e import server as srv
from tests.e2e.conftest import _require_browser
from tests.hostile import tried

pytestmark = pytest.mark.browser

COOKIE = "tokenshare_replica"


def _require_nginx() -> None:
    problem = proxy.missing_nginx()
    if problem:
        if srv.ci():
            pytest.fail(f"CI=true and the replica tests cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


@pytest.fixture(scope="module")
def cluster(tiny_for_browser, tmp_path_factory):
    _require_nginx()
    _require_browser()
    c = proxy.start_cluster(2, srv.server_env(tiny_for_browser.path), tmp_path_factory.mktemp("replicas"))
    yield c
    c.stop()


def get(url: str, cookie: str | None = None) -> tuple[int, str | None]:
    """(status, the replica cookie nginx set, if it set one)."""
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie is not None else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        r.read()
        ours = [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith(f"{COOKIE}=")]
        return r.status, ours[0] if ours else None


def upstreams_for(cluster: proxy.Cluster, key: str, path_prefix: str = "", at_least: int = 0) -> list[str]:
    """The upstreams of the logged requests with sticky key ``key`` (waiting up to 10 s
    for ``at_least`` of them: nginx logs a request just after answering it)."""
    deadline = time.monotonic() + 10
    while True:
        found = [e["upstream"] for e in cluster.log_entries()
                 if e["sticky"] == key and e["request"].split(" ")[1].startswith(path_prefix)]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_load_script_through_the_proxy_has_no_errors_and_uses_both_replicas(tmp_path):
    _require_nginx()
    _require_browser()
    run = subprocess.run(
        [sys.executable, str(srv.ROOT / "scripts" / "load_test.py"), "--replicas", "2",
         "--sessions", "6", "--changes", "6", "--timeout", "60"],
        cwd=srv.ROOT, capture_output=True, text=True, timeout=240,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "errors                0 in the sessions, 0 in the server log" in out, out
    assert "(36 completed of 36)" in out, out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("replicas"))
    per_replica = [int(x) for x in line.split("(recording included):")[1].split(";")[0].split(",")]
    # 6 replaying sessions + 3 recording browser sessions, each its own websocket
    assert sum(per_replica) == 9 and len(per_replica) == 2 and min(per_replica) >= 1, line


def test_new_visitors_spread_and_a_cookie_pins_one_replica(cluster):
    keys = []
    for _ in range(20):
        status, set_cookie = get(cluster.url + "/")
        assert status == 200 and set_cookie
        keys.append(set_cookie.split(";")[0].split("=", 1)[1])
    first = {k: upstreams_for(cluster, k, at_least=1)[0] for k in keys}
    replicas = {cluster.upstream_of(r) for r in cluster.replicas}
    assert set(first.values()) == replicas, "20 new visitors all went to one replica"
    # the same visitor (its cookie) always reaches the same replica, and gets no new cookie
    for key in keys[:3]:
        for path in ("/", "/_stcore/health", "/race"):
            status, set_cookie = get(cluster.url + path, f"{COOKIE}={key}")
            assert status == 200 and set_cookie is None
        assert set(upstreams_for(cluster, key, at_least=4)) == {first[key]}


def test_hostile_cookies_are_only_hash_keys(cluster):
    """Whatever a client puts in the cookie, nginx only hashes it: every request gets
    an answer from a replica, the same one for the same value."""
    values = ["x", "a" * 3000, "../../etc/passwd", "%00%0d%0aSet-Cookie:%20evil=1",
              "\u00e9\u00e8".encode().decode("latin-1"), "$request_id", "1; Path=/admin"]
    for value in values:
        before = len(cluster.log_entries())
        for _ in range(3):
            req = urllib.request.Request(cluster.url + "/_stcore/health", headers={"Cookie": f"{COOKIE}={value}"})
            with urllib.request.urlopen(req, timeout=10) as r:
                assert r.status == 200 and r.read() == b"ok"
        deadline = time.monotonic() + 10
        while len(entries := cluster.log_entries()) < before + 3:
            assert time.monotonic() < deadline, "nginx did not log the requests"
            time.sleep(0.1)
        seen = {e["upstream"] for e in entries[before:before + 3]}
        assert len(seen) == 1, (value, seen)
        tried("proxy")
    # an empty value counts as no cookie: a new key, and a cookie to keep it
    status, set_cookie = get(cluster.url + "/", f"{COOKIE}=")
    assert status == 200 and set_cookie and set_cookie.split(";")[0] != f"{COOKIE}="
    tried("proxy")


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_session_keeps_its_filters_over_20_changes_and_reconnects_to_its_replica(cluster, context_factory):
    ctx = context_factory()
    page = ctx.new_page()
    srv.open_page(page, cluster.url + "/")
    key = next(c["value"] for c in ctx.cookies() if c["name"] == COOKIE)

    grains, openness = ["month", "day", "week"], ["all", "open", "closed"]
    expected = {"grain": "week", "openness": "all", "top": 10}
    defaults = dict(expected)
    radio = page.locator(".st-key-openness [data-testid='stRadioOption']")
    for i in range(20):
        before = srv.runs(page)
        if i % 3 == 0:
            expected["grain"] = grains[(grains.index(expected["grain"]) + 1) % 3] if expected["grain"] in grains else "month"
            srv.pick_selectbox(page, "grain", expected["grain"])
        elif i % 3 == 1:
            expected["openness"] = openness[(openness.index(expected["openness"]) + 1) % 3]
            radio.nth(openness.index(expected["openness"])).click()
            srv.wait_rerun(page, before)
        else:
            expected["top"] += 1
            page.locator(".st-key-top input[type='range']").focus()
            page.keyboard.press("ArrowRight")
            srv.wait_rerun(page, before)
        q = _query(page.url)
        for k, v in expected.items():
            want = [] if v == defaults[k] else [str(v)]
            assert q.get(k, []) == want, f"change {i + 1}: {k} in {page.url}"
        assert page.locator(srv.EXCEPTION).count() == 0
    assert srv.selectbox_value(page, "grain") == expected["grain"]

    # Force a reconnect: an nginx reload closes this websocket (worker_shutdown_timeout)
    # and the page reconnects by itself, with its cookie, through the new worker.
    streams_before = len(upstreams_for(cluster, key, "/_stcore/stream"))
    cluster.reload()
    deadline = time.monotonic() + 30
    while len(upstreams_for(cluster, key, "/_stcore/stream")) == streams_before:
        assert time.monotonic() < deadline, "the websocket was not closed by the reload"
        time.sleep(0.2)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-connection-state') === 'CONNECTED'",
        timeout=30_000)
    # one more change on the reconnected session: it answers, filters intact
    before = srv.runs(page)
    page.locator(".st-key-top input[type='range']").focus()
    page.keyboard.press("ArrowRight")
    srv.wait_rerun(page, before)
    expected["top"] += 1
    q = _query(page.url)
    assert q.get("grain", []) == ([] if expected["grain"] == "week" else [expected["grain"]])
    assert q.get("top") == [str(expected["top"])]
    assert srv.selectbox_value(page, "grain") == expected["grain"]
    ctx.close()  # closes the second websocket, so nginx logs it

    assert len(upstreams_for(cluster, key, "/_stcore/stream", at_least=streams_before + 2)) == streams_before + 2, \
        "the reconnected websocket is not in the access log"
    used = upstreams_for(cluster, key)
    assert len(used) > 10 and len(set(used)) == 1, f"one visitor's requests went to {set(used)}"
