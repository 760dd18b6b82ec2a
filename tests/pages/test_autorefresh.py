"""Auto-refresh through the app (AppTest) against the stand-in Data API: a stale
snapshot starts one background refresh, every page shows its progress, a page view
during it answers about as fast as without it (figures printed; the bound is generous),
the headline moves to the new snapshot on the next rerun with no restart; a cold start
shows the sample labelled with "real data is being fetched"; a failure is on the Data
page with its reason while the old snapshot stays; the key is on no page."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import pytest

from tests.apptest import metric
from tests.conftest_openrouter import _no_ambient_key  # noqa: F401 - autouse fixture
from tests.data.auto_refresh_child import ONE_RUN, refresher
from tests.hostile import tried
from tests.openrouter_server import API_KEY, FakeOpenRouter
from tests.pages.apprun import APP, ROOT, assert_clean
from tests.pages.test_share import independent_open_share_last_full_week
from tokenshare.app import state
from tokenshare.data.refresh import auto as auto_refresh
from tokenshare.data.published.locate import candidate_snapshots
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh

YESTERDAY = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
OLD_UNTIL = YESTERDAY - dt.timedelta(days=10)


@pytest.fixture
def server():
    with FakeOpenRouter(synth_until=OLD_UNTIL) as s:
        yield s


def _app_env(monkeypatch, folder, server):
    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setenv("TOKENSHARE_AUTO_REFRESH", "1")
    monkeypatch.setenv("OPENROUTER_API_KEY", API_KEY)
    monkeypatch.setenv("OPENROUTER_BASE_URL", server.base_url)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", folder)


def _register(folder, server):
    """The process's refresher for ``folder``, as the app gets it, but with no pacing
    waits (the stand-in's own delays make the run last)."""
    now = dt.datetime.now(dt.timezone.utc)
    r = refresher(folder, server.base_url, YESTERDAY + dt.timedelta(days=1), now)
    r.clock = auto_refresh.utcnow
    r.refresh_kw = {}
    with auto_refresh._REGISTRY_LOCK:
        auto_refresh._REGISTRY[os.path.abspath(folder)] = r
    return r


@pytest.fixture
def stale(server, tmp_path, monkeypatch):
    """A snapshots folder whose one snapshot ends 10 days ago; the app pointed at it."""
    from tests.conftest_openrouter import make_client

    folder = tmp_path / "snapshots"
    with make_client(server) as client:
        old = run_refresh(RefreshOptions(folder, categories=True, segments=True,
                today=OLD_UNTIL + dt.timedelta(days=1)), client=client).snapshot
    server.synth_until = YESTERDAY
    server.requests.clear()
    _app_env(monkeypatch, folder, server)
    return folder, old


def _texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "error", "warning", "title")
                     for e in getattr(at, kind))


def _timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def test_refresh_in_the_background_then_the_headline_moves(stale, server):
    from streamlit.testing.v1 import AppTest

    folder, old = stale
    r = _register(folder, server)
    old_share = independent_open_share_last_full_week(old.path)
    # Without a refresh (switched off): the page's warm rerun time
    os.environ["TOKENSHARE_AUTO_REFRESH"] = "0"
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert_clean(at)
    assert metric(at, "Open-weight share") == f"{100 * old_share:.1f}%"
    quiet = [_timed_run(at) for _ in range(4)]
    os.environ["TOKENSHARE_AUTO_REFRESH"] = "1"
    server.fault("sleep", seconds=0.35, times=ONE_RUN)  # ~9 s of refresh: every window answers late
    at.run()  # starts it
    assert r.running_here()
    assert "Fetching real data" in _texts(at)
    during = []
    while r.running_here() and len(during) < 6:
        during.append(_timed_run(at))
        assert_clean(at)
        assert metric(at, "Open-weight share") == f"{100 * old_share:.1f}%", "the old snapshot serves meanwhile"
    assert r.running_here(), "the refresh outlasted the measured views"
    r.join(120)
    status = auto_refresh.read_status(folder)
    assert status.state == "done", status.reason
    at.run()  # the next rerun: no restart
    assert_clean(at)
    new = [p for p in candidate_snapshots(folder) if p != old.path]
    assert len(new) == 1
    new_share = independent_open_share_last_full_week(new[0])
    assert f"{100 * new_share:.1f}" != f"{100 * old_share:.1f}"
    assert metric(at, "Open-weight share") == f"{100 * new_share:.1f}%"
    assert at.date_input(key="end").value == YESTERDAY, "the To filter left at the old last day follows"
    assert "Fetching real data" not in _texts(at)
    assert len(server.data_requests()) == ONE_RUN
    print(f"\nShare page rerun, warm: without a refresh median {statistics.median(quiet) * 1000:.0f} ms "
          f"({', '.join(f'{t * 1000:.0f}' for t in quiet)}); during it median {statistics.median(during) * 1000:.0f} ms "
          f"({', '.join(f'{t * 1000:.0f}' for t in during)})")
    assert statistics.median(during) < 3 * statistics.median(quiet) + 1.0, "generous: not a timing test"
    assert API_KEY not in _texts(at)


