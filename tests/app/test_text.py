"""tokenshare.app.text: values from data put into Markdown read as text.

The escapes are checked against CommonMark's rule, worked here by hand rather than with
the helper's own tables: a backslash before an ASCII punctuation character shows that
character, and nothing else is an escape. Undoing exactly that on ``md(value)`` must give
the value back (on one line, without the invisible word joiners), and reading the result
left to right, no character that can start Markdown, HTML, a Streamlit directive, icon or
formula may be left live. (The browser test, tests/e2e/test_data_text.py, checks the same
in Chromium.)"""

from __future__ import annotations

import re
import string

import pytest

from tests.hostile import tried
from tests.markdown_plugins import plugin_triggers
from tests.planted import PAYLOAD
from tokenshare.app.text import WORD_JOINER, code, md, one_line

# Characters that start a construct wherever they are: each must come out escaped.
ANYWHERE = list("\\`*~[]<>#|$&")
# Characters that start nothing on their own (without [ or ]): left as they are, so the
# Markdown source stays readable ("Qwen (Alibaba)", "OpenAI: GPT-5", "usage.parquet").
INERT = list("()!.,;'\"%?/{}^=+-") + [": "]

HOSTILE = [
    PAYLOAD,
    "[x](https://evil.example)",
    "![i](http://127.0.0.1:9/p.png)",
    "[x]: http://evil.example",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "**bold** __bold__ *it* _it_ ~~gone~~ ~one~",
    "_leading and trailing_",
    ":red[red] :blue-background[x] :color[x]{foreground=red}",
    ":material/home: :streamlit: :smile: :+1: :-1:",
    "$x^2$ $$y$$",
    "`code` ``more``",
    "# heading",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "12) item",
    "===",
    "---",
    "> quote",
    "| a | b |",
    "a\\b\\\\c",
    "https://evil.example/bare HTTP://evil.example www.evil.example x@evil.example",
    "&lt;img&gt; &#58; &amp;",
    "line one\nline two\r\nline three",
    "<http://evil.example>",
    "Qwen: Qwen3 235B",
    "deepseek/deepseek-r1:free",
    "total_tokens snake_case_name",
    "",
]

_COMMONMARK_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WORDLIKE = re.compile(r"[^\W_]")


def unescape(markdown: str) -> str:
    """What CommonMark shows for text whose only Markdown is backslash escapes (word
    joiners kept)."""
    return _COMMONMARK_ESCAPE.sub(r"\1", markdown)


def live_characters(out: str) -> list[tuple[int, str]]:
    """Read ``out`` left to right as CommonMark does and return the characters that are
    not escaped and could start something: the ANYWHERE ones, a ``_`` not inside a word,
    a colon before a name (:red[, :material/, :smile:), and a list, heading or quote
    marker at the start."""
    live, i = [], 0
    while i < len(out):
        c = out[i]
        if c == "\\":
            assert i + 1 < len(out) and out[i + 1] in string.punctuation, (out, i)
            i += 2
            continue
        before, after = out[i - 1] if i else "", out[i + 1] if i + 1 < len(out) else ""
        if c in ANYWHERE:
            live.append((i, c))
        elif c == "_" and not (_WORDLIKE.match(before) and _WORDLIKE.match(after)):
            live.append((i, c))
        elif c == ":" and re.match(r"[A-Za-z+-]", after):
            live.append((i, c))
        i += 1
    if re.match(r"\s*([-+*=>#]|\d+[.)])", out):
        live.append((0, "block marker"))
    return live


@pytest.mark.parametrize("char", ANYWHERE)
def test_each_special_character_is_escaped(char):
    assert md(char) == "\\" + char
    assert md(f"a{char}b") == f"a\\{char}b"
    tried("data-text")


@pytest.mark.parametrize("text", INERT)
def test_inert_characters_are_left_as_they_are(text):
    assert md(f"a{text}b") == f"a{text}b"


@pytest.mark.parametrize("value", HOSTILE)
def test_escaped_text_reads_as_the_value(value):
    out = md(value)
    assert unescape(out).replace(WORD_JOINER, "") == " ".join(value.splitlines())
    assert "\n" not in out and "\r" not in out
    assert not live_characters(out), (value, out, live_characters(out))
    tried("data-text")


def test_the_reader_finds_live_characters():
    assert live_characters("a *b* [c](d)") and live_characters("- x") and live_characters("1. x")
    assert live_characters("_it_") and live_characters(":red[x]") and not live_characters("total_tokens")
    assert not live_characters(r"\- x \*b\* \[c\](d) 02:00 OpenAI: GPT")


def test_underscores_inside_words_stay():
    assert md("total_tokens") == "total_tokens"
    assert md("_it_") == "\\_it\\_"
    assert md("a _b_ c") == "a \\_b\\_ c"


