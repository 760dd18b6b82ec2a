"""The owner's Refresh button (``snapshots.refresh``) asks for one refresh into the
local snapshots folder with every option at its default, built once as a
``RefreshOptions``, and refuses anyone who is not the owner before building anything."""

from __future__ import annotations

import pytest

from tokenshare.app import state
from tokenshare.app.hosting import snapshots
from tokenshare.data.refresh.errors import RefreshError
from tokenshare.data.refresh.pipeline import RefreshOptions


@pytest.fixture
def calls(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "snaps")
    monkeypatch.setattr(snapshots, "secrets_for_refresh", lambda: {"OPENROUTER_API_KEY": "sk-or-test"})
    monkeypatch.setattr(snapshots, "run_refresh", lambda options, **kw: seen.append((options, kw)) or "result")
    return seen


def test_the_owners_button_builds_the_default_options_for_the_local_folder(calls, monkeypatch, tmp_path):
    monkeypatch.setattr(snapshots.owner, "is_owner", lambda: True)
    progress = object()
    assert snapshots.refresh(progress) == "result"
    [(options, kw)] = calls
    assert options == RefreshOptions(tmp_path / "snaps")
    assert kw == {"progress": progress, "secrets": {"OPENROUTER_API_KEY": "sk-or-test"}}


def test_a_visitor_gets_no_refresh(calls, monkeypatch):
    monkeypatch.setattr(snapshots.owner, "is_owner", lambda: False)
    with pytest.raises(RefreshError, match="only the app's owner"):
        snapshots.refresh(lambda *a: None)
    assert calls == []
