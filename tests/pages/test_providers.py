"""The Providers page and the Spend page's pricing choice through AppTest, on the tiny
snapshot with providers (figures worked out in tests/tiny_providers.py)."""

import pytest

from tests.apptest import markdown_tables, metric
from tests.hostile import tried
from tests.pages.apprun import assert_page_basics, open_page, text_of, warnings
from tests.tiny_providers import build_providers_snapshot


@pytest.fixture(scope="module")
def providers_snapshot(tmp_path_factory):
    return build_providers_snapshot(tmp_path_factory.mktemp("prov-app") / "snap")


@pytest.fixture
def on_providers(providers_snapshot, on_snapshot):
    return on_snapshot(providers_snapshot)


def test_providers_page_headline(on_providers):
    at = open_page("views/providers.py")
    assert_page_basics(at)
    assert metric(at, "Open weights: providers") == "2"
    assert metric(at, "Open weights: price spread") == "2.5x"
    assert metric(at, "Closed: providers") == "1.5"
    assert metric(at, "Closed: price spread") == "1.0x"
    text = text_of(at)
    assert ("Open-weight models: median 2 providers (2-3), price spread 2.5x; closed: 1-2 providers, "
            "price spread 1.0x.") in text
    assert "two or more providers serve: open-weight 100.0%, closed 81.5%" in text
    assert "**2026-01-28**" in text and "**2** of them have no provider data" in text
    assert "does not say which provider served which token" in at.caption[0].value
    assert not at.dataframe  # a few models: text, no grid
    (table,) = [t for t in markdown_tables(at) if "Providers" in t.columns]
    assert table.set_index("Model").loc["DeepSeek: V3", "Spread"] == "3.0x"
    assert len(at.get("vega_lite_chart")) == 2


def test_providers_page_url_keys(on_providers):
    at = open_page("views/providers.py", {"price": "prompt", "openness": "open", "top": "3"})
    assert at.segmented_control(key="price").value == "prompt"
    # prompt prices: DeepSeek 0.2 to 0.6 (3.0x), Qwen 0.3 to 0.6 (2.0x): median 2.5x
    assert metric(at, "Open weights: price spread") == "2.5x"
    assert metric(at, "Closed: providers") == "–"
    at = open_page("views/providers.py", {"price": "cheap<b>"})
    assert any("Ignored `price=cheap<b>`" in w for w in warnings(at))
    assert metric(at, "Open weights: price spread") == "2.5x"
    tried("url")


def test_providers_page_without_provider_data(on_tiny):
    at = open_page("views/providers.py")
    assert any("no provider data" in i.value for i in at.info)
    assert not at.metric


@pytest.mark.parametrize("pricing,share", [("catalogue", "27.6%"), ("cheapest", "23.3%"), ("median", "29.9%")])
def test_spend_pricing_choice(on_providers, pricing, share):
    at = open_page("views/spend.py", {"pricing": pricing})
    assert at.segmented_control(key="pricing").value == pricing
    assert metric(at, "Open-weight share of estimated spend") == share
    if pricing != "catalogue":
        # 7 x (150 + 100 + 20) of 7 x 310 open tokens in W3 have provider prices: 87.1%
        assert f"each model's **{pricing} provider**: 1.89K of 2.17K open-weight tokens" in text_of(at)
        assert "(87.1%)" in text_of(at)


def test_spend_pricing_without_provider_data(on_tiny):
    at = open_page("views/spend.py", {"pricing": "median"})
    assert metric(at, "Open-weight share of estimated spend") == "27.6%"
    assert "no provider data" in text_of(at)
