"""The focus in the app layer: how the filters name it and which yardstick they give,
and the charts that show a focus among all its rivals (in colour, the rest grey)."""

import json

import pandas as pd

from tokenshare.app import charts
from tokenshare.app.charts.base import OTHER_GREY
from tokenshare.app.focus import Focus, focus_of

LABS = pd.DataFrame({"author": ["arcee-ai", "openai", "meta", "meta-llama", "deepseek"],
                     "lab_name": ["Arcee AI", "OpenAI", "Meta", "Meta", "DeepSeek"],
                     "country_code": ["US", "US", "US", "US", "CN"]})
COUNTRIES = pd.DataFrame({"country_code": ["US", "CN"], "country_name": ["United States", "China"]})


def test_focus_names_and_labs():
    assert not focus_of(LABS, COUNTRIES, [], []).active
    us = focus_of(LABS, COUNTRIES, ["US"], [])
    assert us.name == "United States labs" and us.lab_names == ("Arcee AI", "OpenAI", "Meta")
    arcee = focus_of(LABS, COUNTRIES, ["US"], ["arcee-ai"])
    assert arcee.name == "Arcee AI" and arcee.lab_names == ("Arcee AI",)
    assert focus_of(LABS, COUNTRIES, [], ["meta", "meta-llama", "deepseek"]).name == "Meta and DeepSeek"
    assert focus_of(LABS, COUNTRIES, ["US", "CN"], []).name == "United States and China labs"


class Ctx:
    def params(self, **extra):
        return {"countries": ["US"], "labs": ["arcee-ai"], "scope": "open", **extra}


def test_the_yardstick_is_the_market_unless_field_is_focus():
    focus = Focus(("US",), ("arcee-ai",), ("Arcee AI",), "Arcee AI", "all")
    assert focus.yardstick(Ctx())["labs"] == [] and focus.yardstick(Ctx())["countries"] == []
    narrowed = Focus(("US",), ("arcee-ai",), ("Arcee AI",), "Arcee AI", "focus")
    assert narrowed.narrowed and narrowed.yardstick(Ctx())["labs"] == ["arcee-ai"]
    assert not Focus(field="focus").narrowed  # no focus, nothing to narrow to


def _colours(spec: dict) -> dict:
    """series -> colour of the first colour scale with a domain in a Vega-Lite spec."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            colour = node.get("color")
            if isinstance(colour, dict) and isinstance(colour.get("scale"), dict) and "domain" in colour["scale"]:
                found.append(dict(zip(colour["scale"]["domain"], colour["scale"]["range"])))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found[0]


def test_bump_chart_greys_the_rivals_and_reaches_the_focus_rank():
    w = pd.Timestamp("2026-01-05")
    df = pd.DataFrame({"period": [w] * 3, "period_end": [w] * 3, "is_partial": [False] * 3,
                       "lab_name": ["DeepSeek", "Qwen (Alibaba)", "Arcee AI"], "tokens": [50, 30, 2],
                       "share": [0.6, 0.36, 0.04], "rank": [1.0, 2.0, 14.0], "in_focus": [False, False, True]})
    spec = charts.bump_chart(df, top=10, focus=["Arcee AI"]).to_dict()
    colours = _colours(spec)
    assert colours["Arcee AI"] == charts.colour_for("Arcee AI")
    assert colours["DeepSeek"] == OTHER_GREY and colours["Qwen (Alibaba)"] == OTHER_GREY
    assert list(colours)[0] == "Arcee AI"  # first in the legend
    text = json.dumps(spec)
    assert '"domain": [1, 14]' in text  # the axis reaches down to the focus's rank


def test_race_bars_with_a_focus_grey_the_others_and_show_its_rank():
    frame = pd.DataFrame({"rank": [1, 2, 9], "series": ["DeepSeek", "Qwen (Alibaba)", "Arcee AI"],
                          "lab_name": ["DeepSeek", "Qwen (Alibaba)", "Arcee AI"], "share": [0.5, 0.3, 0.02],
                          "tokens": [500, 300, 20], "in_focus": [False, False, True]})
    chart = charts.race_bars(frame, top=2, pick_labs=False)
    spec = chart.to_dict()
    colours = _colours(spec)
    assert colours == {"DeepSeek": OTHER_GREY, "Qwen (Alibaba)": OTHER_GREY,
                       "Arcee AI": charts.colour_for("Arcee AI")}
    labels = chart.data["label"].tolist()  # the layer's shared data
    assert labels[2].startswith("#9 · 2.0%")  # the focus below the top 2 keeps its rank


def test_open_share_line_keeps_blank_periods():
    w = [pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=i) for i in range(3)]
    df = pd.DataFrame({"period": w, "period_end": w, "is_partial": [False] * 3, "open_share": [0.0, None, 1.0],
                       "named_tokens": [5, 0, 7]})
    chart = charts.open_share_line(df)
    data = chart.layer[0].data
    assert len(data) == 3 and data["open_share"].isna().sum() == 1  # a break, not a line from 0% to 100%
