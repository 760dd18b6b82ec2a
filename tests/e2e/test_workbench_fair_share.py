"""Issue 26, item 4, against a real ``streamlit run app.py`` (on the tiny snapshot) with
its real workbench workers: eight sessions (tests/e2e/ws_sessions.py: real Streamlit
sessions over the app's websocket, without a browser each) run a heavy workbench query
(to the 5 s time limit) and ask again 0.2 s after each run has finished. Meanwhile a bystander's
``SELECT 1`` page must show its answer within BYSTANDER_BOUND_S of the same page's time
when quiet, and the Share page must
load within SHARE_FACTOR times its quiet time, measured in the same test before and after
the attack (median of those 2 x
LOADS loads). A "load" is navigation to the app's last DOM change once the app is idle
(script not running, no skeletons, the DOM quiet for QUIET_S); the time of that last
change, not of noticing the quiet, is the figure. The figures are printed with the
machine's load average (docs/security.md quotes them)."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from tests.e2e import server as srv
from tests.hostile import tried
from tests.e2e.ws_sessions import Hammer

pytestmark = pytest.mark.browser

HEAVY = "SELECT count(*) FROM range(10000000000000) a"
SESSIONS = 8
LOADS = 3
SHARE_FACTOR = 1.5
BYSTANDER_BOUND_S = 3.0
QUIET_S = 0.5
# Until each heavy session has run once (0.5 s on the lane kept for short queries, in
# turn) and is known heavy; before that a newcomer waits behind them (docs/workbench.md).
SETTLE_S = max(6.0, 0.5 * SESSIONS + 3)

LAST_CHANGE_JS = """
(() => {
  window.__tsLastChange = 0;
  new MutationObserver(() => { window.__tsLastChange = performance.now(); }).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
})();
"""
QUIET_JS = "(q) => performance.now() - (window.__tsLastChange || 0) > q"


@pytest.fixture
def own_server(tiny_for_browser, tmp_path):
    server = srv.start_server(srv.server_env(tiny_for_browser.path), tmp_path / "streamlit.log")
    yield server
    server.stop()


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return out


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load_avg() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def load_s(context_factory, url: str) -> float:
    """Seconds from navigation to the page's last DOM change, once the app is idle and quiet."""
    ctx = context_factory()
    ctx.add_init_script(LAST_CHANGE_JS)
    page = ctx.new_page()
    srv.open_page(page, url)
    page.wait_for_function(QUIET_JS, arg=QUIET_S * 1000, timeout=60_000)
    srv.wait_idle(page)
    assert page.locator(srv.EXCEPTION).count() == 0
    took = page.evaluate("window.__tsLastChange") / 1000
    ctx.close()
    return took


def select_one_s(context_factory, base: str) -> float:
    """Seconds from navigation to a bystander's ``SELECT 1`` answer on the page."""
    ctx = context_factory()
    page = ctx.new_page()
    t0 = time.monotonic()
    page.goto(f"{base}/workbench?sql={quote('SELECT 1 AS one')}", wait_until="commit")
    answer = page.get_by_text("1 row").or_(page.locator(srv.ALERT, has_text="ry again"))
    answer.first.wait_for(timeout=30_000)
    took = time.monotonic() - t0
    assert page.get_by_text("1 row").count(), f"the bystander was refused: {srv.alerts(page)}"
    ctx.close()
    return took


def test_eight_heavy_sessions_leave_select_one_and_the_share_page_fast(own_server, context_factory):
    t_start = time.monotonic()
    base = own_server.url
    load_s(context_factory, f"{base}/share")  # the first load builds the derived database
    select_one_s(context_factory, base)  # the workbench's pool starts with its first visit
    deadline = time.monotonic() + 30
    while len(_children(own_server.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)  # every worker warm, as on a server whose workbench has been used
    quiet = [load_s(context_factory, f"{base}/share") for _ in range(LOADS)]
    quiet_select = select_one_s(context_factory, base)

    hammer = Hammer(base, "workbench", urlencode({"sql": HEAVY}), SESSIONS)
    hammer.start()
    time.sleep(SETTLE_S)
    workers = _children(own_server.pid)
    cpu0 = {p: _cpu_s(p) for p in [own_server.pid, *workers]}
    t0 = time.monotonic()
    busy, selects = [], []
    for _ in range(LOADS):
        busy.append(load_s(context_factory, f"{base}/share"))
        selects.append(select_one_s(context_factory, base))
    span = time.monotonic() - t0
    cpu = {p: _cpu_s(p) - c for p, c in cpu0.items()}
    hammer.stop()
    # quiet again after the attack: the quiet time is the median of the loads on both sides
    # of it, so other work on the machine (CI's second test worker) weighs on both figures
    # alike (CI once read 1.65x against quiet loads taken only before it)
    quiet += [load_s(context_factory, f"{base}/share") for _ in range(LOADS)]

    q, b = statistics.median(quiet), statistics.median(busy)
    server_cpu = cpu.pop(own_server.pid)
    print(f"\n{SESSIONS} heavy workbench sessions (their runs: {dict(hammer.outcomes)}): Share page quiet "
          + ", ".join(f"{x:.2f}" for x in quiet) + f" s (median {q:.2f}); busy "
          + ", ".join(f"{x:.2f}" for x in busy) + f" s (median {b:.2f}, {b / q:.2f}x); bystander SELECT 1 page "
          + ", ".join(f"{x:.2f}" for x in selects) + f" s (quiet {quiet_select:.2f} s); over {span:.1f} s the server "
          f"used {server_cpu:.1f} CPU-s and the workers {sum(cpu.values()):.1f}; {_load_avg()}; "
          f"test {time.monotonic() - t_start:.0f} s")
    assert not hammer.errors, hammer.errors
    assert sum(hammer.outcomes.values()) >= SESSIONS, "every heavy session's query ran"
    # the workbench's own wait: a SELECT 1 page under load within BYSTANDER_BOUND_S of the
    # same page when quiet (on an idle machine that page takes well under a second; on a
    # machine other work has loaded, the page's own time would be counted twice)
    assert max(selects) < BYSTANDER_BOUND_S + quiet_select
    assert b <= SHARE_FACTOR * q
    tried("workbench", SESSIONS)
