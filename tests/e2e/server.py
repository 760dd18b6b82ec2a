"""Start and stop a real ``streamlit run app.py`` for the browser tests and the load
script, and the few Playwright helpers both need (waiting for the app to be idle,
reading filter values and headline figures)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"

# Ports reserved for servers this suite and the load script start.
PORTS = range(8520, 8540)

CHROMIUM = os.environ.get("TOKENSHARE_CHROMIUM", "/usr/bin/chromium")
# Debian's chromium as root, on a network that refuses Google's hosts: no sandbox, no
# GPU, and none of the background traffic that would otherwise hang or log errors.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHARTS = "[data-testid='stVegaLiteChart']"
DRAWN_CHARTS = f"{CHARTS} canvas, {CHARTS} svg"
EXCEPTION = "[data-testid='stException']"
ALERT = "[data-testid='stAlert']"
METRIC_VALUE = "[data-testid='stMetricValue']"

# Counts every script run the browser sees finish (the attribute going back to
# notRunning), so a test can wait for *the* rerun its click caused rather than
# mistaking the idle state before the rerun started for the end of it. A fast rerun on
# a busy machine can reach the page as one batch of websocket messages that React draws
# in one go: the attribute then never leaves notRunning and the counter misses the run.
# So the script also counts the messages the server sends and when the last one came:
# any rerun starts with a message, and a run is over once the server has gone quiet
# with the app notRunning.
RUN_COUNTER_JS = """
(() => {
  window.__tsRuns = 0;
  window.__tsWsIn = 0;
  window.__tsWsLast = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        window.__tsWsIn += 1;
        window.__tsWsLast = performance.now();
      });
    }
  };
  let last = null;
  const watch = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) return;
    const s = app.getAttribute('data-test-script-state');
    if (s !== last) {
      if (s === 'notRunning' && last !== null) window.__tsRuns += 1;
      last = s;
    }
  };
  new MutationObserver(watch).observe(document, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ['data-test-script-state'],
  });
})();
"""


def ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def free_port(ports=PORTS) -> int:
    # In random order: two test runs on one machine (or a server still closing) would
    # otherwise race for the same first free port.
    for port in random.sample(list(ports), len(ports)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        # IPv6 too: streamlit listens on ::
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s6:
                s6.bind(("::1", port))
        except OSError as exc:
            if exc.errno != 99:  # EADDRNOTAVAIL: no IPv6 here, fine
                continue
        return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


@dataclass
class Server:
    """A running ``streamlit run app.py``; ``stop()`` ends it (and only it)."""

    port: int
    proc: subprocess.Popen
    log_path: Path
    env: dict = field(repr=False, default_factory=dict)
    fresh: bool = True  # no page requested yet: the next request is a cold start

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            # streamlit runs in its own process group: signal the group, not a name.
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def server_env(snapshot: str | Path | None, extra: dict | None = None) -> dict:
    """The environment for a server: TOKENSHARE_SNAPSHOT set to ``snapshot`` or unset
    (the app then opens data/snapshots/ or the bundled sample)."""
    env = dict(os.environ)
    env.pop("TOKENSHARE_SNAPSHOT", None)
    if snapshot is not None:
        env["TOKENSHARE_SNAPSHOT"] = str(snapshot)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def health_ok(base_url: str, timeout: float = 2.0) -> bool:
    """Whether ``base_url``'s ``/_stcore/health`` answers "ok" now (a Streamlit server, or
    nginx in front of replicas); no answer yet is False."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout) as r:
            return r.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_server(env: dict, log_path: Path, *, port: int | None = None, timeout: float = 60.0,
                 extra_args: tuple[str, ...] = (), app: Path = APP, cwd: Path = ROOT) -> Server:
    """``python -m streamlit run app.py`` (or ``app``, run from ``cwd``, whose
    ``.streamlit/`` Streamlit reads) headless on a free port, waiting until
    ``/_stcore/health`` says ok. Only the health endpoint is requested, so the first
    page request is the caller's. A port taken between choosing it and streamlit binding
    it (another test run's server) means another try on another port."""
    for attempt in range(5):
        try:
            return _start_server(env, log_path, port=port or free_port(), timeout=timeout,
                                 extra_args=extra_args, app=app, cwd=cwd)
        except PortTaken:
            if port is not None or attempt == 4:
                raise


class PortTaken(RuntimeError):
    pass


def _start_server(env: dict, log_path: Path, *, port: int, timeout: float,
                  extra_args: tuple[str, ...], app: Path, cwd: Path) -> Server:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *extra_args,
    ]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    log.close()
    server = Server(port, proc, log_path, env)
    deadline = time.monotonic() + timeout
    while True:
        if f"Port {port} is not available" in server.log():
            server.stop()
            raise PortTaken(f"port {port} was taken before streamlit could bind it")
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{server.log()[-3000:]}")
        # Only our own server counts: its log names the address once it listens (a
        # health answer alone may come from another run's server on the port).
        if health_ok(server.url) and f":{port}" in server.log():
            return server
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"streamlit did not answer /_stcore/health in {timeout:.0f}s:\n{server.log()[-3000:]}")
        time.sleep(0.2)


