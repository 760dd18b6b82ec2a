"""Fixtures for the page tests: which snapshot the app opens."""

import pytest

from tests.tiny_launches import build_category_snapshot, build_launch_snapshot
from tokenshare.app import state


@pytest.fixture
def on_tiny(tiny_snapshot, monkeypatch):
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(tiny_snapshot.path))
    return tiny_snapshot


@pytest.fixture
def on_sample(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "no-snapshots")


@pytest.fixture
def on_snapshot(monkeypatch):
    def use(snapshot):
        monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(snapshot.path))
        return snapshot
    return use


@pytest.fixture(scope="module")
def launch_snapshot(tmp_path_factory):
    return build_launch_snapshot(tmp_path_factory.mktemp("launch-app") / "snap")


@pytest.fixture(scope="module")
def category_snapshot(tmp_path_factory):
    return build_category_snapshot(tmp_path_factory.mktemp("cat-app") / "snap")
