"""Many users at once: start the app, drive N concurrent sessions that each make M
filter changes, and print the errors, the time per interaction and the server's peak
memory.

    python scripts/load_test.py                      # 20 websocket sessions x 20 changes
    python scripts/load_test.py --mode browser --sessions 5
    python scripts/load_test.py --snapshot /path/to/snapshot
    python scripts/load_test.py --replicas 2         # 2 app processes behind nginx (deploy/)

Two modes:

- ``ws`` (default): three real browser sessions (Playwright, Debian chromium) make the
  changes through the UI while their websocket messages are recorded; then N
  concurrent websocket sessions replay exactly those messages (the page load, then one
  rerun per change) against the server. An interaction's time runs from sending the
  message to the server's ``script_finished``. This measures the server: on a 2-core
  machine, 20 Chromium pages would use most of the CPU themselves.
- ``browser``: N Chromium contexts click through the UI (Period, Models, Lab country,
  Top N, page switches). An interaction's time runs from the click until the script
  run it caused has finished and been drawn (``data-test-script-state`` back to
  ``notRunning``, no loading placeholders left).

An error is an interaction that did not finish within --timeout seconds, an exception
on the page, a script that did not finish successfully, a JavaScript error, a lost
connection, or a traceback in the server's log. Peak memory is the server process's
VmHWM from /proc (its resident-set high-water mark), with VmRSS sampled every 0.5 s.
The CPU line says how busy the server and the whole machine were.

``--replicas N`` starts N app processes behind Debian's nginx with the deployment's
config (deploy/nginx.conf.template, sticky sessions) and drives the load through nginx;
CPU is then the replicas' total, memory the largest replica's peak, and the sessions
each replica served are counted from nginx's access log.

Not part of the test run (it takes two to three minutes). Uses ports 8520-8539 (and
8540-8559 for nginx)."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e import server as srv  # noqa: E402  (server start/stop, chromium flags, waits)


@dataclass
class SessionResult:
    index: int
    load_s: float | None = None
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- interactions
#
# Each performs one change through the UI, as a person would, and always changes
# something whatever state the session is in (so every action causes a script run).
# They cycle, each session from its own offset, so sessions visit Share, Race and
# Countries with varied filters at the same time.

PAGES = ["Share", "Race", "Countries"]


async def next_grain(page) -> None:
    box = page.locator(".st-key-grain [data-testid='stSelectbox']")
    current = await box.locator("input[role='combobox']").input_value()
    order = ["day", "week", "month"]
    target = order[(order.index(current) + 1) % 3] if current in order else "month"
    await box.click()
    await page.get_by_role("option", name=target, exact=True).click()


async def next_openness(page) -> None:
    options = page.locator(".st-key-openness [data-testid='stRadioOption']")
    n = await options.count()
    selected = [await options.nth(i).get_attribute("data-selected") == "true" for i in range(n)]
    current = selected.index(True) if True in selected else 0
    await options.nth((current + 1) % n).click()


async def selected_countries(page) -> list[str]:
    tags = page.locator("[data-testid='stSidebar'] .st-key-country [data-testid='stMultiSelect'] [data-tag]")
    return [await t.get_attribute("aria-label") for t in await tags.all()]


async def toggle_country(page, code: str) -> None:
    box = page.locator("[data-testid='stSidebar'] .st-key-country")
    if code in await selected_countries(page):
        await box.get_by_role("button", name=f"Remove {code}", exact=True).click()
    else:
        await box.locator("[data-testid='stMultiSelect'] input").click()
        option = page.get_by_role("option", name=code, exact=True)
        await option.scroll_into_view_if_needed()
        await option.click()
        await page.keyboard.press("Escape")


async def clear_countries(page) -> None:
    if await selected_countries(page):
        await page.locator("[data-testid='stSidebar'] .st-key-country").get_by_role("button", name="Clear all").click()
    else:
        await toggle_country(page, "US")


async def top_n(page, key: str) -> None:
    thumb = page.locator(".st-key-top input[type='range']")
    value = int(await thumb.input_value() or 10)
    if (key == "ArrowRight" and value >= 25) or (key == "ArrowLeft" and value <= 3):
        key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    await thumb.focus()
    await page.keyboard.press(key)


async def next_page(page) -> None:
    nav = page.locator("[data-testid='stSidebarNav']")
    current = (await nav.locator("a[aria-current='page']").inner_text()).strip()
    target = PAGES[(PAGES.index(current) + 1) % len(PAGES)] if current in PAGES else "Share"
    await nav.get_by_role("link", name=target, exact=True).click()


ACTIONS = [
    ("Period", next_grain),
    ("country US", lambda p: toggle_country(p, "US")),
    ("Models", next_openness),
    ("page", next_page),
    ("Period", next_grain),
    ("country CN", lambda p: toggle_country(p, "CN")),
    ("Top N +1", lambda p: top_n(p, "ArrowRight")),
    ("page", next_page),
    ("Models", next_openness),
    ("clear countries", clear_countries),
    ("Top N -1", lambda p: top_n(p, "ArrowLeft")),
    ("page", next_page),
]


async def wait_ready(page, before, timeout_s: float) -> None:
    """``before``: [runs, websocket messages] from ``runs()`` (0 for a page load): see
    srv.READY_JS (a rerun drawn in one batch is over once the server has gone quiet)."""
    await page.wait_for_function(srv.READY_JS, arg=[0, 0] if before == 0 else before, timeout=timeout_s * 1000)


async def runs(page) -> list[int]:
    return await page.evaluate("[window.__tsRuns || 0, window.__tsWsIn || 0]")


async def run_session(browser, url: str, index: int, changes: int, timeout_s: float,
                      start_gate: asyncio.Event, debug_dir: Path | None = None) -> SessionResult:
    res = SessionResult(index)
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1400})
    await ctx.add_init_script(srv.RUN_COUNTER_JS)
    page = await ctx.new_page()
    page.on("pageerror", lambda exc: res.errors.append(f"javascript error: {exc}"))
    await start_gate.wait()
    try:
        t0 = time.perf_counter()
        await page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
        await wait_ready(page, 0, timeout_s)
        res.load_s = time.perf_counter() - t0
        for i in range(changes):
            name, action = ACTIONS[(i + index) % len(ACTIONS)]
            try:
                before = await runs(page)
                t0 = time.perf_counter()
                await action(page)
                await wait_ready(page, before, timeout_s)
                res.times.append(time.perf_counter() - t0)
                if await page.locator(srv.EXCEPTION).count():
                    text = (await page.locator(srv.EXCEPTION).first.inner_text())[:200]
                    res.errors.append(f"change {i + 1} ({name}): exception on the page: {text}")
                state = await page.locator("[data-testid='stApp']").get_attribute("data-test-connection-state")
                if state not in (None, "CONNECTED"):
                    res.errors.append(f"change {i + 1} ({name}): connection {state}")
            except Exception as exc:  # noqa: BLE001 - every failure is a reported error
                res.errors.append(f"change {i + 1} ({name}): {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
                if debug_dir:
                    stem = debug_dir / f"session{index}-change{i + 1}"
                    await page.screenshot(path=f"{stem}.png", full_page=True)
                    Path(f"{stem}.html").write_text(await page.content(), encoding="utf-8")
                await page.keyboard.press("Escape")
    except Exception as exc:  # noqa: BLE001
        res.errors.append(f"page load: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await ctx.close()
    return res


# --------------------------------------------------------------------------- websocket mode
#
# Chromium on the same 2 cores spends far more CPU drawing 20 pages than the server
# spends serving them, so the browser mode measures the browser. The websocket mode
# records what a real browser sends (the rerun messages of one session doing the same
# changes, through the UI), then replays those exact messages from N concurrent
# websocket sessions, timing each from the send until the server's script_finished.


async def record_session(browser, url: str, changes: int, offset: int, timeout_s: float,
                         actions: list | None = None) -> list[bytes]:
    """One browser session doing ``changes`` changes from ``actions`` (default ACTIONS)
    starting at ``offset``; returns the rerun_script BackMsgs it sent, the first being
    the page load. (The bench's server CPU figure records its own actions with this.)"""
    actions = actions or ACTIONS
    from streamlit.proto.BackMsg_pb2 import BackMsg

    sent: list[bytes] = []
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1400})
    await ctx.add_init_script(srv.RUN_COUNTER_JS)
    page = await ctx.new_page()
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f if isinstance(f, bytes) else f.encode())))
    try:
        await page.goto(url, wait_until="domcontentloaded")
        await wait_ready(page, 0, timeout_s)
        for i in range(changes):
            name, action = actions[(i + offset) % len(actions)]
            before = await runs(page)
            await action(page)
            await wait_ready(page, before, timeout_s)
    finally:
        await ctx.close()
    out = []
    for raw in sent:
        msg = BackMsg()
        msg.ParseFromString(raw)
        if msg.WhichOneof("type") == "rerun_script":
            # the replaying clients hold no cached messages: ask for everything
            del msg.rerun_script.cached_message_hashes[:]
            out.append(msg.SerializeToString())
    return out


