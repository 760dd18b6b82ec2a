"""The Spend page: defaults, the split in the URL (good and bad), unpriced models."""

import pytest

from tests.apptest import metric
from tests.pages.apprun import open_page, warnings, text_of, assert_page_basics
from tests.tiny_launches import build_priced_snapshot


def test_spend_page_defaults(on_tiny):
    at = open_page("views/spend.py")
    assert_page_basics(at)
    # The default is the evidence's 15:1 (was 3:1 before the cited reference file), none
    # cached. W3 a day at 15:1 (prompt share 15/16): open 310 x (0.9375 x 0.3 + 0.0625 x
    # 1.2 = 0.35625) = 110.4375; GPT-5 150 x (0.9375 x 1.25 + 0.0625 x 10 = 1.796875) =
    # 269.53125; Mistral 40 x (0.9375 x 0.4 + 0.0625 x 2 = 0.5) = 20 -> 110.4375 / 399.96875
    assert metric(at, "Open-weight share of estimated spend") == "27.6%"
    assert metric(at, "Open-weight share of tokens") == "62.0%"
    assert at.select_slider(key="split").value == "15:1"
    assert at.select_slider(key="cached").value == "0"
    assert "estimate at a 15:1 prompt:completion split" in text_of(at)


def test_spend_split_in_the_url(on_tiny):
    at = open_page("views/spend.py", {"split": "1:1"})
    # 1:1: open 310 x 0.75 = 232.5; closed 150 x 5.625 + 40 x 1.2 = 891.75 -> 20.7%
    assert metric(at, "Open-weight share of estimated spend") == "20.7%"
    assert "estimate at a 1:1 prompt:completion split" in text_of(at)


def test_spend_bad_split_in_the_url(on_tiny):
    at = open_page("views/spend.py", {"split": "7:2"})
    assert any("Ignored `split=7:2`" in w for w in warnings(at))
    assert metric(at, "Open-weight share of estimated spend") == "27.6%"  # the default's, as above


def test_spend_shows_unpriced_models(on_snapshot, tmp_path):
    on_snapshot(build_priced_snapshot(tmp_path / "priced"))
    at = open_page("views/spend.py")
    assert any("1 model without a price" in w and "not priced at zero" in w for w in warnings(at))
    # Mistral Medium is out of the estimate: at 15:1, open 110.4375 / (110.4375 + 269.53125)
    assert metric(at, "Open-weight share of estimated spend") == "29.1%"
    assert not at.dataframe or all("model_permaslug" not in d.value.columns for d in at.dataframe)
    at.session_state["unpriced_list"] = True  # opening the expander lists them
    at.run()
    listed = next(d.value for d in at.dataframe if "model_permaslug" in d.value.columns)
    assert listed["model_permaslug"].tolist() == ["mistralai/mistral-medium"]  # the one model priced None


def test_spend_page_defaults_are_the_reference_files(on_tiny):
    """The widgets open at the cited file's defaults (read here with tomllib, not through
    the page's code), the range is stated beside the headline, and the sources are cited."""
    import tomllib

    from tokenshare.core.settings import SPEND_ASSUMPTIONS

    with open(SPEND_ASSUMPTIONS, "rb") as fh:
        doc = tomllib.load(fh)
    at = open_page("views/spend.py")
    assert at.select_slider(key="split").value == doc["split"]["default"]
    assert int(at.select_slider(key="cached").value) / 100 == doc["cached"]["default"]
    text = text_of(at)
    # W3 at the corners (tests/tiny.py has no cache prices, so only the split moves it):
    # 5:1 open 310 x 0.45 = 139.5 vs 150 x 2.708333 + 40 x 0.666667 -> 24.4%; 50:1 open
    # 310 x 16.2/51 vs 150 x 72.5/51 + 40 x 22/51 -> 5022 / 16779 = 29.9%
    assert "between 24.4% and 29.9%, 27.6% at the default" in text
    assert all(src["url"] in text for src in doc["source"])


def test_spend_cached_share_in_the_url(on_tiny):
    at = open_page("views/spend.py", {"split": "5:1", "cached": "84"})
    # no cache prices in tests/tiny.py: cached tokens pay the prompt price, so 84% cached
    # at 5:1 is 5:1's 24.4%, and the range is still stated against the default's 27.6%
    assert metric(at, "Open-weight share of estimated spend") == "24.4%"
    assert "84% of prompt tokens cached" in text_of(at)
    at = open_page("views/spend.py", {"cached": "33"})
    assert any("Ignored `cached=33`" in w for w in warnings(at))


# What each of the Spend page's detail tabs draws, by its section heading.
SECTION_HEADINGS = {"By weights": "Tokens vs estimated spend, by weights", "By lab": "Tokens vs estimated spend, by lab",
                    "Over time": "Open-weight share over time", "Measured cost": "Measured: median cost per session"}


@pytest.mark.parametrize("section", [None, "By weights", "By lab", "Over time", "Measured cost", "by lab", "nope"])
def test_spend_draws_only_the_open_tab(on_tiny, section):
    """The detail tabs (URL key ``section``): only the open tab's section is drawn, with
    its chart (the sensitivity chart above the tabs is always there); no key, or one that
    is not a tab's label (they are case-sensitive), opens By weights, and a bad one is
    named in the Ignored notice."""
    at = open_page("views/spend.py", {"section": section} if section else {})
    opened = section if section in SECTION_HEADINGS else "By weights"
    headings = [h.value for h in at.subheader]
    drawn = [label for label, heading in SECTION_HEADINGS.items() if any(h.startswith(heading) for h in headings)]
    assert drawn == [opened]
    assert len(at.get("vega_lite_chart")) == (1 if opened == "Measured cost" else 2)
    assert any(f"Ignored `section={section}`" in w for w in warnings(at)) == (section in ("by lab", "nope"))
    assert metric(at, "Open-weight share of estimated spend") == "27.6%"  # the figures above the tabs stay
