"""The Spend page's assumptions come from the cited reference file, and only from it."""

from __future__ import annotations

import dataclasses
import tomllib

import pytest

from tokenshare.analysis import spend
from tokenshare.app import evidence, urls
from tokenshare.core.settings import SPEND_ASSUMPTIONS
from tokenshare.data.reference import spend as spend_reference


def _file() -> dict:
    with open(SPEND_ASSUMPTIONS, "rb") as fh:  # read here on its own, not through the code under test
        return tomllib.load(fh)


def test_the_url_defaults_are_the_files():
    doc = _file()
    assert urls.default("split") == doc["split"]["default"]
    assert int(urls.default("cached")) / 100 == pytest.approx(doc["cached"]["default"])
    # the range's ends can be chosen on the page
    for key in ("low", "high"):
        assert doc["split"][key] in urls.choices("split")
        assert str(round(100 * doc["cached"][key])) in urls.choices("cached")


def test_every_source_is_cited_in_full():
    doc = _file()
    assert len(doc["source"]) >= 2
    for src in doc["source"]:
        for field in ("title", "url", "published", "measures", "location", "quote", "figure", "used_for"):
            assert str(src.get(field, "")).strip(), (src.get("id"), field)
        assert src["url"].startswith("https://")
    # the split default is the market-wide study's late-2025 figure: over 6K prompt and
    # about 400 completion tokens per request, 6000 / 400 = 15
    study = next(s for s in doc["source"] if s["id"] == "state-of-ai-2025")
    assert "over 6K" in study["quote"] and "400 tokens" in study["quote"]
    assert spend_reference.ratio(doc["split"]["default"]) == 6000 / 400


def test_a_broken_file_is_refused(tmp_path):
    good = SPEND_ASSUMPTIONS.read_text(encoding="utf-8")
    bad = tmp_path / "a.toml"
    bad.write_text(good.replace('default = "15:1"', 'default = "99:1"'), encoding="utf-8")
    with pytest.raises(ValueError, match="between low and high"):
        spend_reference.load(bad)
    bad.write_text(good.replace("high = 0.84", "high = 1.5"), encoding="utf-8")
    with pytest.raises(ValueError, match="from 0 to 1"):
        spend_reference.load(bad)
    bad.write_text(good.split("[[source]]")[0], encoding="utf-8")
    with pytest.raises(ValueError, match="no \\[\\[source\\]\\]"):
        spend_reference.load(bad)


def test_the_app_layer_loads_the_file_for_the_analysis():
    a = evidence.spend_assumptions()
    doc = _file()
    assert (a.split_default, a.split_low, a.split_high) == (
        doc["split"]["default"], doc["split"]["low"], doc["split"]["high"])
    assert (a.cached_default, a.cached_low, a.cached_high) == (
        doc["cached"]["default"], doc["cached"]["low"], doc["cached"]["high"])
    # the URL registry's choices and defaults are the file's
    assert urls.default("split") == a.split_default and a.split_low in urls.choices("split")
    assert urls.default("cached") == str(round(100 * a.cached_default))
    assert evidence.rank_prompt_share() == spend.prompt_share(a.split_default)


def test_the_analysis_uses_the_evidence_it_is_given():
    """No module-level copy of the file: other evidence passed in gives other ranges,
    defaults and choices."""
    a = evidence.spend_assumptions()
    other = dataclasses.replace(a, split_default="3:1", split_low="2:1", split_high="4:1",
                                cached_default=0.5, cached_low=0.25, cached_high=0.75)
    assert spend.default_point(other) == spend.Point(0.75, 0.5)
    assert set(spend.corners(other)) == {spend.Point(s, c) for s in (2 / 3, 0.8) for c in (0.25, 0.75)}
    assert spend.rank_prompt_share(other) == 0.75 != spend.rank_prompt_share(a)
    assert "3:1" in spend.split_choices(other) and "default" in spend.split_choices(other)["3:1"]
    assert "default" not in spend.split_choices(a)["3:1"]
    assert {"25", "50", "75"} <= set(spend.cached_choices(other)) and spend.default_cached(other) == "50"
    row = {f"{side}k_{k}": 1.0 if side == "open_" and k == "const" else 0.0
           for side in ("open_", "closed_") for k in ("const", "split", "cached", "both")}
    row["closed_k_split"] = 1.0  # the open share of spend falls as the prompt share rises
    got = spend.open_share_range(row, spend.default_point(other), other)
    assert got.low == pytest.approx(1 / (1 + 0.8)) and got.high == pytest.approx(1 / (1 + 2 / 3))
    assert got.at_default == pytest.approx(1 / 1.75)
    sens = spend.sensitivity_frame(row, spend.default_point(other), other)
    assert set(sens["split"]) == {"2:1", "3:1", "4:1"} and set(sens["cached"]) == {0.25, 0.5, 0.75}


def test_lab_table_range_column_for_a_lab_without_a_range():
    # by hand: ranges cover lab A (10% to 30%) and lab C with no lower figure; lab B has no
    # range row at all. A's cell is "10.0% to 30.0%", B's and C's "–".
    import pandas as pd

    by_lab = pd.DataFrame({"series": ["A", "B", "C"], "token_share": [0.5, 0.3, 0.2],
                           "spend_share": [0.6, 0.3, 0.1], "tokens": [500, 300, 200],
                           "spend_usd": [6.0, 3.0, 1.0], "priced_tokens": [500, 300, 200],
                           "unpriced_models": [0, 1, 0], "models": [2, 2, 1]})
    ranges = pd.DataFrame({"series": ["A", "C"], "share_low": [0.1, float("nan")], "share_high": [0.3, 0.2]})
    t = spend.lab_table(by_lab, ranges)
    assert t["Spend share, plausible range"].tolist() == ["10.0% to 30.0%", "–", "–"]
    assert spend.lab_table(by_lab)["Spend share, plausible range"].tolist() == ["–"] * 3
