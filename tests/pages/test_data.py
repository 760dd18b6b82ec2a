"""The Data page: how to get real data without a key, and the refresh button with one."""

from tests.pages.apprun import run_app, assert_clean


def test_data_page_explains_how_to_get_real_data_without_a_key(on_tiny, monkeypatch):
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)
    at = run_app(page="views/data.py")
    assert_clean(at)
    assert not [b for b in at.button if b.label == "Refresh data"]
    assert any("No OpenRouter API key is configured" in m.value for m in at.markdown)


def test_data_page_offers_refresh_with_a_key(on_tiny, monkeypatch):
    fake = "sk-or-v1-" + "F" * 40
    monkeypatch.setenv("OPENROUTER_API_KEY", fake)
    at = run_app(page="views/data.py")
    assert_clean(at)
    assert [b for b in at.button if b.label == "Refresh data"]
    rendered = " ".join(str(e) for e in at.main) + " ".join(str(e) for e in at.sidebar)
    assert fake not in rendered
