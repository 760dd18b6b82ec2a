"""tokenshare.engine.compare.available and default_pair on folders made here: a folder
without a manifest is not a snapshot (the sample's folder included), one folder is
offered once, and the pair is the two newest (one snapshot is compared with itself)."""

from __future__ import annotations

from tokenshare.engine import compare


def test_a_sample_folder_without_a_manifest_is_not_offered(tmp_path):
    sample = tmp_path / "sample"
    sample.mkdir()
    (tmp_path / "snapshots").mkdir()
    assert compare.available(tmp_path / "snapshots", sample) == {}
    (sample / "manifest.json").write_text("{}")
    assert compare.available(tmp_path / "snapshots", sample) == {compare.SAMPLE_LABEL: sample}
    # the same folder named as the extra snapshot too: offered once, by its folder name
    assert compare.available(tmp_path / "snapshots", sample, extra=sample) == {"sample": sample}
    extra = tmp_path / "mine"
    extra.mkdir()
    assert compare.available(tmp_path / "snapshots", sample, extra=extra) == {compare.SAMPLE_LABEL: sample}


def test_the_default_pair_is_the_two_newest():
    assert compare.default_pair([]) == (None, None)
    assert compare.default_pair(["a"]) == ("a", "a")
    assert compare.default_pair(["c", "b", "a"]) == ("b", "c")