def test_block_markers_at_the_start_are_escaped():
    assert md("- item") == "\\- item"
    assert md("12. item") == "12\\. item"
    assert md("=== ") == "\\=== "
    assert md("a - b. 1. c") == "a - b. 1. c"  # not at the start: not a block


def test_line_breaks_become_spaces():
    assert one_line("a\nb\r\nc\u2028d") == "a b c d"
    assert md("# a\n# b") == "\\# a \\# b"


def test_colons_before_a_name_get_an_escape_and_a_word_joiner():
    # Streamlit swaps :streamlit: (its logo, an <img>) and emoji codes in the text after
    # escapes are read, and :material/ in the raw source, so an escape alone is not enough
    assert md(":streamlit:") == "\\:" + WORD_JOINER + "streamlit:"
    assert md(":smile:") == "\\:" + WORD_JOINER + "smile:"
    assert md(":+1:") == "\\:" + WORD_JOINER + "+1:"
    out = md(":material/home: :red[x]")
    assert ":material/" not in out  # what Streamlit rewrites in the raw source
    assert out == f"\\:{WORD_JOINER}material/home: \\:{WORD_JOINER}red\\[x\\]"
    # times, ratios and "Lab: Model" are not names: untouched
    assert md("02:00") == "02:00"
    assert md("3:1") == "3:1"
    assert md("OpenAI: GPT-5") == "OpenAI: GPT-5"
    # ... unless a colon opens what Streamlit's emoji check matches (":00:" of a time with
    # seconds, an emoji code of digits): it would fetch the emoji plugin, which draws :100:
    assert md("02:00:00Z") == "02\\:" + WORD_JOINER + "00:00Z"
    assert md("x:100:y") == "x\\:" + WORD_JOINER + "100\\:" + WORD_JOINER + "y"


@pytest.mark.parametrize("value", HOSTILE + ["2026-01-28T02:00:00Z", "a:1:2:3", ":100:", "x:_a_:y", "$5 and $6"])
def test_escaped_text_needs_no_markdown_plugin(value):
    # Streamlit's own checks (tests/markdown_plugins.py) on the raw source: the escaped
    # value never makes the browser fetch the emoji or formula plugin
    assert not plugin_triggers(md(value)), (value, md(value))


def test_bare_urls_and_addresses_get_a_word_joiner():
    # GFM links bare URLs, www. hosts and e-mail addresses it finds in the text after
    # escapes are read (seen in Chromium: an escaped http\:\/\/ still became a link)
    for value, broken in (("http://127.0.0.1:9/p", "http:" + WORD_JOINER + "//"),
                          ("HTTPS://evil.example", "HTTPS:" + WORD_JOINER + "//"),
                          ("www.evil.example", "www" + WORD_JOINER + "."),
                          ("WWW.evil.example", "WWW" + WORD_JOINER + "."),
                          ("x@evil.example", "@" + WORD_JOINER + "evil")):
        text = unescape(md(value))
        assert broken in text, (value, text)
        # what GFM's autolink-literal transform looks for (Streamlit 1.67's bundle)
        assert not re.search(r"(?i)(https?://|www(?=\.))[-.\w]+", text), text
        assert not re.search(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", text), text
        tried("data-text")
    assert md("a www b") == "a www b"  # no dot: not a host


def test_plain_words_are_unchanged_and_any_value_is_shown_with_str():
    for name in ("DeepSeek", "Arcee AI", "Qwen (Alibaba)", "Z.ai (Zhipu)", "OpenAI: gpt-oss-120b",
                 "Source: OpenRouter (openrouter.ai/rankings), as of 2026-01-28 02:00 UTC."):
        assert md(name) == name
    assert md(None) == ""
    assert md(12) == "12"


def _code_content(span: str) -> str:
    """The text CommonMark shows for an inline code span (fences of equal length, one
    space stripped from each side when both are spaces and the content is not all spaces)."""
    fence = re.match(r"`+", span).group(0)
    assert span.endswith(fence) and len(span) > 2 * len(fence)
    inner = span[len(fence):-len(fence)]
    # the span ends at the first run of backticks as long as the fence: none inside
    assert len(fence) not in [len(r) for r in re.findall(r"`+", inner)]
    if len(inner) >= 2 and inner[0] == " " and inner[-1] == " " and inner.strip(" "):
        inner = inner[1:-1]
    return inner


@pytest.mark.parametrize("value", ["sao10k/l3", "a`b", "`a", "b`", "``x``", "a ``` b", " padded ", PAYLOAD,
                                   "/tmp/snap [x](p) <img src=p.png> **b**"])
def test_code_span_shows_the_value_verbatim(value):
    assert _code_content(code(value)) == value
    tried("data-text")


def test_code_span_is_one_line():
    assert code("a\nb") == "`a b`"
