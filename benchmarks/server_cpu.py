"""Server CPU per rerun, through a real ``streamlit run`` server driven over its websocket.

For the trivial one-chart app (``trivial_app.py``) and then every page of ``app.py``:
one Chromium session (Playwright, Debian's chromium) opens the page and makes
``changes`` changes to the sidebar's filters through the UI while its websocket
messages are recorded (scripts/load_test.py's recorder); then one websocket session
replays exactly those messages (the page load, then one rerun per change), once as a
warm-up and then ``passes`` times, each message timed from the send to the server's
``script_finished``. The figure is the server process's CPU time (user + system, every
thread: script runs and the event loop that serialises and sends the messages) over
the timed passes, divided by the reruns. The replayed filter settings were already run
once by the recording, so the query cache is warm, as it is for the load test's
sessions: this is what a rerun costs the server when its data is at hand (the AppTest
warm figures are the reruns that miss the cache).

With ``profile``, a second series of passes runs under py-spy (sampling the server,
non-blocking) and each sample is put in one bucket by ``profile_split``."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO_ROOT, discover_pages, select_pages
from benchmarks.profile_split import busy, read_raw, split

TRIVIAL_APP = Path(__file__).with_name("trivial_app.py")
TRIVIAL = "trivial one-chart app"


def _load_test():
    """scripts/load_test.py as a module (a script, not a package)."""
    mod = sys.modules.get("tokenshare_load_test")
    if mod is None:
        spec = importlib.util.spec_from_file_location("tokenshare_load_test", REPO_ROOT / "scripts" / "load_test.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules["tokenshare_load_test"] = mod
        spec.loader.exec_module(mod)
    return mod


def page_actions():
    """The load test's sidebar changes, without its page switches: every change reruns
    the page being measured."""
    return [a for a in _load_test().ACTIONS if a[0] != "page"]


def trivial_actions():
    return [("Period", _load_test().next_grain)]


async def _record(url: str, actions, changes: int, timeout_s: float) -> list[bytes]:
    from playwright.async_api import async_playwright

    lt = _load_test()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=lt.srv.CHROMIUM, args=lt.srv.CHROMIUM_ARGS, headless=True)
        try:
            return await lt.record_session(browser, url, changes, 0, timeout_s, actions=actions)
        finally:
            await browser.close()


async def _replay(url: str, script: list[bytes], passes: int, timeout_s: float) -> tuple[list[float], list[str]]:
    """Send ``script`` ``passes`` times over one websocket session to the server at
    ``url`` (its root), each message after
    the previous one's script_finished; returns the seconds per message and the errors."""
    import websockets
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    times, errors = [], []
    async with websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  origin=url,
                                  max_size=None, open_timeout=timeout_s) as ws:
        for _ in range(passes):
            for i, raw in enumerate(script):
                t0 = time.perf_counter()
                await ws.send(raw)
                while True:
                    left = t0 + timeout_s - time.perf_counter()
                    if left <= 0:
                        raise TimeoutError(f"no script_finished within {timeout_s:.0f} s")
                    msg = ForwardMsg()
                    msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=left))
                    kind = msg.WhichOneof("type")
                    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                            and msg.delta.new_element.WhichOneof("type") == "exception":
                        exc = msg.delta.new_element.exception
                        errors.append(f"message {i}: {exc.type}: {exc.message[:200]}")
                    elif kind == "script_finished":
                        status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                        if status not in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
                            errors.append(f"message {i}: script finished with {status}")
                        break
                times.append(time.perf_counter() - t0)
    return times, errors


def _page_root(url: str) -> str:
    return "/".join(url.split("/", 3)[:3])


