"""Pinned links (issue 24): ``snapshot=<name>`` opens a snapshot the app keeps (a folder
under data/snapshots/, or one a published root's latest.json still keeps); a name not
kept opens the latest with a notice naming both; a hostile name opens nothing; the Data
page lists what is kept and the share control offers "this snapshot"."""

import pytest

from tests.apptest import markdown_tables
from tests.pages.apprun import assert_clean, run_app
from tests.tiny import build_tiny_snapshot
from tokenshare.app import state
from tokenshare.app.share.control import EXPANDER_KEY
from tokenshare.data.published.publish import publish


@pytest.fixture
def two_local(tmp_path, monkeypatch):
    """data/snapshots/ with an older and a newer snapshot (the newer opens by default)."""
    folder = tmp_path / "snapshots"
    old = build_tiny_snapshot(folder / "2026-01-20-older", as_of="2026-01-20T02:00:00Z")
    new = build_tiny_snapshot(folder / "2026-01-28-newer", as_of="2026-01-28T02:00:00Z")
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", folder)
    return old, new


def shown_id(at) -> str:
    """The snapshot id the footer names (the page's source line)."""
    line = next(c.value for c in at.caption if "Snapshot `" in c.value)
    return line.split("Snapshot `", 1)[1].split("`", 1)[0]


def pin_warnings(at):
    return [w.value for w in at.warning if "asked for snapshot" in w.value]


def test_latest_by_default_and_a_kept_snapshot_when_pinned(two_local):
    old, new = two_local
    at = run_app(page="views/share.py")
    assert_clean(at)
    assert shown_id(at) == new.snapshot_id
    pinned = run_app({"snapshot": "2026-01-20-older"}, page="views/share.py")
    assert_clean(pinned)
    assert shown_id(pinned) == old.snapshot_id and not pin_warnings(pinned)


@pytest.mark.parametrize("asked", ["2026-01-01-gone", "../snapshots/2026-01-20-older", "/etc", "sample/../x",
                                   "`**x**`" + "a" * 200])
def test_a_name_not_kept_opens_the_latest_with_a_notice(two_local, asked):
    _, new = two_local
    at = run_app({"snapshot": asked}, page="views/share.py")
    assert_clean(at)
    assert shown_id(at) == new.snapshot_id
    (notice,) = pin_warnings(at)
    assert "no longer kept here" in notice and new.snapshot_id in notice and "2026-01-28" in notice
    assert "`**x**`" not in notice  # the asked-for name stays inside one code span (its backticks replaced)
    assert len(notice) < 400  # and is cut short


def test_a_published_roots_kept_snapshot(tmp_path, monkeypatch):
    root = tmp_path / "root"
    first = build_tiny_snapshot(tmp_path / "a", as_of="2026-01-20T02:00:00Z")
    second = build_tiny_snapshot(tmp_path / "b", as_of="2026-01-28T02:00:00Z")
    publish(first.path, root, keep=2, published_at="2026-01-20T03:00:00Z")
    publish(second.path, root, keep=2, published_at="2026-01-28T03:00:00Z")
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(root))
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "none")
    at = run_app({"snapshot": first.snapshot_id}, page="views/share.py")
    assert_clean(at)
    assert shown_id(at) == first.snapshot_id and not pin_warnings(at)
    # the Data page lists both, with the link that opens each
    data = run_app(page="views/data.py")
    kept = next(df for df in [*markdown_tables(data), *(d.value for d in data.dataframe)] if "kept by" in df.columns)
    rows = kept[kept["kept by"] == "published root"]
    assert rows["name"].tolist() == [second.snapshot_id, first.snapshot_id]
    assert rows["link"].tolist()[1] == f"?snapshot={first.snapshot_id}"
    # a third publish with --keep 2 drops the first: its pinned link falls back, saying so
    third = build_tiny_snapshot(tmp_path / "c", as_of="2026-01-29T02:00:00Z")
    publish(third.path, root, keep=2, published_at="2026-01-29T03:00:00Z")
    gone = run_app({"snapshot": first.snapshot_id}, page="views/share.py")
    assert_clean(gone)
    assert shown_id(gone) == third.snapshot_id and len(pin_warnings(gone)) == 1


def test_the_share_control_offers_this_snapshot(two_local):
    old, _ = two_local
    at = run_app({"snapshot": "2026-01-20-older", "grain": "month"}, page="views/race.py")
    at.session_state[EXPANDER_KEY] = True
    at.run()
    assert_clean(at)
    box = next(e for e in at.expander if e.label == "Share this view")
    assert box.radio[0].value == "this"  # a pinned view's link stays pinned by default
    assert box.code[0].value == "./race?grain=month&snapshot=2026-01-20-older"
    box.radio[0].set_value("latest").run()
    box = next(e for e in at.expander if e.label == "Share this view")
    assert box.code[0].value == "./race?grain=month"