def rss_kib(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a process in KiB from /proc/<pid>/status."""
    cur = peak = 0
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return cur, peak


# --------------------------------------------------------------------------- browser


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def new_context(browser, **kw):
    kw.setdefault("viewport", {"width": 1400, "height": 1000})
    kw.setdefault("accept_downloads", True)
    ctx = browser.new_context(**kw)
    ctx.add_init_script(RUN_COUNTER_JS)
    return ctx


# The script run has ended AND the browser has drawn its result: lazily loaded
# components (charts, data frames, some widgets) show an stSkeleton placeholder until
# their code has arrived, which can be a second or more after notRunning on a busy box.
# The argument is the run count read before the action (a number), or that count and
# the websocket message count read with it ([runs, messages], from ``runs()``): then a
# run also counts as over when messages came after the mark and none for QUIET_MS.
QUIET_MS = 500
READY_JS = """(mark) => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector("[data-testid='stSkeleton']")) return false;
    const [n, m] = Array.isArray(mark) ? mark : [mark, Infinity];
    if ((window.__tsRuns || 0) > n) return true;
    return (window.__tsWsIn || 0) > m && performance.now() - (window.__tsWsLast || 0) > %d;
}""" % QUIET_MS


class Mark(int):
    """The run count before an action (an int, for comparisons), carrying the
    websocket message count read at the same moment."""

    messages: int

    def __new__(cls, value: int, messages: int):
        mark = super().__new__(cls, value)
        mark.messages = messages
        return mark


def wait_idle(page, timeout: float = 60_000, settle: int = 250) -> None:
    """The app has finished its script run, drawn it, and stays that way a moment."""
    page.wait_for_function(READY_JS, arg=-1, timeout=timeout)
    page.wait_for_timeout(settle)
    page.wait_for_function(READY_JS, arg=-1, timeout=timeout)


def runs(page) -> Mark:
    n, m = page.evaluate("[window.__tsRuns || 0, window.__tsWsIn || 0]")
    return Mark(n, m)


def _state(page) -> str:
    """What the page looked like, for a timeout's message."""
    try:
        return page.evaluate("""() => {
            const app = document.querySelector("[data-testid='stApp']");
            return JSON.stringify({url: location.href,
                state: app && app.getAttribute('data-test-script-state'),
                runs: window.__tsRuns, messages: window.__tsWsIn,
                quiet_ms: Math.round(performance.now() - (window.__tsWsLast || 0)),
                skeletons: document.querySelectorAll("[data-testid='stSkeleton']").length});
        }""")
    except Exception as exc:  # the page itself is gone: say so instead
        return f"(page state unreadable: {exc})"


def wait_rerun(page, before: int, timeout: float = 60_000) -> None:
    """Wait until a script run that started after ``before`` was read has finished
    and been drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    arg = [int(before), before.messages] if isinstance(before, Mark) else int(before)
    try:
        page.wait_for_function(READY_JS, arg=arg, timeout=timeout)
    except PlaywrightTimeout as exc:
        raise AssertionError(f"no finished rerun after mark {arg} in {timeout / 1000:.0f}s: {_state(page)}") from exc


def wait_rerun_if_any(page, before: Mark, start_within: float = 2_000, timeout: float = 60_000) -> bool:
    """After an action that may or may not rerun the app (opening an expander): wait
    ``start_within`` ms for the server to send anything; if it did, wait for that rerun
    to finish. Returns whether there was one."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("(m) => (window.__tsWsIn || 0) > m", arg=before.messages, timeout=start_within)
    except PlaywrightTimeout:
        return False
    wait_rerun(page, before, timeout)
    return True


def open_page(page, url: str, timeout: float = 60_000) -> None:
    """Load ``url`` and wait for the app's first script run to finish. (Before the
    websocket connects, the app already reads notRunning: that is not the end of a run.)"""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_rerun(page, Mark(0, 0), timeout)
    wait_idle(page, timeout)


def wait_charts_drawn(page, at_least: int = 0, timeout: float = 30_000) -> int:
    """At least ``at_least`` Vega-Lite charts are on the page and every one has its
    canvas or SVG; returns how many. The chart component loads after the script run
    ends, so an idle app can still be mounting its charts: wait, settle, and recheck."""
    check = """([charts, n]) => {
        const cs = [...document.querySelectorAll(charts)];
        return cs.length >= n && cs.every(c => c.querySelector('canvas, svg'));
    }"""
    page.wait_for_function(check, arg=[CHARTS, at_least], timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_function(check, arg=[CHARTS, at_least], timeout=timeout)
    return page.locator(CHARTS).count()


def selected(page, key: str) -> list[str]:
    """Values chosen in the sidebar multiselect bound to URL key ``key``."""
    tags = page.locator(f"[data-testid='stSidebar'] .st-key-{key} [data-testid='stMultiSelect'] [data-tag]")
    return [t.get_attribute("aria-label") or "" for t in tags.all()]


def selectbox_value(page, key: str) -> str:
    return page.locator(f".st-key-{key} [data-testid='stSelectbox'] input[role='combobox']").input_value()


def metric_values(page) -> list[str]:
    return [m.inner_text().strip() for m in page.locator(METRIC_VALUE).all()]


def alerts(page) -> list[str]:
    return [a.inner_text() for a in page.locator(ALERT).all()]


def pick_multiselect(page, key: str, value: str) -> None:
    """Choose ``value`` in the sidebar multiselect ``key`` and wait for the rerun."""
    before = runs(page)
    box = page.locator(f"[data-testid='stSidebar'] .st-key-{key} [data-testid='stMultiSelect'] input")
    box.scroll_into_view_if_needed()
    box.click()
    # Typing narrows the list to the match: with a long sidebar the full list may open
    # with no room left below the box, and its options are then never shown.
    box.fill(value)
    page.get_by_role("option", name=value, exact=True).click()
    page.keyboard.press("Escape")
    wait_rerun(page, before)


def pick_selectbox(page, key: str, value: str) -> None:
    before = runs(page)
    page.locator(f".st-key-{key} [data-testid='stSelectbox']").click()
    # the list is virtualised: an option far down is not in the page until the typed
    # text filters the list down to it
    page.keyboard.type(value)
    page.get_by_role("option", name=value, exact=True).click()
    wait_rerun(page, before)
