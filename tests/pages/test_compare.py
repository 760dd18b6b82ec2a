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
