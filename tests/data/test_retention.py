"""The published root's retention policy (issue 24), on simulated dates: the newest
snapshot of each of the last 7 days that have one, plus the first of each ISO week of the
last 52 weeks, counted by hand; both sides of each boundary; and publish keeping exactly
those folders and history entries."""

from __future__ import annotations

import datetime as dt
import json

from tests.tiny import build_tiny_snapshot
from tokenshare.cli import main
from tokenshare.data.published.pointer import POINTER_FILE
from tokenshare.data.published.publish import publish
from tokenshare.data.published.retention import keep_ids

START = dt.date(2025, 1, 1)  # a Wednesday


def entry(day: dt.date, hour: int = 3) -> dict:
    return {"id": f"{day.isoformat()}-{hour:02d}", "published_at": f"{day.isoformat()}T{hour:02d}:00:00Z"}


def daily(n: int) -> list[dict]:
    """A snapshot a day for n days from START, newest first (as a root's history is)."""
    return [entry(START + dt.timedelta(days=i)) for i in reversed(range(n))]


def test_a_year_and_more_of_daily_snapshots():
    history = daily(400)
    newest = START + dt.timedelta(days=399)  # 2026-02-04, a Wednesday
    kept = keep_ids(history)
    last7 = {(newest - dt.timedelta(days=i)).isoformat() for i in range(7)}
    # every day is a snapshot, so the first of each week is its Monday; the newest week's
    # Monday and the 51 before it
    monday = newest - dt.timedelta(days=newest.weekday())
    mondays = {(monday - dt.timedelta(weeks=w)).isoformat() for w in range(52)}
    assert {k[:10] for k in kept} == last7 | mondays
    assert len(kept) == 7 + 52 - 1  # the newest week's Monday is also one of the last 7 days
    assert kept[0] == history[0]["id"] and kept == sorted(kept, reverse=True)  # newest first, as given
    # both sides of each boundary: day 7 back kept, day 8 back not (unless a Monday); week 51 back
    # kept, week 52 back not
    eighth = newest - dt.timedelta(days=7)
    assert eighth.weekday() != 0 and eighth.isoformat() not in {k[:10] for k in kept}
    assert (monday - dt.timedelta(weeks=51)).isoformat() in {k[:10] for k in kept}
    assert (monday - dt.timedelta(weeks=52)).isoformat() not in {k[:10] for k in kept}


def test_several_a_day_gaps_and_undated_entries():
    d = dt.date(2026, 3, 4)  # Wednesday
    history = [entry(d, 18), entry(d, 6),  # two on the newest day: only the newer is that day's daily one
               entry(d - dt.timedelta(days=1)),
               entry(d - dt.timedelta(days=20), 9), entry(d - dt.timedelta(days=20), 1),  # a week's first: 01:00
               {"id": "undated"}]
    kept = keep_ids(history, daily=2, weekly=52)
    # dailies: the 4th at 18:00 and the 3rd; weekly: the 4th's week starts with the 3rd (its
    # earliest), the week 20 days back with its 01:00 snapshot; the 4th at 06:00 and "undated" go
    assert kept == ["2026-03-04-18", "2026-03-03-03", "2026-02-12-01"]
    assert keep_ids([{"id": "only"}]) == ["only"]  # the newest is always kept, dated or not
    assert keep_ids([]) == []


def test_publish_keeps_what_the_policy_keeps(tmp_path):
    dest = tmp_path / "root"
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(0, 30, 3)]  # every third day, 10 snapshots
    for i, day in enumerate(days):
        snap = build_tiny_snapshot(tmp_path / f"s{i}", as_of=f"{day.isoformat()}T02:00:00Z")
        publish(snap.path, dest, allow_synthetic=True, retention=(2, 3),
                published_at=f"{day.isoformat()}T03:00:00Z")
    pointer = json.loads((dest / POINTER_FILE).read_text())
    kept_days = [h["published_at"][:10] for h in pointer["history"]]
    # newest 2 days: 2026-01-28, 01-25; the last 3 ISO weeks (from Mon 01-26): the first of
    # week 01-26 is 01-28, of week 01-19 is 01-19, of week 01-12 is 01-13
    assert kept_days == ["2026-01-28", "2026-01-25", "2026-01-19", "2026-01-13"]
    folders = sorted(p.name for p in dest.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert folders == sorted(h["id"] for h in pointer["history"])


def test_the_cli_takes_and_checks_retention(tmp_path, capsys):
    snap = build_tiny_snapshot(tmp_path / "s", as_of="2026-01-05T02:00:00Z")
    assert main(["publish", str(snap.path), "--to", str(tmp_path / "root"), "--allow-synthetic",
                 "--retention", "7,52"]) == 0
    assert "retention 7 daily, 52 weekly" in capsys.readouterr().out
    for bad in ("7", "0,52", "x,1", "7,52,1", "../x,1"):
        try:
            code = main(["publish", str(snap.path), "--to", str(tmp_path / "root"), "--retention", bad])
        except SystemExit as exc:
            code = exc.code
        assert code == 2, bad
