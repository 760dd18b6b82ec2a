"""Share this view, its plain parts: the canonical link (registry order, defaults and
unknown keys dropped, values escaped), the filters in words, the public address setting,
and the PNG card (a valid 1200 x 675 PNG with the chart and the words burned in)."""

import datetime as dt
import struct

import pandas as pd
import pytest

from tokenshare.app import charts, urls
from tokenshare.app.charts.finished import plain_dict
from tokenshare.app.share import card, link, words
from tokenshare.core import settings

DEFAULTS = {"start": ["2026-01-05"], "end": ["2026-01-27"], "grain": ["week"], "openness": ["all"], "top": ["10"],
            "by": ["openness"], "scope": ["open"]}


def test_canonical_pairs_keep_non_defaults_in_the_registrys_order():
    # given in another order, with a default value, an unknown key and another page's key
    current = {"by": ["lab"], "lab": ["deepseek", "arcee-ai"], "grain": ["week"], "top": ["5"],
               "start": ["2026-01-12"], "end": ["2026-01-27"], "nonsense": ["1"], "scope": ["all"]}
    pairs = link.canonical_pairs(current, DEFAULTS, "share")
    # the registry's order: start, end, grain, openness, tier, country, lab, field, top, ..., by
    assert pairs == [("start", "2026-01-12"), ("lab", "deepseek"), ("lab", "arcee-ai"), ("top", "5"), ("by", "lab")]
    order = list(urls.PARAMS)
    assert [order.index(k) for k, _ in pairs] == sorted(order.index(k) for k, _ in pairs)
    # on the Race page `scope` is read and `by` is not
    assert link.canonical_pairs(current, DEFAULTS, "race")[-1] == ("scope", "all")
    assert ("by", "lab") not in link.canonical_pairs(current, DEFAULTS, "race")


def test_every_default_gives_the_bare_page_address():
    assert link.canonical_pairs(DEFAULTS, DEFAULTS, "share") == []
    assert link.canonical_url("https://x.example/", "share", []) == "https://x.example/share"
    assert link.canonical_url("https://x.example", "home", []) == "https://x.example/"
    assert link.canonical_url(None, "race", [("grain", "month")]) == "./race?grain=month"
    assert link.canonical_url(None, "home", []) == "./"


def test_hostile_values_are_escaped_in_the_link_and_the_snippet():
    hostile = '"><script>alert(1)</script>&x=1'
    url = link.canonical_url("https://x.example", "workbench", [("sql", hostile)])
    assert "<" not in url and '"' not in url and "&x=1" not in url and " " not in url
    snippet = link.embed_snippet(link.canonical_url("https://x.example", "workbench", [("sql", hostile)], embed=True),
                                 'a "title" <b>')
    assert snippet.count("<") == 2 and snippet.endswith("</iframe>")  # the iframe's own tags only
    assert 'title="a &quot;title&quot; &lt;b>"' in snippet and "&amp;embed=true" in snippet


@pytest.mark.parametrize("value, expected", [
    ("https://tokenshare.streamlit.app/", "https://tokenshare.streamlit.app"),
    ("http://127.0.0.1:8501", "http://127.0.0.1:8501"),
    ("javascript:alert(1)", None), ("tokenshare.streamlit.app", None), ("https://x.app/?a=1", None),
    ('https://x.app/"onload', None), ("", None),
])
def test_public_url_setting(monkeypatch, value, expected):
    monkeypatch.setenv("TOKENSHARE_PUBLIC_URL", value)
    assert settings.public_url() == expected


def test_filters_in_words():
    pairs = [("openness", "open"), ("tier", "paid"), ("lab", "arcee-ai"), ("lab", "x"), ("field", "focus"),
             ("top", "5"), ("by", "lab"), ("markers", "true"), ("sql", "SELECT 1")]
    got = words.filters_in_words(dt.date(2026, 1, 5), dt.date(2026, 1, 27), "week", pairs,
                                 {"lab": {"arcee-ai": "Arcee AI"}})
    assert got == ("2026-01-05 to 2026-01-27 by ISO week; open-weight models only; paid only; labs: Arcee AI, x; "
                   "measured against the focus alone; top 5 named; broken down by: Lab; markers on; a custom SQL query")
    assert words.filters_in_words(dt.date(2026, 1, 5), dt.date(2026, 1, 27), "month", []) == \
        "2026-01-05 to 2026-01-27 by month"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def trend():
    periods = pd.date_range("2026-01-05", periods=6, freq="7D")
    return pd.DataFrame({"period": periods, "period_end": periods + pd.Timedelta(days=6),
                         "is_partial": [False] * 5 + [True], "open_share": [0.4, 0.45, 0.5, 0.55, 0.6, 0.62],
                         "named_tokens": [100] * 6})


def test_card_is_a_1200_by_675_png_with_the_chart_and_the_words():
    text = card.CardText("Who carries <OpenRouter's> tokens?", "Open-weight share: 60.0% in the week of 2026-02-02",
                         "2026-01-05 to 2026-02-15 by ISO week; labs: A & B", "Source: test, as of 2026-02-16.", True)
    spec = plain_dict(charts.open_share_line(trend()))
    svg = card.card_svg(card.chart_svg(spec, 1120, 424), text)
    assert "&lt;OpenRouter's&gt;" in svg and "A &amp; B" in svg and "SYNTHETIC SAMPLE DATA" in svg
    assert "Open-weight share" in svg  # the chart's own axis title: the chart is in the card
    assert svg.count("<svg") == 2 and "mark-line" in svg
    png = card.card_png(spec, text)
    assert png_size(png) == (1200, 675)
    # without the chart the card is mostly white: the chart adds a large share of coloured pixels
    assert len(png) > len(card.card_png(None, text)) * 1.5
    real = card.card_svg(None, card.CardText("t", "h", "f", "c", False))
    assert "SYNTHETIC" not in real


def test_tab_titles_say_what_the_view_shows():
    from tokenshare.app.share import tabs
    assert tabs.tab_title("race", ["Arcee AI"]) == "Arcee AI in the lab race · tokenshare"
    assert tabs.tab_title("race", []) == "The open-model lab race on OpenRouter · tokenshare"
    assert tabs.tab_title("", []) == tabs.tab_title("home", []) == tabs.tab_title("share", [])
    assert tabs.tab_title("share", ["A", "B", "C", "D", "E"]) == \
        "A, B, C and 2 more: share of OpenRouter's tokens · tokenshare"
    # every page app.py serves has its own title
    import ast
    from pathlib import Path
    tree = ast.parse((Path(__file__).resolve().parents[2] / "app.py").read_text())
    paths = {kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
             for kw in node.keywords if kw.arg == "url_path"}
    assert paths and paths <= set(tabs.TITLES)
