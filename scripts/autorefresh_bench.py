"""How fast the app answers while it refreshes in the background, and after.

    python scripts/autorefresh_bench.py [--delay 4]

Starts the stand-in Data API (tests/openrouter_server.py) and the app, copied to a
temporary folder with a snapshot 10 days old and a key, so the first page view starts
the automatic refresh (25 Data API requests at the real pacing, each answered
``--delay`` seconds late). One Chromium page then switches the Period filter (month,
week, ...) over and over, timing each change until its rerun is drawn: while the
refresh runs, then as many times after it. Prints the medians and 90th percentiles.
Not part of the test run (it takes about two minutes)."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest_openrouter import make_client  # noqa: E402
from tests.e2e import server as srv  # noqa: E402
from tests.data.auto_refresh_child import ONE_RUN  # noqa: E402
from tests.e2e.test_autorefresh import HEADLINE, OLD_UNTIL, YESTERDAY, _copy_app, _start  # noqa: E402
from tests.openrouter_server import API_KEY, FakeOpenRouter  # noqa: E402
from tokenshare.data.refresh.auto import read_status  # noqa: E402
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=4.0, help="seconds each Data API window answers late")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="tokenshare-autorefresh-bench-"))
    app = tmp / "app"
    app.mkdir()
    _copy_app(app)
    folder = app / "data" / "snapshots"
    grains = ["month", "week"]
    turn = [0]

    def change(page) -> float:
        turn[0] += 1
        t0 = time.perf_counter()
        srv.pick_selectbox(page, "grain", grains[turn[0] % 2])
        page.locator(HEADLINE).wait_for()
        return time.perf_counter() - t0

    with FakeOpenRouter(synth_until=OLD_UNTIL) as api:
        with make_client(api) as client:
            run_refresh(RefreshOptions(folder, categories=True, today=OLD_UNTIL + dt.timedelta(days=1)), client=client)
        api.synth_until = YESTERDAY
        api.fault("sleep", seconds=args.delay, times=ONE_RUN)
        env = srv.server_env(None, {"OPENROUTER_API_KEY": API_KEY, "OPENROUTER_BASE_URL": api.base_url,
                                    "TOKENSHARE_AUTO_REFRESH": "1", "NO_PROXY": "127.0.0.1"})
        server = _start(app, env, tmp / "streamlit.log")
        try:
            with sync_playwright() as pw:
                browser = srv.launch_browser(pw)
                page = srv.new_context(browser).new_page()
                srv.open_page(page, server.url + "/")  # starts the refresh
                change(page), change(page)  # warm
                during = []
                while read_status(folder).running:
                    t = change(page)
                    if read_status(folder).running:
                        during.append(t)
                time.sleep(7)  # the page reruns by itself onto the new snapshot
                srv.wait_idle(page)
                after = [change(page) for _ in range(max(len(during), 6))]
        finally:
            server.stop()
    status = read_status(folder)
    for name, xs in (("during the refresh", during), ("after it", after)):
        if xs:
            print(f"{name:>18}: n={len(xs)} median {statistics.median(xs):.2f} s, "
                  f"p90 {sorted(xs)[int(0.9 * (len(xs) - 1))]:.2f} s")
    print(f"refresh: {status.state}, {status.requests} Data API requests, {status.started_at} to {status.finished_at}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
