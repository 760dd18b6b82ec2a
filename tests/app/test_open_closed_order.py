"""Open vs closed reads the same on every chart: one legend order and one pair of
colours (tokenshare/app/charts/base.py SIDES and FIXED), whatever order the rows come in.
On the Share page the stacked chart read Closed, Open weights (ranked by tokens, closed
larger) and the free-tokens chart Open weights, Closed."""

import pandas as pd

from tokenshare.analysis.tiers import free_share_lines
from tokenshare.app import charts

P = pd.Timestamp("2026-01-05")


def colour_scales(spec):
    """Every colour scale's (domain, range) in a Vega-Lite spec, wherever it is nested."""
    found = []
    if isinstance(spec, dict):
        colour = (spec.get("encoding") or {}).get("color") or {}
        if "scale" in colour and "domain" in colour["scale"]:
            found.append((colour["scale"]["domain"], colour["scale"]["range"]))
        for v in spec.values():
            found += colour_scales(v)
    elif isinstance(spec, list):
        for v in spec:
            found += colour_scales(v)
    return found


def by_openness():
    # share_by_series with breakdown=openness ranks the sides by tokens: closed, larger, first
    return pd.DataFrame({"period": [P, P], "period_end": [P + pd.Timedelta(days=6)] * 2, "is_partial": [False] * 2,
                         "series": ["Closed", "Open weights"], "series_order": [1, 2], "tokens": [70, 30],
                         "free_tokens": [0, 0], "share": [0.7, 0.3]})


def free_rows():
    return free_share_lines(pd.DataFrame({
        "period": [P], "period_end": [P + pd.Timedelta(days=6)], "is_partial": [False],
        "free_share_of_open": [0.2], "open_free_tokens": [6], "free_share_of_closed": [0.01], "closed_free_tokens": [1]}))


def test_share_and_free_charts_read_open_then_closed_in_the_same_colours():
    want = (["Open weights", "Closed"], [charts.FIXED["Open weights"], charts.FIXED["Closed"]])
    stacked = colour_scales(charts.share_area_interactive(by_openness()).spec())
    lines = colour_scales(charts.share_lines(free_rows()).spec())
    assert stacked == [want] and lines == [want], (stacked, lines)


def test_the_stack_follows_the_legend():
    spec = charts.share_area(by_openness()).spec()
    rows = next(iter(spec["datasets"].values())).to_pandas()
    assert dict(zip(rows["series"], rows["series_order"])) == {"Open weights": 0, "Closed": 1}


def test_other_series_keep_their_places():
    from tokenshare.app.charts.base import in_side_order
    assert in_side_order(["Closed", "Open weights", "Unclassified", "Outside the top 50"]) == [
        "Open weights", "Closed", "Unclassified", "Outside the top 50"]
    assert in_side_order(["DeepSeek", "OpenAI", "Rest"]) == ["DeepSeek", "OpenAI", "Rest"]
    assert in_side_order(["Closed", "Closed", "Rest"]) == ["Closed", "Rest"]  # one side alone, duplicates dropped
