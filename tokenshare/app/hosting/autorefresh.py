"""Auto-refresh in the app: start the background refresh when it is due, and say so.

``check(snapshot)`` (app.py, once per rerun) starts ``tokenshare.data.refresh.auto``'s
refresh of the snapshots folder in a thread when the snapshot shown is older than
``TOKENSHARE_MAX_AGE`` and a key is configured (environment or ``st.secrets``); it never
waits. ``status_line`` (every page's header) shows its progress while it runs and, on
the synthetic sample, that real data is being fetched; the page reruns by itself when
the refresh ends, and every session moves to the new snapshot on its next rerun (the
snapshot resolution in ``state`` notices the new folder). ``data_page_section`` (the
Data page) tells what the automatic refresh did last: a failure with its reason, the
day's requests against the budget.

Not when ``TOKENSHARE_SNAPSHOT`` names the snapshot (the operator chose it: a refresh
into data/snapshots/ would not change what is shown) or ``TOKENSHARE_AUTO_REFRESH=off``.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from tokenshare.app import state
from tokenshare.app.hosting.secrets import secrets_for_refresh
from tokenshare.app.text import code, md
from tokenshare.core import settings
from tokenshare.data.refresh.auto import DailyBudget, Status, read_status, refresher_for
from tokenshare.data.snapshot.layout import Snapshot
from tokenshare.data.openrouter.key import api_key_available

POLL_S = 5  # how often a page showing the status line looks again while it runs
# Looking for the key in st.secrets costs about a millisecond (Streamlit looks for the
# file each time when there is none): done at most every SECRETS_RECHECK_S per process.
SECRETS_RECHECK_S = 30.0
_SECRETS_SEEN: list = [float("-inf"), None, False]  # [when, the mapping, a key in it]


def folder() -> Path:
    return state.SNAPSHOTS_DIR


def _switched_off() -> str | None:
    if not settings.auto_refresh_enabled():
        return "it is switched off (`TOKENSHARE_AUTO_REFRESH=off`)"
    if state.snapshot_location():
        return "`TOKENSHARE_SNAPSHOT` names the snapshot to show, so the app does not refresh `data/snapshots/`"
    return None


def _setup() -> tuple[str | None, dict | None]:
    """(why there is no automatic refresh here or None, the st.secrets key mapping).
    A key in the environment is enough and spares reading st.secrets on every rerun."""
    reason = _switched_off()
    if reason is not None:
        return reason, None
    if settings.api_key_from_env():
        return None, None
    now = time.monotonic()
    if now - _SECRETS_SEEN[0] > SECRETS_RECHECK_S:  # st.secrets is re-read at most this often
        secrets = secrets_for_refresh()
        _SECRETS_SEEN[:] = [now, secrets, api_key_available(secrets)]
    if not _SECRETS_SEEN[2]:
        return "no OpenRouter API key is configured", None
    return None, _SECRETS_SEEN[1]


def why_not() -> str | None:
    """Why there is no automatic refresh here, or None when there is one."""
    return _setup()[0]


def _refresher():
    return refresher_for(folder(), settings.max_age()[0])


def check(snapshot: Snapshot | None) -> str:
    """Start the background refresh if it is due; returns at once, saying what it did."""
    reason, secrets = _setup()
    if reason is not None:
        return "off"
    try:
        return _refresher().maybe_start(snapshot, secrets)
    except OSError as exc:  # e.g. a read-only snapshots folder: the page still shows
        return f"not started: {exc.strerror or exc}"


def _current() -> Status | None:
    """The status while a refresh runs (in this process or another), else None."""
    if _switched_off() is not None:
        return None
    status = read_status(folder())
    if status.running:
        return status
    if _refresher().running_here():  # started a moment ago: nothing written yet
        return Status(state="running")
    return None


@st.fragment(run_every=POLL_S)
def _live_status(synthetic: bool) -> None:
    status = _current()
    if status is None:
        st.rerun()  # it ended: the whole page again, on the new snapshot if there is one
    if synthetic:
        st.info(f"**Real data is being fetched** from OpenRouter ({md(status.line().split(': ', 1)[-1])}); "
                "until it is ready this page shows the synthetic sample.", icon=":material/cloud_download:")
    else:
        st.caption(f":material/sync: {md(status.line())}. The page moves to the new snapshot when it is ready.")


def status_line(snapshot: Snapshot) -> None:
    """For every page's header: the refresh's progress while one runs, else nothing."""
    if _current() is not None:
        _live_status(snapshot.synthetic)


def data_page_section() -> None:
    """The Data page's account of the automatic refresh."""
    st.markdown("**Automatic refresh**")
    max_age, problem = settings.max_age()
    if problem:
        st.warning(md(problem), icon=":material/warning:")
    reason = why_not()
    if reason is not None:
        st.caption(f"Off here: {reason}.")
        return
    hours = f"{max_age / 3600:g} h" if max_age >= 3600 else f"{max_age / 60:g} min"
    budget = DailyBudget(folder())
    status = read_status(folder())
    st.caption(
        f"When the open snapshot is older than {hours} (`TOKENSHARE_MAX_AGE`), the app refreshes "
        f"{code(settings.shown_path(folder()))} in the background, once at a time. Data API requests today: "
        f"{budget.used()} of the {budget.limit} it may spend.")
    if status.problem:  # a mangled state file: no status, and say so
        st.warning(f"The automatic refresh's state file was not read: {md(status.problem)}. It is treated as "
                   "no status; the next refresh writes a new one.", icon=":material/warning:")
    if status.running:
        st.info(md(status.line()) + f" (started {md(status.started_at or 'just now')}).", icon=":material/sync:")
    elif status.state == "failed":
        st.error(f"The last automatic refresh failed (at {md(status.finished_at or status.updated_at or '?')}): "
                 f"{md(status.reason or 'no reason recorded')} The open snapshot stays. "
                 + (f"Next try after {md(status.next_attempt_at)}." if status.next_attempt_at else "It will be tried again."),
                 icon=":material/error:")
    elif status.state == "done":
        st.caption(f"Last automatic refresh: {code(status.snapshot or '?')} at {md(status.finished_at or '?')}, "
                   f"{status.requests} Data API requests.")
