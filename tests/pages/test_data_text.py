"""Every page on a snapshot whose text fields are hostile (tests/planted.py): the Markdown
each page sends to the browser holds the planted values only escaped (or in a code span),
never as a live link, image, HTML tag, emphasis, directive, icon or formula.

This reads what the server sends, element by element: every field the browser renders as
Markdown (bodies of text, captions, alerts, headings; metric labels, values and deltas;
widget labels and help tooltips; the options of radios, select sliders and segmented
controls). Fields shown as plain text (selectbox options, tables, code, JSON, charts) are
left to the browser test, tests/e2e/test_data_text.py, which looks at the rendered page."""

from __future__ import annotations

import re
import string

import pytest

from tests.apptest import markdown_plugin_fetches, markdown_sources
from tests.hostile import tried
from tests.pages.apprun import run_app
from tests.planted import FIELDS, FOLDER, LIVE, build_planted_snapshot

# Live where they are not escaped: the payload's constructs (and the folder name's).
LIVE_MARKERS = LIVE + ("](planted",)
# What GFM links in the text even when escaped (its autolink-literal transform runs on
# the text after escapes are read; Streamlit 1.67's bundle has these two patterns).
AUTOLINKS = (re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.I),
             re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"))

PAGES = {
    "views/share.py": {"country": ["US", "CN"]},
    "views/claims.py": {},
    "views/race.py": {},
    "views/race_animated.py": {"race_by": "models"},
    "views/countries.py": {"country": ["US", "CN"]},
    "views/launches.py": {"launch": "nope"},
    "views/spend.py": {"lab": ["openai"]},
    "views/segments.py": {"category": ["nope"]},  # the notice lists the categories
    "views/workbench.py": {},
    "views/compare.py": {"old": "sample", "new": FOLDER},
    "views/data.py": {"view": "nope"},
}


@pytest.fixture(scope="module")
def planted_snapshot(tmp_path_factory):
    return build_planted_snapshot(tmp_path_factory.mktemp("planted"))


def outside_code_and_escapes(text: str, *, read: bool = False, keep_escapes: bool = False) -> str:
    """``text`` as CommonMark reads it left to right, with each inline code span (a run
    of backticks up to the next run of the same length; no escapes inside) replaced by a
    blank, and each backslash escape by a blank (what is left can still be live
    Markdown), with ``read`` by the character it shows (the text GFM then scans), with
    ``keep_escapes`` left as it is (the raw source but for the code spans)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in string.punctuation:
            out.append(text[i:i + 2] if keep_escapes else text[i + 1] if read else " ")
            i += 2
        elif c == "`":
            run = re.match(r"`+", text[i:]).group(0)
            close = re.compile(r"(?<!`)" + run + r"(?!`)").search(text, i + len(run))
            if close is None:  # no closing run: the backticks are literal text
                out.append(run)
                i += len(run)
            else:
                out.append(" ")
                i = close.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def live_markdown(text: str) -> list[str]:
    """The planted constructs ``text`` holds outside code spans and escapes."""
    outside = outside_code_and_escapes(text)
    read = outside_code_and_escapes(text, read=True)
    return [m for m in LIVE_MARKERS if m in outside] + [m.group(0) for p in AUTOLINKS for m in p.finditer(read)]


def test_the_checker_finds_live_markdown():
    assert live_markdown("Leader **DeepSeek [x](http://127.0.0.1:9/planted)**")
    assert live_markdown("a ![i](planted-folder.png)") and live_markdown("see www.planted.example")
    assert not live_markdown("DeepSeek \\[x\\]\\(http\\:\u2060\\/\\/127\\.0\\.0\\.1\\:9\\/planted\\) \\*\\*bold\\*\\*")
    # GFM links an escaped bare URL, www. host or address all the same
    assert live_markdown(r"DeepSeek http\:\/\/127\.0\.0\.1\:9\/planted") == ["http://127.0.0.1"]
    assert live_markdown(r"www\.planted\.example") and live_markdown(r"x\@planted\.example")
    assert not live_markdown("at `/tmp/snap [x](planted-folder) <img src=planted-folder.png>`")
    assert not live_markdown("at `` a`b [x](http://127.0.0.1:9/planted) ``")
    assert live_markdown(r"\`[x](http://127.0.0.1:9/planted)`")  # an escaped backtick opens no span
    assert not live_markdown(r"``ends with a backslash [x](http://127.0.0.1:9/planted) \``")  # none inside a span
    assert live_markdown("an unclosed ` [x](http://127.0.0.1:9/planted)")


@pytest.mark.parametrize("page", list(PAGES))
def test_data_text_is_never_live_markdown(page, planted_snapshot, on_snapshot):
    on_snapshot(planted_snapshot)
    at = run_app(PAGES[page], page)
    assert not at.exception, [e.value for e in at.exception]
    sources = markdown_sources(at)
    shown = [(where, text) for where, text in sources if "planted" in text]
    # the footer's citation carries the planted as_of on every page: the check is not empty
    assert any("planted" in text and "Caption" in where for where, text in shown), sources
    live = [(where, live_markdown(text), text[:200]) for where, text in shown if live_markdown(text)]
    assert not live, live
    # nor does any text, planted or not, make the browser fetch the emoji or formula plugin,
    # but for values in code spans: shown verbatim there, and Streamlit's checks read the
    # raw source, spans and all (a planted ":smile:" in a span fetches the plugin, which
    # then changes nothing in the span)
    fetched = markdown_plugin_fetches(sources, lambda text: outside_code_and_escapes(text, keep_escapes=True))
    assert not fetched, fetched
    tried("data-text", len(FIELDS))