def _py_spy(pid: int, out: Path) -> subprocess.Popen:
    return subprocess.Popen(["py-spy", "record", "--pid", str(pid), "--rate", "250", "--nonblocking",
                             "--format", "raw", "--output", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def measure(url: str, server_pid: int, actions, *, changes: int, passes: int, timeout_s: float = 60.0,
            profile_dir: Path | None = None, name: str = "page") -> dict:
    """Record ``changes`` changes on ``url``, then replay them (see the module docstring)."""
    lt = _load_test()
    rec: dict = {"url": url}
    script = asyncio.run(_record(url, actions, changes, timeout_s))
    rec["reruns_recorded"] = len(script)
    root = _page_root(url)
    asyncio.run(_replay(root, script, 1, timeout_s))  # warm-up: compiled scripts, caches
    cpu0, t0 = lt.cpu_seconds(server_pid), time.perf_counter()
    times, errors = asyncio.run(_replay(root, script, passes, timeout_s))
    cpu, wall = lt.cpu_seconds(server_pid) - cpu0, time.perf_counter() - t0
    n = len(times)
    rec.update(reruns=n, cpu_ms=round(1000 * cpu / n, 1), wall_ms=round(1000 * wall / n, 1),
               p50_ms=round(1000 * lt.pct(times, 50), 1), errors=errors,
               load=round(os.getloadavg()[0], 2))
    if profile_dir is not None:
        out = profile_dir / f"{name}.txt"
        spy = _py_spy(server_pid, out)
        time.sleep(1.0)  # py-spy attaches
        asyncio.run(_replay(root, script, passes, timeout_s))
        spy.send_signal(signal.SIGINT)
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
        if out.is_file():
            stacks = read_raw(out)
            rec["profile"] = split(stacks)
            rec["profile_samples"] = busy(stacks)
        else:
            rec["profile_error"] = (spy.stderr.read().decode(errors="replace") if spy.stderr else "")[-300:]
    return rec


def run(*, snapshot: str | None = None, pages: list[dict] | None = None, changes: int = 8, passes: int = 3,
        profile: bool = False, log=print) -> dict:
    """The trivial app, then every page of app.py (or ``pages``), each through a real
    server. Both servers run one after the other, never at once."""
    lt = _load_test()
    srv = lt.srv
    if not os.path.exists(srv.CHROMIUM):
        return {"skipped": f"no chromium at {srv.CHROMIUM} (apt-get install chromium)"}
    if pages is None:
        pages = list({p["path"]: p for p in discover_pages()}.values())
    profile_dir = Path(tempfile.mkdtemp(prefix="tokenshare-profile-")) if profile else None
    out: dict = {"changes": changes, "passes": passes, "load_before": round(os.getloadavg()[0], 2), "pages": {}}
    logs = Path(tempfile.mkdtemp(prefix="tokenshare-bench-server-"))
    env = srv.server_env(snapshot)

    log(f"[server] {TRIVIAL}: record {changes} changes, replay {passes}x…")
    server = srv.start_server(env, logs / "trivial.log", app=TRIVIAL_APP, cwd=TRIVIAL_APP.parent)  # Streamlit's defaults
    try:
        out["trivial"] = measure(server.url + "/", server.pid, trivial_actions(), changes=changes, passes=passes,
                                 profile_dir=profile_dir, name="trivial")
    except Exception as exc:  # noqa: BLE001 - reported; the pages are still measured
        out["trivial"] = {"errors": [f"{type(exc).__name__}: {exc}"[:300]]}
    finally:
        server.stop()

    server = srv.start_server(env, logs / "app.log")
    try:
        for page in pages:
            log(f"[server] {page['title']}: record {changes} changes, replay {passes}x…")
            url = f"{server.url}/{page['url_path']}"
            try:
                out["pages"][page["path"]] = {"title": page["title"], **measure(
                    url, server.pid, page_actions(), changes=changes, passes=passes,
                    profile_dir=profile_dir, name=Path(page["path"]).stem)}
            except Exception as exc:  # noqa: BLE001 - a page that cannot be driven is reported
                out["pages"][page["path"]] = {"title": page["title"], "errors": [f"{type(exc).__name__}: {exc}"[:300]]}
    finally:
        server.stop()
    tracebacks = [ln for ln in server.log().splitlines() if "Traceback" in ln]
    out["server_log_errors"] = len(tracebacks)
    out["load_after"] = round(os.getloadavg()[0], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.server_cpu [--pages share race] [--profile]``: this part of
    the bench alone, printed as the bench prints it."""
    import argparse

    from benchmarks.report import render_server

    ap = argparse.ArgumentParser(prog="python -m benchmarks.server_cpu", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", nargs="+", default=None, metavar="PAGE")
    ap.add_argument("--changes", type=int, default=8)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="also split each page's CPU with py-spy")
    ap.add_argument("--snapshot", default=None)
    a = ap.parse_args(argv)
    pages = list({p["path"]: p for p in discover_pages()}.values())
    if a.pages:
        pages = select_pages(pages, a.pages)
    res = run(snapshot=a.snapshot, pages=pages, changes=a.changes, passes=a.passes, profile=a.profile,
              log=lambda m: print(m, file=sys.stderr, flush=True))
    print("\n".join(render_server(res)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
