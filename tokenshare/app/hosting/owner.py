"""Who may spend the owner's OpenRouter key: the owner, signed in.

A public app's visitors can read every page, but a refresh makes up to ~25 requests with
the owner's key (the Data API allows 500 a day), so the Data page offers **Refresh data**
only to an owner, signed in one of two ways, both configured in secrets
(``.streamlit/secrets.toml``, or Community Cloud's Settings → Secrets), never in the
environment or the URL:

- Streamlit's built-in sign-in (``st.login``): an ``[auth]`` section for the identity
  provider, and the owners' e-mail addresses in ``TOKENSHARE_OWNER_EMAILS`` (a list, or
  one comma-separated string). A signed-in visitor whose address is not listed is not
  an owner.
- a passphrase, ``TOKENSHARE_OWNER_PASSPHRASE``, compared in constant time
  (``hmac.compare_digest``). Wrong attempts are limited per session and per client
  address, with a doubling wait after each (``AttemptLimiter``), never for the whole
  process, so strangers cannot lock the owner out; ``python -m tokenshare owner-reset``
  forgets every failure so far. ``st.login`` is never throttled by passphrase failures.

With neither configured there is no owner: the button is never offered, and the page
says how to enable it (or to refresh from the command line).
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Mapping

import streamlit as st

from tokenshare.app.hosting.secrets import owner_settings
from tokenshare.app.state import client_address
from tokenshare.core import settings

PASSPHRASE_SECRET = "TOKENSHARE_OWNER_PASSPHRASE"
EMAILS_SECRET = "TOKENSHARE_OWNER_EMAILS"
SESSION_OWNER = "_tokenshare_owner"  # True once this session gave the right passphrase
SESSION_FAILURES = "_tokenshare_owner_failures"

# Wrong passphrases allowed in a sliding window, per session and per client address
# (issue 26: one process-wide limit let strangers lock the owner out). Each failure also
# doubles the wait before the next try (1 s, 2 s, 4 s ... at most MAX_DELAY_S).
WINDOW_S = 15 * 60
SESSION_LIMIT = 5
ADDRESS_LIMIT = 10
MAX_DELAY_S = 60.0


class AttemptLimiter:
    """Failed attempts in a sliding window, with growing delays; thread-safe (sessions
    run in threads). Failures before the owner's reset (``owner-reset``) do not count."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic,
                 times: deque | None = None):
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self.times = deque() if times is None else times
        self._lock = threading.Lock()

    def _forget_old(self, now: float) -> None:
        reset = _reset_at(self.clock)
        while self.times and (self.times[0] <= now - self.window_s or self.times[0] <= reset):
            self.times.popleft()

    def wait_s(self) -> float:
        """0 when an attempt is allowed now, else the seconds until one is."""
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            if not self.times:
                return 0.0
            delay = min(2.0 ** (len(self.times) - 1), MAX_DELAY_S)
            wait = self.times[-1] + delay - now
            if len(self.times) >= self.limit:
                wait = max(wait, self.times[0] + self.window_s - now, 1.0)
            return max(wait, 0.0)

    def failed(self) -> None:
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            self.times.append(now)


def _reset_at(clock: Callable[[], float]) -> float:
    """When the owner last ran ``owner-reset``, on ``clock``'s scale (-inf: never)."""
    try:
        age = time.time() - os.stat(settings.OWNER_RESET_FILE).st_mtime
    except OSError:
        return float("-inf")
    return clock() - age


