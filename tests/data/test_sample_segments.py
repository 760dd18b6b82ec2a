"""The bundled sample's segment table (tokenshare/data/sample/segments.py), checked with
pandas on the committed files (tests/data/test_sample.py proves they equal a fresh
generation): consistent with the usage, shaped as documented, labelled synthetic."""

from __future__ import annotations

import pandas as pd
import pytest

from tokenshare.data.snapshot.layout import MODELS_FILE, SEGMENT_FILE, SEGMENTS, USAGE_FILE
from tokenshare.data.published.locate import SAMPLE_DIR
from tokenshare.data.snapshot.validate import load_snapshot


@pytest.fixture(scope="module")
def frames():
    snap = load_snapshot(SAMPLE_DIR)
    assert snap.synthetic and snap.has_segments
    s = pd.read_parquet(snap.file(SEGMENT_FILE))
    u = pd.read_parquet(snap.file(USAGE_FILE))
    m = pd.read_parquet(snap.file(MODELS_FILE))[["model_permaslug", "open_weights"]]
    return s, u, m


def test_every_segment_present_and_flagged(frames):
    s, _, _ = frames
    want = {(d, seg) for d, (_, values, _) in SEGMENTS.items() for seg in values}
    assert set(zip(s["dimension"], s["segment"])) == want
    assert (s["is_estimate"] == (s["dimension"] == "language")).all()
    lang = pd.to_datetime(s.loc[s["dimension"] == "language", "date"])
    assert (lang.dt.dayofweek == 0).all()  # ISO week Mondays


def test_no_model_day_segment_exceeds_its_total(frames):
    s, u, _ = frames
    # the sample's segments are per base model; its usage splits a `:free` variant off
    # some of them, so a model-day's total is the base and its :free row together
    u = u.assign(model_permaslug=u["model_permaslug"].str.replace(r":free$", "", regex=True))
    u = u.groupby(["date", "model_permaslug"], as_index=False)["total_tokens"].sum()
    daily = s[(s["dimension"] != "language") & (s["model_permaslug"] != "other")]
    j = daily.merge(u, on=["date", "model_permaslug"], suffixes=("", "_usage"), how="left")
    assert j["total_tokens_usage"].notna().all()  # every named segment row is a model-day of the usage
    assert (j["total_tokens"] <= j["total_tokens_usage"]).all()
    ctx = j[j["dimension"] == "context"].groupby(["date", "model_permaslug"]).agg(
        seg=("total_tokens", "sum"), total=("total_tokens_usage", "first"))
    assert (ctx["seg"] <= ctx["total"]).all()
    # the buckets hold most of a model-day's tokens (those of the day's top 20 per bucket)
    assert ctx["seg"].sum() / ctx["total"].sum() > 0.8


def test_shapes_as_documented(frames):
    s, _, m = frames
    last = s[pd.to_datetime(s["date"]) >= "2026-10-26"].merge(m, on="model_permaslug", how="left")

    def mix(dim, seg, is_open):
        side = last[(last["dimension"] == dim) & (last["open_weights"] == is_open)]
        return side.loc[side["segment"] == seg, "total_tokens"].sum() / side["total_tokens"].sum()

    # image output and audio are closed models only; closed tokens lean to tool calling
    # and long context (judgement in tokenshare/data/sample/segments.py)
    assert last[(last["segment"].isin(["image_output", "audio"])) & (last["open_weights"] == True)].empty  # noqa: E712
    assert mix("context", "1M", False) > mix("context", "1M", True)
    assert mix("language", "programming", False) > mix("language", "programming", True)
    assert mix("modality", "tool_calling", False) > mix("modality", "tool_calling", True) > 0.2