async def replay_session(ws_url: str, origin: str, script: list[bytes], index: int, timeout_s: float,
                         start_gate: asyncio.Event) -> SessionResult:
    import websockets
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    res = SessionResult(index)
    await start_gate.wait()
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], origin=origin,
                                      max_size=None, open_timeout=timeout_s) as ws:
            for i, raw in enumerate(script):
                t0 = time.perf_counter()
                await ws.send(raw)
                deadline = t0 + timeout_s
                while True:
                    left = deadline - time.perf_counter()
                    if left <= 0:
                        raise TimeoutError(f"no script_finished within {timeout_s:.0f} s")
                    data = await asyncio.wait_for(ws.recv(), timeout=left)
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    kind = msg.WhichOneof("type")
                    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                            and msg.delta.new_element.WhichOneof("type") == "exception":
                        exc = msg.delta.new_element.exception
                        res.errors.append(f"message {i}: exception on the page: {exc.type}: {exc.message[:200]}")
                    elif kind == "script_finished":
                        status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                        if status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY",
                                          "FINISHED_EARLY_FOR_RERUN"):
                            res.errors.append(f"message {i}: script finished with {status}")
                        break
                elapsed = time.perf_counter() - t0
                if i == 0:
                    res.load_s = elapsed
                else:
                    res.times.append(elapsed)
    except Exception as exc:  # noqa: BLE001 - every failure is a reported error
        res.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}")
    return res


