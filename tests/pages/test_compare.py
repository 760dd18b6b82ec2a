"""The Compare snapshots page: two snapshots, picked in the URL, a bad name and the same
snapshot twice."""

import pytest

from tests.apptest import metric
from tests.pages.apprun import open_page, warnings
from tokenshare.app import state


@pytest.fixture
def two_snapshots(tmp_path, monkeypatch, tiny_snapshot):
    import shutil

    from tests.tiny_launches import build_restated_snapshot

    snaps = tmp_path / "snapshots"
    snaps.mkdir()
    shutil.copytree(tiny_snapshot.path, snaps / "2026-01-28")
    build_restated_snapshot(snaps / "2026-01-30")
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", snaps)
    monkeypatch.setattr(state, "SAMPLE_DIR", tiny_snapshot.path)
    return snaps


def test_compare_page(two_snapshots):
    at = open_page("views/compare.py")
    assert at.selectbox(key="old").value == "2026-01-28"
    assert at.selectbox(key="new").value == "2026-01-30"
    assert metric(at, "Days added") == "2"
    assert metric(at, "Figures restated") == "3"
    assert metric(at, "Models reclassified") == "2"


def test_compare_in_the_url(two_snapshots):
    at = open_page("views/compare.py", {"old": "2026-01-30", "new": "sample"})
    assert at.selectbox(key="old").value == "2026-01-30" and at.selectbox(key="new").value == "sample"
    assert metric(at, "Days added") == "0"  # the newer one has two more days, not fewer


def test_compare_bad_url_and_same_snapshot(two_snapshots):
    at = open_page("views/compare.py", {"old": "../../etc", "new": "2026-01-28"})
    assert any("Ignored `old=../../etc`" in w for w in warnings(at))
    at = open_page("views/compare.py", {"old": "2026-01-28", "new": "2026-01-28"})
    assert any("same snapshot" in i.value for i in at.info)


def test_visitors_get_no_path_box(two_snapshots, monkeypatch):
    """Off by default: the path box let any visitor probe the server's disk ("does not
    exist" / "is not a folder" / "cannot read") and write into folders they named."""
    monkeypatch.delenv("TOKENSHARE_LOCAL_PATHS", raising=False)
    at = open_page("views/compare.py")
    assert not [t for t in at.text_input if t.key in ("_cmp_old_path", "_cmp_new_path")]
    assert not [e for e in at.expander if "by path" in e.label]


def test_the_path_box_for_a_local_owner_writes_nothing_into_named_folders(two_snapshots, tmp_path, monkeypatch):
    import shutil

    from tests.hostile import tried
    from tests.pages.apprun import run_app

    monkeypatch.setenv("TOKENSHARE_LOCAL_PATHS", "1")
    elsewhere = tmp_path / "elsewhere"
    for name in ("2026-01-28", "2026-01-30"):
        shutil.copytree(two_snapshots / name, elsewhere / name, ignore=shutil.ignore_patterns("derived_*"))
    from tokenshare.app.hosting import snapshots

    snapshots._compare_cached.clear()
    at = run_app(page="views/compare.py")
    at.text_input(key="_cmp_old_path").input(str(elsewhere / "2026-01-28"))
    at.text_input(key="_cmp_new_path").input(str(elsewhere / "2026-01-30")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert metric(at, "Days added") == "2" and metric(at, "Figures restated") == "3"
    written = [p.name for p in elsewhere.rglob("derived_compare_*")]
    assert written == [], f"derived files written into a folder the app does not own: {written}"
    tried("url")
    for probe in ("/nonexistent", "/etc/passwd", "/root/.ssh", str(tmp_path)):
        at.text_input(key="_cmp_old_path").input(probe).run()
        assert not at.exception, (probe, [e.value for e in at.exception])
        assert any("could not be opened" in e.value for e in at.error), probe
        tried("url")


def test_known_snapshots_keep_their_comparison_in_the_folder_the_app_owns(two_snapshots, monkeypatch):
    from tokenshare.app.hosting import snapshots

    monkeypatch.delenv("TOKENSHARE_LOCAL_PATHS", raising=False)
    snapshots._compare_cached.clear()  # an earlier test's comparison of the same pair is cached
    open_page("views/compare.py")
    assert list((two_snapshots / "2026-01-30").glob("derived_compare_*"))
