"""The in-app auto-refresh and the four extra tables (tokenshare/data/refresh/extras/due.py),
and the bounded app-ranking history (extras/tables.py ``bounded_apps``).

By hand: all four tables cost at most 1 (benchmarks) + 4 (session-cost pages) + 1 (tasks)
+ 10 (app rankings: popular and trending, overall and per category) = 16 requests; they
are asked for when at least 16 + 100 = 116 are left in the day's automatic budget. Against
the stand-in a run makes 13 of them (one session-cost page comes back short)."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

from tests.conftest_openrouter import _no_ambient_key  # noqa: F401 - autouse fixture
from tests.data.auto_refresh_child import ONE_RUN, refresher
from tests.data.test_auto_refresh import NOW, SECRETS, TODAY, old, server  # noqa: F401 - fixtures
from tokenshare.data.refresh.auto import BUDGET_NAME, read_status
from tokenshare.data.refresh.extras import tables
from tokenshare.data.refresh.extras.due import extras_due
from tokenshare.data.snapshot.validate import load_snapshot

ALL = ("benchmarks", "session_cost", "tasks", "apps")
D = dt.date


def snap(extras: dict) -> SimpleNamespace:
    return SimpleNamespace(manifest={"extras": extras})


def test_due_once_a_day_and_only_with_room_in_the_budget():
    assert extras_due(None, NOW, 116) == ALL
    assert extras_due(None, NOW, 115) == (), "16 + 100 must be left"
    today, yesterday = "2025-03-01", "2025-02-28"
    s = snap({"benchmarks": {"fetched_on": today}, "tasks": {"fetched_on": yesterday},
              "apps": {"fetched_on": today, "failed": "HTTP 400"}, "session_cost": {"carried_from": "x"}})
    assert extras_due(s, NOW, 490) == ("session_cost", "tasks", "apps")
    # the UTC day: 2025-03-01T01:00+02:00 is still 2025-02-28 in UTC
    late = dt.datetime(2025, 3, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert extras_due(snap({n: {"fetched_on": yesterday} for n in ALL}), late, 490) == ()


def test_the_auto_refresh_fetches_the_four_tables(old, server):  # noqa: F811
    folder, _ = old
    status = refresher(folder, server.base_url, TODAY, NOW, extras=True).run(SECRETS)
    assert status.state == "done", status
    assert status.requests == ONE_RUN + 13
    assert json.loads((folder / BUDGET_NAME).read_text())["requests"] == ONE_RUN + 13
    new = load_snapshot(folder / status.snapshot)
    for name in ALL:
        assert new.manifest["extras"][name]["fetched_on"] == "2025-03-01", name
    assert extras_due(new, NOW, 490) == (), "fetched today: not again"


def test_no_extra_tables_when_the_budget_is_low(old, server):  # noqa: F811
    folder, _ = old
    (folder / BUDGET_NAME).write_text(json.dumps({"day": "2025-03-01", "requests": 490 - 115, "limit": 490}))
    status = refresher(folder, server.base_url, TODAY, NOW, extras=True).run(SECRETS)
    assert status.state == "done", status
    assert status.requests == ONE_RUN
    assert not load_snapshot(folder / read_status(folder).snapshot).manifest.get("extras"), "none asked for"


def app(end: dt.date, rank: int = 1) -> dict:
    return {"end_date": end, "sort": "popular", "category": "", "subcategory": "", "rank": rank}


def test_app_history_keeps_90_days_back_from_the_newest_fetch():
    # newest 2025-04-01: the cutoff is 2025-04-01 - 90 days = 2025-01-01 (kept); 2024-12-31 is dropped
    prev = [app(D(2024, 12, 31)), app(D(2025, 1, 1)), app(D(2025, 3, 1))]
    kept = tables._with_history("apps", [app(D(2025, 4, 1))], prev)
    assert [r["end_date"] for r in kept] == [D(2025, 1, 1), D(2025, 3, 1), D(2025, 4, 1)]
    assert tables.bounded_apps([]) == []
    # task windows are not bounded
    tasks = [{"window_end": D(2020, 1, 1)}]
    assert tables._with_history("tasks", [{"window_end": D(2025, 4, 1)}], tasks)[0]["window_end"] == D(2020, 1, 1)