async def drive_ws(url: str, sessions: int, changes: int, timeout_s: float, server_pid: int | list[int],
                   scripts: int = 3) -> tuple[list[SessionResult], float, float, int, dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=srv.CHROMIUM, args=srv.CHROMIUM_ARGS, headless=True)
        try:
            t0 = time.perf_counter()
            recorded = [await record_session(browser, url, changes, k * 4, timeout_s) for k in range(scripts)]
            cold = time.perf_counter() - t0
        finally:
            await browser.close()
    ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
    origin = url.rstrip("/")
    gate = asyncio.Event()
    tasks = [asyncio.create_task(replay_session(ws_url, origin, recorded[i % scripts], i, timeout_s, gate))
             for i in range(sessions)]
    await asyncio.sleep(0.2)
    cpu = {"server": cpu_seconds(server_pid), "machine": machine_cpu_seconds(), "self": _own_cpu()}
    t0 = time.perf_counter()
    gate.set()
    results = await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    cpu = {"server": cpu_seconds(server_pid) - cpu["server"], "machine": machine_cpu_seconds() - cpu["machine"],
           "self": _own_cpu() - cpu["self"], "elapsed": wall}
    return results, cold, wall, sum(len(r) - 1 for r in recorded), cpu


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system


class MemorySampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_rss = 0
        self.hwm = 0
        self.stop_event = threading.Event()

    def run(self):
        while not self.stop_event.is_set():
            try:
                rss, hwm = srv.rss_kib(self.pid)
                self.peak_rss, self.hwm = max(self.peak_rss, rss), max(self.hwm, hwm)
            except OSError:
                return
            self.stop_event.wait(self.every)


