"""The Spend page's assumptions come from the cited reference file, and only from it."""

from __future__ import annotations

import tomllib

import pytest

from tokenshare.analysis import spend
from tokenshare.app import urls
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


def test_the_analysis_reads_the_file():
    a = spend.ASSUMPTIONS
    doc = _file()
    assert (a.split_default, a.split_low, a.split_high) == (
        doc["split"]["default"], doc["split"]["low"], doc["split"]["high"])
    assert (a.cached_default, a.cached_low, a.cached_high) == (
        doc["cached"]["default"], doc["cached"]["low"], doc["cached"]["high"])
