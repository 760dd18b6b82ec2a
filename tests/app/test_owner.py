"""Owner sign-in without Streamlit running: the attempt limits (per session and per
client address, with doubling waits, on a fake clock; the owner's reset command), the constant-time comparison, the e-mail allowlist and
reading the setup from secrets."""

from __future__ import annotations

from tests.hostile import tried
from tokenshare.app.hosting import owner


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_strangers_cannot_lock_the_owner_out():
    """Issue 26, finding 6: twenty wrong passphrases from a few sessions made the server
    refuse even the right one for 15 minutes. Now fifty strangers, each from its own
    session (and some from one address), use up their own attempts; the owner, in
    another session from another address, signs in at once."""
    clock = Clock()
    limits = owner.VisitorLimits(owner.ADDRESS_LIMIT, owner.WINDOW_S, clock=clock)
    setup = owner.OwnerSetup("the passphrase", False, frozenset())
    for i in range(50):
        session: dict = {}
        address = "203.0.113.7" if i % 2 else f"198.51.100.{i}"
        for n in range(owner.SESSION_LIMIT):
            owner.try_passphrase(f"guess {i}-{n}", setup, session, address, limits, clock)
            clock.t += owner.MAX_DELAY_S  # past every delay: the guessers are as fast as allowed
    owner_session: dict = {}
    assert owner.try_passphrase("the passphrase", setup, owner_session, "192.0.2.1", limits, clock) == (True, None)
    assert owner.try_passphrase("the passphrase", setup, {}, None, limits, clock) == (True, None)
    tried("refresh", 50 + 2)  # fifty strangers (their guesses asserted as a whole) and the owner twice


def test_one_address_meets_its_limit_across_sessions():
    """A guesser opening a new session for each try from one address meets the
    address's limit; the window (or the owner's reset) ends it."""
    clock = Clock()
    limits = owner.VisitorLimits(owner.ADDRESS_LIMIT, owner.WINDOW_S, clock=clock)
    setup = owner.OwnerSetup("the passphrase", False, frozenset())
    for i in range(owner.ADDRESS_LIMIT):
        ok, msg = owner.try_passphrase(f"guess {i}", setup, {}, "203.0.113.9", limits, clock)
        assert not ok and msg == "Wrong passphrase.", (i, msg)
        clock.t += min(2 ** i, owner.MAX_DELAY_S)  # just past the doubling wait: all ten in the window
    ok, msg = owner.try_passphrase("the passphrase", setup, {}, "203.0.113.9", limits, clock)
    assert not ok and msg.startswith("Too many wrong passphrases; try again in")
    assert owner.try_passphrase("the passphrase", setup, {}, "203.0.113.10", limits, clock) == (True, None)
    clock.t += owner.WINDOW_S
    assert owner.try_passphrase("the passphrase", setup, {}, "203.0.113.9", limits, clock) == (True, None)
    tried("refresh", owner.ADDRESS_LIMIT + 1)


def test_each_failure_doubles_the_wait():
    clock = Clock()
    limits = owner.VisitorLimits(10**6, owner.WINDOW_S, clock=clock)
    setup = owner.OwnerSetup("pw", False, frozenset())
    session: dict = {}
    for n, delay in enumerate([1, 2, 4, 8]):
        assert owner.try_passphrase("nope", setup, session, None, limits, clock) == (False, "Wrong passphrase.")
        clock.t += delay - 0.01  # just before the wait is over: refused, uncompared
        assert "try again in 1 s" in owner.try_passphrase("pw", setup, session, None, limits, clock)[1], n
        clock.t += 0.02  # just after
    assert owner.try_passphrase("pw", setup, session, None, limits, clock) == (True, None)
    tried("refresh", 8)


def test_the_session_limit_and_its_window():
    clock = Clock()
    limits = owner.VisitorLimits(10**6, owner.WINDOW_S, clock=clock)
    setup = owner.OwnerSetup("pw", False, frozenset())
    session: dict = {}
    for _ in range(owner.SESSION_LIMIT):
        assert owner.try_passphrase("nope", setup, session, None, limits, clock)[0] is False
        clock.t += owner.MAX_DELAY_S
    assert "Too many" in owner.try_passphrase("pw", setup, session, None, limits, clock)[1]
    assert owner.try_passphrase("pw", setup, {}, None, limits, clock) == (True, None), "another session may"
    clock.t += owner.WINDOW_S
    assert owner.try_passphrase("pw", setup, session, None, limits, clock) == (True, None)
    assert session[owner.SESSION_OWNER] is True


def test_the_owners_reset_command_forgets_the_failures(tmp_path, monkeypatch, capsys):
    from tokenshare.cli import main
    from tokenshare.core import settings

    monkeypatch.setattr(settings, "OWNER_RESET_FILE", tmp_path / "data" / ".owner-signin-reset")
    clock = Clock()
    limits = owner.VisitorLimits(owner.ADDRESS_LIMIT, owner.WINDOW_S, clock=clock)
    setup = owner.OwnerSetup("pw", False, frozenset())
    session: dict = {}
    for i in range(owner.SESSION_LIMIT):
        owner.try_passphrase(f"guess {i}", setup, session, "192.0.2.5", limits, clock)
        clock.t += 2 ** i
    assert "Too many" in owner.try_passphrase("pw", setup, session, "192.0.2.5", limits, clock)[1]
    assert main(["owner-reset"]) == 0
    assert "reset" in capsys.readouterr().out
    clock.t += 0.5
    assert owner.try_passphrase("pw", setup, session, "192.0.2.5", limits, clock) == (True, None)
    tried("refresh")


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