def cpu_seconds(pid: int | list[int]) -> float:
    """User + system CPU time of a process (and its waited-for children) so far; the
    sum over several processes when given a list."""
    if isinstance(pid, list):
        return sum(cpu_seconds(p) for p in pid)
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU time spent by the whole machine (all cores, not idle) so far."""
    with open("/proc/stat") as fh:
        parts = [int(x) for x in fh.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return (sum(parts[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def drive(url: str, sessions: int, changes: int, timeout_s: float,
                debug_dir: Path | None = None) -> tuple[list[SessionResult], float, float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=srv.CHROMIUM, args=srv.CHROMIUM_ARGS, headless=True)
        try:
            # one visit first, so the figures are for a warm server (the cold start is
            # reported on its own)
            ctx = await browser.new_context()
            await ctx.add_init_script(srv.RUN_COUNTER_JS)
            page = await ctx.new_page()
            t0 = time.perf_counter()
            await page.goto(url, wait_until="domcontentloaded")
            await wait_ready(page, 0, timeout_s)
            cold = time.perf_counter() - t0
            await ctx.close()

            gate = asyncio.Event()
            tasks = [asyncio.create_task(run_session(browser, url, i, changes, timeout_s, gate, debug_dir)) for i in range(sessions)]
            await asyncio.sleep(0.5)  # let every context open, then start them together
            t0 = time.perf_counter()
            gate.set()
            results = await asyncio.gather(*tasks)
            wall = time.perf_counter() - t0
        finally:
            await browser.close()
    return results, cold, wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--changes", type=int, default=20)
    ap.add_argument("--snapshot", help="snapshot folder (default: TOKENSHARE_SNAPSHOT unset, so the bundled sample)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds one interaction may take before it counts as an error")
    ap.add_argument("--port", type=int, help="default: a free port in 8520-8539")
    ap.add_argument("--debug-dir", type=Path, help="save a screenshot and the HTML of every failed interaction here")
    ap.add_argument("--replicas", type=int, default=0, metavar="N",
                    help="start N app processes behind nginx (deploy/nginx.conf.template, sticky sessions) "
                         "and drive the load through it (default 0: one process, no proxy)")
    ap.add_argument("--mode", choices=["ws", "browser"], default="ws",
                    help="ws (default): replay a real browser's messages from N websocket sessions; "
                         "browser: N Chromium contexts clicking through the UI (on a small machine the "
                         "browsers, not the server, use most of the CPU)")
    args = ap.parse_args(argv)

    if not os.path.exists(srv.CHROMIUM):
        print(f"no chromium at {srv.CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 2
    log = Path(tempfile.mkdtemp(prefix="tokenshare-load-")) / "streamlit.log"
    cluster = None
    if args.replicas:
        from tests.e2e import proxy

        cluster = proxy.start_cluster(args.replicas, srv.server_env(args.snapshot), log.parent / "cluster")
        server, pids = cluster, [r.pid for r in cluster.replicas]
    else:
        server = srv.start_server(srv.server_env(args.snapshot), log, port=args.port)
        pids = [server.pid]
    samplers = [MemorySampler(p) for p in pids]
    for sampler in samplers:
        sampler.start()
    rss_start = max(srv.rss_kib(p)[0] for p in pids)
    cpu0, machine0, wall0 = cpu_seconds(pids), machine_cpu_seconds(), time.monotonic()
    try:
        if args.debug_dir:
            args.debug_dir.mkdir(parents=True, exist_ok=True)
        if args.mode == "browser":
            results, cold, wall = asyncio.run(drive(server.url + "/", args.sessions, args.changes, args.timeout,
                                                    args.debug_dir))
            recorded = None
        else:
            results, cold, wall, recorded, cpu = asyncio.run(drive_ws(server.url + "/", args.sessions, args.changes,
                                                                      args.timeout, pids))
    finally:
        try:
            rss_end, hwm = (max(v) for v in zip(*(srv.rss_kib(p) for p in pids)))
            server_cpu = cpu_seconds(pids) - cpu0
        except OSError:
            rss_end, hwm, server_cpu = 0, 0, float("nan")
        machine_cpu, elapsed = machine_cpu_seconds() - machine0, time.monotonic() - wall0
        own_cpu = None
        if args.mode == "ws" and "cpu" in locals():
            # only the replay phase (not the recording in Chromium)
            server_cpu, machine_cpu, elapsed, own_cpu = cpu["server"], cpu["machine"], cpu["elapsed"], cpu["self"]
        for sampler in samplers:
            sampler.stop_event.set()
        server.stop()

    times = [t for r in results for t in r.times]
    loads = [r.load_s for r in results if r.load_s is not None]
    errors = [(r.index, e) for r in results for e in r.errors]
    server_errors = [ln for ln in server.log().splitlines() if "Traceback" in ln or " ERROR " in ln]
    peak = max([hwm] + [max(s.hwm, s.peak_rss) for s in samplers])

    how = ("browser contexts clicking through the UI" if args.mode == "browser" else
           f"websocket sessions replaying {recorded} recorded rerun messages from 3 browser runs")
    print(f"tokenshare load test: {args.sessions} sessions x {args.changes} filter changes, {how}, "
          f"{os.cpu_count()} CPUs, snapshot {args.snapshot or 'bundled sample'}")
    if args.mode == "browser":
        print(f"  cold first page load  {cold:6.2f} s (one visitor, before the sessions start)")
    else:
        print(f"  recording             {cold:6.2f} s (3 browser sessions, one after the other, before the load)")
    print(f"  page load, {len(loads)} at once  p50 {pct(loads, 50):6.2f} s   p95 {pct(loads, 95):6.2f} s   max {max(loads, default=float('nan')):6.2f} s")
    print(f"  per interaction       p50 {pct(times, 50):6.2f} s   p95 {pct(times, 95):6.2f} s   max {max(times, default=float('nan')):6.2f} s"
          f"   ({len(times)} completed of {args.sessions * args.changes})")
    print(f"  throughput            {len(times) / wall:6.1f} interactions/s over {wall:.1f} s")
    ncpu = os.cpu_count() or 1
    print(f"  CPU                   server {server_cpu:.0f} s ({100 * server_cpu / elapsed / ncpu:.0f}% of the machine), "
          + (f"this script's websocket clients {own_cpu:.0f} s, " if own_cpu is not None else "")
          + f"whole machine {100 * machine_cpu / elapsed / ncpu:.0f}% busy over {elapsed:.0f} s"
          + (" (the rest: chromium and other load)" if own_cpu is None else ""))
    if cluster is not None:
        per_replica = {cluster.upstream_of(r): 0 for r in cluster.replicas}
        for e in cluster.log_entries():
            if e["request"].startswith("GET /_stcore/stream") and e["upstream"] in per_replica:
                per_replica[e["upstream"]] += 1
        print(f"  replicas              {len(pids)} behind nginx (sticky cookie); websocket sessions per replica (recording included): "
              + ", ".join(str(v) for v in per_replica.values()) + "; CPU and memory below: all replicas")
    print(f"  server memory         {rss_start / 1024:6.0f} MiB at start, {rss_end / 1024:.0f} MiB at end, peak {peak / 1024:.0f} MiB (VmHWM)")
    print(f"  errors                {len(errors)} in the sessions, {len(server_errors)} in the server log")
    for index, e in errors[:30]:
        print(f"    session {index}: {e}")
    for ln in server_errors[:10]:
        print(f"    server: {ln}")
    if errors or server_errors:
        print(f"  server log: {log}")
    return 1 if errors or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
