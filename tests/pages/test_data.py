"""The Data page: how to get real data without a key, and the refresh button with one."""

from tests.pages.apprun import run_app, assert_clean


def test_data_page_explains_how_to_get_real_data_without_a_key(on_tiny, monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    at = run_app(page="views/data.py")
    assert_clean(at)
    assert not [b for b in at.button if b.label == "Refresh data"]
    assert any("No OpenRouter API key is configured" in m.value for m in at.markdown)


FAKE_KEY = "sk-or-v1-" + "F" * 40
PASSPHRASE = "correct horse battery staple 7f3a"


def refresh_buttons(at):
    return [b for b in at.button if b.label == "Refresh data"]


def data_page(monkeypatch, secrets=None, user=None):
    """The Data page with the key in the environment, ``secrets`` in st.secrets and
    ``user`` as st.user; not yet run."""
    from streamlit.testing.v1 import AppTest

    from tests.pages.apprun import APP

    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    if user is not None:
        at.user = user
    at.run()
    at.switch_page("views/data.py")
    return at.run()


def sign_in(at, passphrase):
    at.text_input(key="owner_passphrase").input(passphrase)
    at.button(key="FormSubmitter:owner_form-Sign in").click()
    return at.run()


def test_a_visitor_never_gets_the_refresh_button_without_an_owner_setup(on_tiny, monkeypatch):
    """A key is configured, but no owner sign-in: nobody may spend the key from the app
    (before, one anonymous click made 25 requests with it)."""
    at = data_page(monkeypatch)
    assert_clean(at)
    assert not refresh_buttons(at)
    info = " ".join(i.value for i in at.info)
    assert "no owner sign-in is configured" in info and "TOKENSHARE_OWNER_PASSPHRASE" in info
    rendered = " ".join(str(e) for e in at.main) + " ".join(str(e) for e in at.sidebar)
    assert FAKE_KEY not in rendered


def test_the_owner_signs_in_with_the_passphrase(on_tiny, monkeypatch):
    at = data_page(monkeypatch, {"TOKENSHARE_OWNER_PASSPHRASE": PASSPHRASE})
    assert_clean(at)
    assert not refresh_buttons(at), "a visitor sees the sign-in, not the button"
    at = sign_in(at, PASSPHRASE)
    assert_clean(at)
    assert refresh_buttons(at)
    at.run()  # and it stays signed in for the session
    assert refresh_buttons(at) and at.button(key="owner_sign_out")
    at.button(key="owner_sign_out").click().run()
    assert not refresh_buttons(at)
    rendered = " ".join(str(e) for e in at.main)
    assert PASSPHRASE not in rendered and FAKE_KEY not in rendered


def test_a_wrong_passphrase_is_refused_and_attempts_are_limited(on_tiny, monkeypatch):
    from tests.hostile import tried
    from tokenshare.app.hosting import owner

    monkeypatch.setattr(owner, "ADDRESS_ATTEMPTS", owner.VisitorLimits(owner.ADDRESS_LIMIT, owner.WINDOW_S))
    monkeypatch.setattr(owner, "MAX_DELAY_S", 0.0)  # no growing waits: the test tries as fast as it can
    at = data_page(monkeypatch, {"TOKENSHARE_OWNER_PASSPHRASE": PASSPHRASE})
    wrong = ["", PASSPHRASE[:-1], PASSPHRASE + " ", PASSPHRASE.upper(), "' OR 1=1 --"]
    for guess in wrong:
        at = sign_in(at, guess)
        assert_clean(at)
        assert not refresh_buttons(at)
        assert any("Wrong passphrase" in e.value for e in at.error), [e.value for e in at.error]
        tried("refresh")
    # five wrong in this session: even the right one is now refused, without being compared
    at = sign_in(at, PASSPHRASE)
    assert not refresh_buttons(at)
    assert any("Too many wrong passphrases" in e.value for e in at.error)
    tried("refresh")


def test_the_owner_signs_in_with_st_login(on_tiny, monkeypatch):
    auth = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
            "client_id": "id", "client_secret": "secret",
            "server_metadata_url": "https://accounts.example/.well-known/openid-configuration"}
    secrets = {"auth": auth, "TOKENSHARE_OWNER_EMAILS": ["Owner@Example.com"]}
    at = data_page(monkeypatch, secrets, user={"is_logged_in": True, "email": "owner@example.com"})
    assert_clean(at)
    assert refresh_buttons(at), "a listed address is an owner (case aside)"
    at = data_page(monkeypatch, secrets, user={"is_logged_in": True, "email": "visitor@example.com"})
    assert not refresh_buttons(at)
    assert any("not as one of this app's owners" in w.value for w in at.warning)
    at = data_page(monkeypatch, secrets, user={"is_logged_in": False})
    assert not refresh_buttons(at) and at.button(key="owner_login")


def test_the_view_table_is_text_first_and_every_row_in_a_grid_when_opened(on_tiny):
    """The tiny snapshot's days are 2026-01-05 to 2026-01-27 (tests/tiny.py): 23 periods
    at a day grain. The first 12 are a Markdown table, the grid (all 23) is made only when
    its expander is opened, and so are the SQL (the query file as it is on disk) and the
    manifest (manifest.json as it is)."""
    import datetime as dt
    import json
    from pathlib import Path

    from tests.apptest import markdown_tables

    at = run_app({"grain": "day", "view": "open_share_by_period"}, page="views/data.py")
    assert_clean(at)
    assert not at.dataframe and not at.code and not at.json
    # the citation as text, each line of it (independently: the snapshot's citation as the
    # manifest gives it); as a code block to copy when its expander is opened
    snapshot = Path(__import__("os").environ["TOKENSHARE_SNAPSHOT"])
    cited = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))["citation"]
    citation = next(m.value for m in at.markdown if m.value.startswith("**Citation:**"))
    assert cited in citation.replace("\\", "")
    # the leading columns that fit the page as text (nine token columns do not: they ran
    # off its edge), every column in the grid
    (view,) = [t for t in markdown_tables(at) if "period_end" in t.columns]
    assert view["period"].tolist() == [str(dt.date(2026, 1, 5) + dt.timedelta(days=i)) for i in range(12)]
    assert list(view.columns)[:3] == ["period", "period_end", "is_partial"] and "open_share" not in view.columns
    assert "All 23 rows, every column, in a sortable grid" in [e.label for e in at.expander]
    for key in ("grid-data_view", "data_sql", "data_manifest", "data_citation"):
        at.session_state[key] = True  # what a click on each expander does
    at.run()
    assert_clean(at)
    grid = next(d.value for d in at.dataframe if "open_share" in d.value.columns)
    days = [d.date() for d in grid["period"]]
    assert len(grid) == 23 and days[0] == dt.date(2026, 1, 5) and days[-1] == dt.date(2026, 1, 27)
    sql_file = Path(__file__).parents[2] / "queries" / "pages" / "open_share_by_period.sql"
    assert [c.value.rstrip() for c in at.code if c.language == "sql"] == [sql_file.read_text(encoding="utf-8").rstrip()]
    assert [c.value for c in at.code if c.language != "sql"][0].startswith(cited)
    assert json.loads(at.json[0].value) == json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
