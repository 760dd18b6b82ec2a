"""The Spend page: defaults, the split in the URL (good and bad), unpriced models."""

from tests.apptest import metric
from tests.pages.apprun import open_page, warnings, text_of, assert_page_basics
from tests.tiny_launches import build_priced_snapshot


def test_spend_page_defaults(on_tiny):
    at = open_page("views/spend.py")
    assert_page_basics(at)
    # W3 at 3:1: open 310 x 0.525 vs GPT-5 150 x 3.4375 + Mistral 40 x 0.8 (a day)
    assert metric(at, "Open-weight share of estimated spend") == "22.9%"
    assert metric(at, "Open-weight share of tokens") == "62.0%"
    assert at.select_slider(key="split").value == "3:1"
    assert "estimate at a 3:1 prompt:completion split" in text_of(at)


def test_spend_split_in_the_url(on_tiny):
    at = open_page("views/spend.py", {"split": "1:1"})
    # 1:1: open 310 x 0.75 = 232.5; closed 150 x 5.625 + 40 x 1.2 = 891.75 -> 20.7%
    assert metric(at, "Open-weight share of estimated spend") == "20.7%"
    assert "estimate at a 1:1 prompt:completion split" in text_of(at)


def test_spend_bad_split_in_the_url(on_tiny):
    at = open_page("views/spend.py", {"split": "7:2"})
    assert any("Ignored `split=7:2`" in w for w in warnings(at))
    assert metric(at, "Open-weight share of estimated spend") == "22.9%"


def test_spend_shows_unpriced_models(on_snapshot, tmp_path):
    on_snapshot(build_priced_snapshot(tmp_path / "priced"))
    at = open_page("views/spend.py")
    assert any("1 model without a price" in w and "not priced at zero" in w for w in warnings(at))
    # Mistral Medium is out of the estimate: open 162.75 / (162.75 + 515.625)
    assert metric(at, "Open-weight share of estimated spend") == "24.0%"
    assert not at.dataframe or all("model_permaslug" not in d.value.columns for d in at.dataframe)
    at.session_state["unpriced_list"] = True  # opening the expander lists them
    at.run()
    listed = next(d.value for d in at.dataframe if "model_permaslug" in d.value.columns)
    assert listed["model_permaslug"].tolist() == ["mistralai/mistral-medium"]  # the one model priced None
