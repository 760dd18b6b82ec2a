"""Edges of the pure analyses that the mutation harness (benchmarks/mutation) found
untested: empty inputs, a period without named tokens, labels and phrases, each expected
value written out by hand."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd

from tokenshare.analysis import digest, launches, providers, segments, spend
from tokenshare.analysis.tail import ranks as tail_ranks


def test_every_week_after_a_launch_has_its_title():
    assert launches.WEEKS_AFTER == 6
    assert [launches.WINDOW_TITLES[f"w{k}"] for k in range(1, 7)] == [f"Week {k} after" for k in range(1, 7)]
    assert list(launches.WINDOW_TITLES) == list(launches.WINDOWS)  # a title for every window, no more
    assert launches.WINDOWS["w6"] == (42, 48) and launches.WINDOWS["before"] == (-14, -1)


def test_a_side_without_provider_data_has_zero_providers_not_minus_one():
    models = pd.DataFrame({"providers": [0, 0], "spread": [float("nan")] * 2, "endpoints": [0, 0],
                           "free_endpoints": [0, 0], "tokens": [10, 20]})
    side = providers._side(models)
    assert (side["models"], side["with_providers"], side["without_providers"]) == (2, 0, 2)
    assert (side["min_providers"], side["max_providers"], side["tokens"]) == (0, 0, 0)


def test_a_side_with_providers_has_its_range():
    models = pd.DataFrame({"providers": [0, 2, 5], "spread": [float("nan"), 1.5, 3.0], "endpoints": [0, 2, 6],
                           "free_endpoints": [0, 0, 1], "tokens": [10, 20, 30]})
    side = providers._side(models)
    assert (side["min_providers"], side["max_providers"], side["median_providers"]) == (2, 5, 3.5)
    assert side["spread_models"] == 2 and side["max_spread"] == 3.0
    assert side["multi_token_share"] == 1.0 and side["tokens"] == 50


def test_rank_ranges_of_nothing_is_an_empty_frame_with_its_columns():
    empty = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "group": pd.Series(dtype=str),
                          "tokens_lo": pd.Series(dtype="int64"), "tokens_hi": pd.Series(dtype="int64")})
    out = tail_ranks.rank_ranges(empty)
    assert out.empty
    assert {"best_rank", "worst_rank", "may_be_unranked"} <= set(out.columns)


def test_rank_ranges_with_a_tie_and_a_maybe_zero_group():
    b = pd.DataFrame({"period": [pd.Timestamp("2026-01-05")] * 3, "group": ["B", "A", "C"],
                      "tokens_lo": [10, 10, 0], "tokens_hi": [10, 10, 5]})
    out = tail_ranks.rank_ranges(b).set_index("group")
    # A and B tie at exactly 10: A first by name; C (0..5) is below both, maybe unranked
    assert (out.loc["A", "best_rank"], out.loc["A", "worst_rank"]) == (1, 1)
    assert (out.loc["B", "best_rank"], out.loc["B", "worst_rank"]) == (2, 2)
    assert (out.loc["C", "best_rank"], out.loc["C", "worst_rank"]) == (3, 3)
    assert out["may_be_unranked"].tolist() == [False, False, True]


def test_the_segments_headline_period_skips_periods_without_named_tokens():
    w = pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19"])
    shares = pd.DataFrame({"period": w, "is_partial": [False, False, True], "named_tokens": [5, 0, 7]})
    # the latest complete week with named tokens is the first: the second has none
    assert segments.latest_period(shares) == (w[0], False)
    only_partial = pd.DataFrame({"period": w, "is_partial": [True, True, True], "named_tokens": [5, 6, 0]})
    assert segments.latest_period(only_partial) == (w[1], True)
    assert segments.latest_period(shares.assign(named_tokens=0)) == (None, False)


def test_split_phrases():
    e = SimpleNamespace(split_low="5:1", split_default="15:1", split_high="30:1")
    choices = spend.split_choices(e)
    assert choices["1:3"] == "1 prompt token per 3 completion tokens"
    assert choices["1:1"] == "as many prompt as completion tokens"
    assert choices["2:1"] == "2 prompt tokens per completion token"
    assert choices["15:1"] == "15 prompt tokens per completion token (default, from the cited evidence)"
    assert list(choices)[:3] == ["1:3", "1:1", "2:1"]  # fewest prompt tokens first


def _digest(previous_leader, leader="DeepSeek"):
    return digest.Digest(week=dt.date(2026, 1, 19), week_end=dt.date(2026, 1, 25), previous=dt.date(2026, 1, 12),
                         leader=leader, previous_leader=previous_leader)


def test_the_leader_changed_only_when_there_was_another_leader_before():
    assert not _digest(None).leader_changed  # no week before: nothing changed
    assert not _digest("DeepSeek").leader_changed
    assert _digest("Qwen (Alibaba)").leader_changed


def test_a_period_with_one_named_token_counts_and_one_with_none_does_not():
    w = pd.to_datetime(["2026-01-05", "2026-01-12"])
    assert segments.latest_period(pd.DataFrame({"period": w, "is_partial": [False, False],
                                                "named_tokens": [5, 1]})) == (w[1], False)
    trend = pd.DataFrame({"period": w, "period_end": w + pd.Timedelta(days=6), "is_partial": [False, False],
                          "named_tokens": [5, 0]})
    # the digest's latest week is the latest complete one with named tokens: a week of
    # none (a gap in the data) is passed over, and there is no week before
    assert digest.latest_two_weeks(trend) == (dt.date(2026, 1, 5), dt.date(2026, 1, 11), None)
    assert digest.latest_two_weeks(trend.assign(named_tokens=[5, 1]))[0] == dt.date(2026, 1, 12)


def test_a_window_exactly_on_the_datas_edges_is_in_the_data():
    first, last = dt.date(2026, 1, 5), dt.date(2026, 3, 1)
    # the 14 days before a launch on Jan 19 start on Jan 5, the data's first day, exactly
    row = {"launch_day": dt.date(2026, 1, 19), "data_first_day": first, "data_last_day": last}
    assert launches.window_in_data(row, "before")
    assert not launches.window_in_data({**row, "launch_day": dt.date(2026, 1, 18)}, "before")  # a day short
    # week 6 after a launch on Jan 12 ends on day 48 = Mar 1, the data's last day, exactly
    row = {"launch_day": dt.date(2026, 1, 12), "data_first_day": first, "data_last_day": last}
    assert launches.window_in_data(row, "w6")
    assert not launches.window_in_data({**row, "launch_day": dt.date(2026, 1, 13)}, "w6")


def test_why_a_hold_is_missing():
    first, last = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    row = {"launch_day": dt.date(2026, 2, 2), "data_first_day": first, "data_last_day": last, "before": 10.0,
           "peak": 0.0}
    # the launched model is live after its launch: no ranked tokens is the cut, not none (issue 21)
    assert launches.why_missing(row, "hold") == \
        "the lab had no model in the daily top 50 in any week after the launch (below the cut, not none)"
    # a peak of some tokens, or none measured: another reason, not "no tokens"
    assert launches.why_missing({**row, "peak": 5.0}, "hold") == "not available"
    assert launches.why_missing({**row, "peak": float("nan")}, "hold") == "not available"
    assert launches.why_missing({**row, "peak": 0.0}, "plateau") == "not available"


def test_the_level_segments_span_their_weeks():
    row = {"launch_day": dt.date(2026, 2, 2), "before": 100.0, "w1": 300.0, "plateau": 200.0}
    segs = launches.levels(row)
    assert list(zip(segs["level"], segs["from_day"], segs["to_day"])) == [
        ("Before (14-day mean)", -14, 0), ("Week 1 after (jump)", 7, 14), ("Plateau (median of weeks 3-6)", 21, 49)]
    assert segs["from_date"].tolist()[2] == pd.Timestamp("2026-02-23")  # day 21


def test_rank_ranges_tie_at_one_token():
    b = pd.DataFrame({"period": [pd.Timestamp("2026-01-05")] * 2, "group": ["B", "A"],
                      "tokens_lo": [1, 1], "tokens_hi": [1, 1]})
    out = tail_ranks.rank_ranges(b).set_index("group")
    # exactly 1 token each, surely: A before B by name, both surely ranked
    assert (out.loc["A", "best_rank"], out.loc["A", "worst_rank"]) == (1, 1)
    assert (out.loc["B", "best_rank"], out.loc["B", "worst_rank"]) == (2, 2)


def test_focus_frame_bars_columns_and_order():
    from tokenshare.analysis import race_frames

    ranks = pd.DataFrame({"frame": ["f"] * 4, "rank": [1, 2, 3, 4], "lab_name": ["A", "B", "C", "D"]})
    bars = race_frames.focus_frame_bars(ranks, "f", 2, ["D"])
    assert list(bars.columns) == ["frame", "rank", "lab_name", "in_focus"]
    assert bars["lab_name"].tolist() == ["A", "B", "D"] and bars.index.tolist() == [0, 1, 2]
    assert bars["in_focus"].tolist() == [False, False, True]


def test_the_provider_fetch_dates_run_from_the_first_to_the_last():
    ep = pd.DataFrame({"fetched_on": pd.to_datetime(["2026-01-20", "2026-01-10", None])})
    models = pd.DataFrame({"openness": ["open", "closed", "open"], "providers": [0, 0, 0], "spread": [float("nan")] * 3,
                           "endpoints": [0, 0, 0], "free_endpoints": [0, 0, 0], "tokens": [1, 1, 1],
                           "fetched_on": ep["fetched_on"]})
    out = providers.competition_summary(ep, models=models)
    assert (out["fetched_from"], out["fetched_to"]) == (dt.date(2026, 1, 10), dt.date(2026, 1, 20))
