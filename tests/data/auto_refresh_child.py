"""A separate process running one auto-refresh of a snapshots folder, for the tests of
two processes at once and of a process killed mid-run (tests/data/test_auto_refresh.py).

    python -m tests.data.auto_refresh_child FOLDER BASE_URL TODAY NOW

The key comes from OPENROUTER_API_KEY in the environment, as in a deployment. Pacing
uses a fake clock (no waiting); prints the final status as JSON."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import asdict
from pathlib import Path

from tokenshare.data.refresh.auto import AutoRefresher
from tokenshare.data.openrouter.pacing import Pacer


# One incremental auto-refresh of a snapshot refreshed with categories and segments to 2025-02-20, the
# stand-in then having days to 2025-02-28: 1 usage window (the last 3 days again,
# 2025-02-18, onward) + 12 category weeks + 10 daily segments (5 modalities, 5 context
# buckets; one window each, from 2025-02-18) + 2 language-type weeks (from 2025-02-17)
ONE_RUN = 25


def refresher(folder: Path, base_url: str, today: dt.date, now: dt.datetime, **kw) -> AutoRefresher:
    t = [1000.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        t[0] += s

    client_kw = dict(base_url=base_url, pacer=Pacer(clock=lambda: t[0], sleep=sleep), sleep=sleep,
                     backoff_factor=0.01, connect_timeout=2.0, read_timeout=kw.pop("read_timeout", 5.0))
    kw.setdefault("extras", False)  # the extra tables' requests: tests/data/test_auto_refresh_extras.py
    r = AutoRefresher(folder, kw.pop("max_age_s", 86400.0), clock=lambda: now, client_kw=client_kw,
                      refresh_kw={"today": today, "now": now}, **kw)
    r.slept = slept  # every wait (pacing, backoff, Retry-After), for the tests
    return r


def main(argv: list[str]) -> int:
    folder, base_url, today, now = argv
    r = refresher(Path(folder), base_url, dt.date.fromisoformat(today),
                  dt.datetime.fromisoformat(now.replace("Z", "+00:00")))
    print(json.dumps(asdict(r.run())), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
