"""The Segments page's wording and ordering (tokenshare/analysis/segments.py), on
figures worked out by hand."""

import pandas as pd

from tokenshare.analysis import segments as seg


def test_context_mix_adds_the_long_context_line():
    mix = pd.DataFrame({"segment": ["100K", "1M", "10M", "1K", "10K"],
                        "open_mix": [0.40, 0.28, 0.02, 0.04, 0.26], "closed_mix": [0.34, 0.40, 0.07, 0.02, 0.17]})
    lines = seg.mix_sentences("context", mix)
    assert lines[0] == "Up to 1K: 4.0% of open-weight tokens, 2.0% of closed"  # the buckets in size order
    # 100K+ = the 100K-1M and 1M-10M buckets: 0.28 + 0.02 of open, 0.40 + 0.07 of closed
    assert lines[-1] == "Over 100K tokens of context (100K–1M, 1M–10M): 30.0% of open-weight tokens, 47.0% of closed"
    assert seg.mix_sentences("context", mix, chosen=["1K"])[0].startswith("Up to 1K")
    assert len(seg.mix_sentences("context", mix, chosen=["1K"])) == 2


def test_leader_table_orders_chosen_first_then_the_api_order():
    leaders = pd.DataFrame({
        "segment": ["text", "tool_calling", "audio"], "rank": [1, 1, 1], "lab_name": ["A", "B", "C"],
        "share": [0.5, 0.25, 1.0], "lab_open_share": [1.0, None, 0.0]})
    t = seg.leader_table("modality", leaders, ["audio"])
    assert list(t["Modality"]) == ["Audio input", "Text output", "Tool calling"]
    assert list(t["#1"]) == ["C 100.0% (open 0%)", "A 50.0% (open 100%)", "B 25.0%"]


def test_lookback_by_grain():
    assert seg.earlier_period("2026-03-02", "week", False) == pd.Timestamp("2026-02-02")
    assert seg.earlier_period("2026-03-02", "day", False) == pd.Timestamp("2026-02-23")
    assert seg.earlier_period("2026-03-01", "month", False) == pd.Timestamp("2026-02-01")
    assert seg.earlier_period("2026-03-02", "day", True) == pd.Timestamp("2026-02-02")  # estimates: weeks