def test_cold_start_shows_the_sample_labelled_while_real_data_is_fetched(server, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    folder = tmp_path / "snapshots"  # no snapshot at all
    _app_env(monkeypatch, folder, server)
    server.synth_until = YESTERDAY
    r = _register(folder, server)
    server.fault("sleep", endpoint="models", seconds=1.5)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert_clean(at)
    text = _texts(at)
    assert "Synthetic sample data" in text and "Real data is being fetched" in text
    r.join(120)
    assert auto_refresh.read_status(folder).state == "done"
    at.run()
    assert_clean(at)
    text = _texts(at)
    assert "Synthetic sample data" not in text and "Real data is being fetched" not in text
    assert "Source: OpenRouter (openrouter.ai/rankings)" in text
    assert API_KEY not in text


def test_a_date_the_visitor_chose_stays_after_the_switch(stale, server):
    from streamlit.testing.v1 import AppTest

    folder, old = stale
    r = _register(folder, server)
    chosen = OLD_UNTIL - dt.timedelta(days=30)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["end"] = str(chosen)
    at.run()
    r.join(120)
    assert auto_refresh.read_status(folder).state == "done"
    at.run()
    assert_clean(at)
    assert at.date_input(key="end").value == chosen
    assert at.date_input(key="start").value == old.start_date


def test_a_failure_is_on_the_data_page_and_the_old_snapshot_stays(stale, server):
    from streamlit.testing.v1 import AppTest

    folder, old = stale
    r = _register(folder, server)
    server.key = "sk-or-another-key-entirely"  # the app's key is refused
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    r.join(60)
    at.switch_page("views/data.py")
    at.run()
    assert_clean(at)
    errors = [e.value for e in at.error]
    assert any("last automatic refresh failed" in e and "HTTP 401" in e and "The open snapshot stays" in e
               for e in errors), errors
    assert old.snapshot_id in _texts(at)
    assert [p.name for p in candidate_snapshots(folder)] == [old.path.name]
    assert API_KEY not in _texts(at)
    tried("refresh")


def test_nothing_starts_without_a_key_or_when_switched_off(stale, server, monkeypatch):
    from streamlit.testing.v1 import AppTest

    folder, old = stale
    r = _register(folder, server)
    monkeypatch.setenv("TOKENSHARE_AUTO_REFRESH", "off")
    monkeypatch.setenv("TOKENSHARE_MAX_AGE", "soon")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    monkeypatch.setenv("TOKENSHARE_AUTO_REFRESH", "on")
    monkeypatch.delenv("OPENROUTER_API_KEY")
    at.run()
    assert not r.running_here() and server.data_requests() == []
    at.switch_page("views/data.py")
    at.run()
    assert "Off here: no OpenRouter API key is configured" in _texts(at)
    assert any("TOKENSHARE_MAX_AGE: 'soon' is not a duration" in w.value and "using 24h" in w.value
               for w in at.warning), [w.value for w in at.warning]
    assert ROOT  # the app file is this repository's
    tried("refresh")
