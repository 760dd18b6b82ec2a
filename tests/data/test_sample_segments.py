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
    # segments rank the API's entries, a `:free` variant being one of its own; each list
    # has its own cut, so an entry listed in a segment may be outside the day's top 50
    named = u[u["model_permaslug"] != "other"]
    cut = named.groupby("date")["total_tokens"].min().rename("cut")
    other = u[u["model_permaslug"] == "other"].set_index("date")["total_tokens"].rename("other")
    daily = s[(s["dimension"] != "language") & (s["model_permaslug"] != "other")]
    j = daily.merge(named, on=["date", "model_permaslug"], suffixes=("", "_usage"), how="left")
    j = j.join(cut, on="date").join(other, on="date")
    ranked = j["total_tokens_usage"].notna()
    assert (j.loc[ranked, "total_tokens"] <= j.loc[ranked, "total_tokens_usage"]).all()
    # an entry below the day's cut had fewer tokens than the cut in all, so in any segment
    below = j[~ranked]
    assert len(below) > 0, "segment lists reach below the overall top 50"
    assert (below["total_tokens"] < below["cut"]).all()
    assert (below["total_tokens"] <= below["other"]).all()
    ctx = j[(j["dimension"] == "context") & ranked].groupby(["date", "model_permaslug"]).agg(
        seg=("total_tokens", "sum"), total=("total_tokens_usage", "first"))
    assert (ctx["seg"] <= ctx["total"]).all()
    # the buckets hold most of a ranked model-day's tokens (where it is in every bucket's top 50)
    assert ctx["seg"].sum() / ctx["total"].sum() > 0.8


def test_context_buckets_partition_each_days_tokens(frames):
    # the sample's choice (tokenshare/data/sample/segments.py): each day's five buckets,
    # their `other` rows included, add up to the day's total in usage.parquet
    s, u, _ = frames
    ctx = s[s["dimension"] == "context"].groupby("date")["total_tokens"].sum()
    day = u.groupby("date")["total_tokens"].sum()
    assert len(ctx) == len(day)
    assert (ctx.sort_index() == day.sort_index()).all()
    # and no modality exceeds the day's total
    mod = s[s["dimension"] == "modality"].groupby(["date", "segment"])["total_tokens"].sum().reset_index()
    assert (mod["total_tokens"].to_numpy() <= day.loc[mod["date"]].to_numpy()).all()


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
