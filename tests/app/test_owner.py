"""Owner sign-in without Streamlit running: the attempt limits (per session and for the
whole process, on a fake clock), the constant-time comparison, the e-mail allowlist and
reading the setup from secrets."""

from __future__ import annotations

from tests.hostile import tried
from tokenshare.app.hosting import owner


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_the_process_wide_limit_bounds_many_sessions():
    """A guesser opening a new session for each try meets the process-wide limit: after
    GLOBAL_LIMIT wrong tries in the window, no session may try, until the window passes."""
    clock = Clock()
    limiter = owner.AttemptLimiter(owner.GLOBAL_LIMIT, owner.WINDOW_S, clock=clock)
    setup = owner.OwnerSetup("the passphrase", False, frozenset())
    for i in range(owner.GLOBAL_LIMIT):
        ok, msg = owner.try_passphrase(f"guess {i}", setup, {}, limiter, clock)  # a fresh session each time
        assert not ok and msg == "Wrong passphrase."
    ok, msg = owner.try_passphrase("the passphrase", setup, {}, limiter, clock)
    assert not ok and msg.startswith("Too many wrong passphrases; try again in 16 min")
    clock.t += owner.WINDOW_S + 1
    assert owner.try_passphrase("the passphrase", setup, {}, limiter, clock) == (True, None)
    tried("refresh", owner.GLOBAL_LIMIT + 1)


def test_the_session_limit_and_its_window():
    clock = Clock()
    limiter = owner.AttemptLimiter(10**6, owner.WINDOW_S, clock=clock)
    setup = owner.OwnerSetup("pw", False, frozenset())
    session: dict = {}
    for _ in range(owner.SESSION_LIMIT):
        assert owner.try_passphrase("nope", setup, session, limiter, clock)[0] is False
    assert "Too many" in owner.try_passphrase("pw", setup, session, limiter, clock)[1]
    assert owner.try_passphrase("pw", setup, {}, limiter, clock) == (True, None), "another session may"
    clock.t += owner.WINDOW_S
    assert owner.try_passphrase("pw", setup, session, limiter, clock) == (True, None)
    assert session[owner.SESSION_OWNER] is True


def test_no_passphrase_configured_never_signs_in():
    setup = owner.OwnerSetup(None, False, frozenset())
    assert owner.try_passphrase("", setup, {})[0] is False
    assert not setup.configured


def test_comparison_and_allowlist():
    assert owner.passphrase_matches("ünïcode pass", "ünïcode pass")
    assert not owner.passphrase_matches("ünïcode pas", "ünïcode pass")
    emails = frozenset({"owner@example.com"})
    assert owner.is_listed_owner({"is_logged_in": True, "email": " Owner@Example.com"}, emails)
    assert not owner.is_listed_owner({"is_logged_in": False, "email": "owner@example.com"}, emails)
    assert not owner.is_listed_owner({"is_logged_in": True, "email": "owner@example.com", "email_verified": False},
                                     emails)
    assert not owner.is_listed_owner({"is_logged_in": True}, emails)
    assert not owner.is_listed_owner({"is_logged_in": True, "email": ["owner@example.com"]}, emails)


def test_setup_from_secrets():
    s = owner.setup_from({"TOKENSHARE_OWNER_EMAILS": "a@x.org, B@x.org", "auth": {"client_id": "i"}})
    assert s.emails == {"a@x.org", "b@x.org"} and s.login and s.configured and s.passphrase is None
    assert not owner.setup_from({"auth": {"client_id": "i"}}).configured, "sign-in without an allowlist: no owner"
    assert not owner.setup_from({"TOKENSHARE_OWNER_PASSPHRASE": "   "}).configured
    assert not owner.setup_from({"TOKENSHARE_OWNER_EMAILS": ["a@x.org"]}).configured, "an allowlist without sign-in"