class VisitorLimits:
    """One AttemptLimiter per visitor key (a client address), kept for the window."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._by_key: dict[str, AttemptLimiter] = {}
        self._lock = threading.Lock()

    def of(self, key: str | None) -> AttemptLimiter | None:
        if not key:
            return None
        with self._lock:
            if len(self._by_key) > 10_000:  # forget visitors with no failure in the window
                self._by_key = {k: v for k, v in self._by_key.items() if v.wait_s() > 0}
            if key not in self._by_key:
                self._by_key[key] = AttemptLimiter(self.limit, self.window_s, clock=self.clock)
            return self._by_key[key]


ADDRESS_ATTEMPTS = VisitorLimits(ADDRESS_LIMIT, WINDOW_S)


@dataclass(frozen=True)
class OwnerSetup:
    """How an owner signs in here: ``passphrase`` set, and/or ``login`` (an [auth]
    section) with the allowed ``emails``."""

    passphrase: str | None
    login: bool
    emails: frozenset[str]

    @property
    def configured(self) -> bool:
        return bool(self.passphrase) or (self.login and bool(self.emails))


def setup_from(secrets: Mapping) -> OwnerSetup:
    """The owner setup from a secrets mapping (st.secrets, or a dict in tests)."""
    passphrase = secrets.get(PASSPHRASE_SECRET)
    passphrase = passphrase if isinstance(passphrase, str) and passphrase.strip() else None
    raw = secrets.get(EMAILS_SECRET) or []
    if isinstance(raw, str):
        raw = raw.split(",")
    emails = frozenset(e.strip().lower() for e in raw if isinstance(e, str) and e.strip())
    return OwnerSetup(passphrase, bool(secrets.get("auth")), emails)


def passphrase_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (the time taken does not reveal how much matched)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def is_listed_owner(user: Mapping, emails: frozenset[str]) -> bool:
    """A signed-in identity is an owner when its e-mail is listed and not marked
    unverified by the provider."""
    if not user.get("is_logged_in"):
        return False
    email = user.get("email")
    if not isinstance(email, str) or user.get("email_verified") is False:
        return False
    return email.strip().lower() in emails


def try_passphrase(given: str, setup: OwnerSetup, session: dict, address: str | None = None,
                   limits: VisitorLimits | None = None,
                   clock: Callable[[], float] = time.monotonic) -> tuple[bool, str | None]:
    """(True, None) for the right passphrase; (False, message) for a wrong one or when
    this visitor (session, client address) must wait (then it is not even compared).
    Other visitors' failures never stop this one: there is no process-wide lock."""
    if not setup.passphrase:
        return False, "No owner passphrase is configured."
    mine = AttemptLimiter(SESSION_LIMIT, WINDOW_S, clock=clock, times=session.setdefault(SESSION_FAILURES, deque()))
    where = (limits or ADDRESS_ATTEMPTS).of(address)
    wait = max(mine.wait_s(), where.wait_s() if where else 0.0)
    if wait:
        when = f"{int(wait // 60) + 1} min" if wait >= 60 else f"{int(wait) + 1} s"
        return False, f"Too many wrong passphrases; try again in {when}."
    if passphrase_matches(given, setup.passphrase):
        session[SESSION_OWNER] = True
        return True, None
    mine.failed()
    if where:
        where.failed()
    return False, "Wrong passphrase."


def current_setup() -> OwnerSetup:
    return setup_from(owner_settings())


def _user() -> Mapping:
    try:
        return st.user.to_dict()
    except Exception:  # noqa: BLE001 - no identity information means "not signed in"
        return {}


def is_owner(setup: OwnerSetup | None = None) -> bool:
    """Whether this session is an owner's (signed in by passphrase or by st.login)."""
    setup = setup or current_setup()
    if setup.passphrase and st.session_state.get(SESSION_OWNER) is True:
        return True
    return setup.login and bool(setup.emails) and is_listed_owner(_user(), setup.emails)


HOW_TO_ENABLE = (
    "To enable it, give the owner a way to sign in, in `.streamlit/secrets.toml` (on Streamlit "
    "Community Cloud: the app's Settings → Secrets): either `TOKENSHARE_OWNER_PASSPHRASE = \"...\"` (a "
    "long random passphrase), or an `[auth]` section for Streamlit's sign-in (`st.login`) with "
    "`TOKENSHARE_OWNER_EMAILS = [\"you@example.com\"]`. Or refresh from the command line: "
    "`python -m tokenshare refresh`."
)


def gate() -> bool:
    """Draw the owner's sign-in where one is needed; True when this session is an owner's."""
    setup = current_setup()
    if not setup.configured:
        st.info("Refreshing spends the owner's OpenRouter key, so only a signed-in owner may start one, and no "
                "owner sign-in is configured here: the button is off. " + HOW_TO_ENABLE, icon=":material/lock:")
        return False
    if is_owner(setup):
        st.caption("Signed in as the app's owner: the refresh below spends the OpenRouter key.")
        if st.button("Sign out", key="owner_sign_out"):
            st.session_state.pop(SESSION_OWNER, None)
            if setup.login and _user().get("is_logged_in"):
                st.logout()
            st.rerun()
        return True
    st.caption("Refreshing spends the owner's OpenRouter key: only the app's owner, signed in, may start one.")
    if setup.login and setup.emails:
        if _user().get("is_logged_in"):
            st.warning("You are signed in, but not as one of this app's owners.", icon=":material/lock:")
        elif st.button("Sign in as the owner", icon=":material/login:", key="owner_login"):
            try:
                st.login()
            except Exception as exc:  # noqa: BLE001 - e.g. Authlib missing, or a broken [auth]
                st.error(f"Sign-in is not available: {type(exc).__name__}. Check the `[auth]` section.")
    if setup.passphrase:
        with st.form("owner_form", clear_on_submit=True):
            given = st.text_input("Owner passphrase", type="password", key="owner_passphrase")
            submitted = st.form_submit_button("Sign in", icon=":material/key:")
        if submitted:
            ok, message = try_passphrase(given, setup, st.session_state, client_address())
            if ok:
                st.rerun()  # drawn again as the owner's page: no sign-in form, a Sign out button
            st.error(message, icon=":material/lock:")
    return False
