"""An idle workbench gives its memory back (issue 26, item 4): after ``idle_stop_s``
without a query every worker process is stopped (about 100 MB each), and the next query
starts one again and is answered; queries closer together than that keep them."""

from __future__ import annotations

import os
import time

from tests.polling import wait_until
from tokenshare.engine import workbench as wb

IDLE_S = 2.0


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_idle_workers_stop_and_start_again_on_demand(tiny_db):
    sb = wb.Sandbox(tiny_db, idle_stop_s=IDLE_S)
    try:
        assert sb.run("SELECT 1 AS one").df["one"].iloc[0] == 1
        first = set(sb.worker_pids())
        # busy side: a query every IDLE_S / 2 keeps the workers (more warm meanwhile)
        until = time.monotonic() + IDLE_S * 3
        while time.monotonic() < until:
            sb.run("SELECT 2")
            t0 = time.monotonic()  # the last query's end
            time.sleep(IDLE_S / 2)
        warm = set(sb.worker_pids())
        assert first <= warm, "workers were stopped while queries kept coming"
        # idle side: past IDLE_S without a query, every worker process is gone
        wait_until(lambda: not sb.worker_pids(), seconds=IDLE_S * 3 + 10, what="the idle workers stopped")
        stopped_after = time.monotonic() - t0
        assert stopped_after >= IDLE_S
        assert not any(_alive(p) for p in warm), "a stopped worker's process is still running"
        # on demand: the next query starts a worker and is answered; the rest warm again
        t1 = time.monotonic()
        assert sb.run("SELECT 3 AS three").df["three"].iloc[0] == 3
        woke = time.monotonic() - t1
        assert sb.worker_pids() and not set(sb.worker_pids()) & warm
    finally:
        sb.close()
    print(f"\nidle workers stopped {stopped_after:.1f} s after the last query (idle_stop_s {IDLE_S:g}); "
          f"the next query answered in {woke:.2f} s; load average {os.getloadavg()[0]:.2f}")
