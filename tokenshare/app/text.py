"""Values from data shown as text, never as Markdown or HTML.

Model, lab, country and category names come from OpenRouter's catalogue, and manifest
fields from whoever wrote the snapshot: a name like ``[x](https://evil.example)`` or
``![i](http://host/pixel.png)`` must not become a link or an image the browser fetches
when a page interpolates it into ``st.markdown``, ``st.caption``, an alert, a metric, a
help tooltip or any other element Streamlit renders as Markdown. Every such
interpolation goes through ``md`` (running text) or ``code`` (an inline code span).
Where no formatting is needed at all, ``st.text``, ``st.code``, ``st.json`` and
``st.dataframe`` show values as they are and need neither.

What Streamlit 1.67's Markdown does, and what ``md`` does about it (checked in its
frontend bundle and, for each construct, in Chromium by tests/e2e/test_data_text.py):

- CommonMark and GFM constructs: each character that can start one is backslash-escaped
  (CommonMark shows an escaped character as itself): ``\\ ` * ~ [ ] < > # | $ &``
  everywhere (emphasis, code, strikethrough, links and images, HTML and autolinks,
  headings, tables, LaTeX, entities), ``_`` unless it sits inside a word (where
  CommonMark never reads it as emphasis: ``total_tokens`` stays as it is), and at the
  start of the value ``-``, ``+``, ``=`` and ``1.`` / ``1)`` (lists, setext headings).
  ``( ) ! . , : ; ' "`` and the rest are left alone: without ``[`` or ``]`` they start
  nothing, and "Qwen (Alibaba)" or "OpenAI: GPT-5" stay readable in the Markdown source.
- Streamlit's own syntax behind a colon: ``:red[...]`` / ``:color[...]`` directives,
  ``:material/icon:``, ``:streamlit:`` (its logo, an ``<img>``) and ``:emoji:`` codes.
  A colon followed by a letter, ``+`` or ``-``, or opening a code of digits (``:100:``,
  ``:00:`` in "02:00:00"), is escaped and followed by a WORD JOINER (U+2060, invisible):
  the escape stops a directive and Streamlit's check for emoji codes in the raw source
  (whose match makes the page fetch the emoji plugin), the joiner the rest, which
  Streamlit replaces in the text *after* escapes are read.
- GFM's links of bare ``http://``, ``https://`` and ``www.`` addresses and of e-mail
  addresses, also found in the text after escapes are read (an escaped ``http\\:\\/\\/``
  still became a link in Chromium): a WORD JOINER between ``http:`` and ``//``, ``www``
  and ``.``, and after ``@``.
- Line breaks would start a new block (a heading, a list, a quote): a value is one line.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_ALWAYS = frozenset("\\`*~[]<>#|$&")
# "_" between two letters or digits is never emphasis (CommonMark's flanking rules).
_WORD = re.compile(r"[^\W_]")
# A colon that could open a directive (:red[), an icon (:material/), a shortcode (:smile:)
_COLON_NAME = re.compile(r"[A-Za-z+-]")
# A colon that opens what Streamlit's check for emoji codes matches in the raw source
# (its bundle: /:(?!material\/|streamlit:)[\w+-][\w_+-]*:/, ASCII \w): ":00:" of a time,
# ":100:" (an emoji). Its match fetches the emoji plugin, and the plugin turns codes
# such as :100: into emoji.
_SHORTCODE = re.compile(r":[0-9A-Za-z_+-]+:")
# GFM's autolink literals (mdast-util-gfm-autolink-literal, run on text nodes):
# https?:// and www. links, and e-mail addresses.
_AUTOLINK = re.compile(r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)(?=[-\w])")
# Block markers, at the start of the value only (it is one line): list items, setext
# underlines, ordered lists.
_LEADING_MARK = re.compile(r"^(\s*)([-+=])")
_LEADING_NUMBER = re.compile(r"^(\s*\d+)([.)])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def one_line(value) -> str:
    """``value`` as text on one line (line breaks become spaces)."""
    return _LINE_BREAKS.sub(" ", "" if value is None else str(value))


def md(value) -> str:
    """``value`` (any object, shown with ``str``) made safe to put into Markdown that
    Streamlit renders: it reads exactly as the text, on one line, with no link, image,
    HTML, emphasis, directive, icon, emoji or formula taking effect."""
    text = _AUTOLINK.sub(WORD_JOINER, one_line(value))
    out = []
    for i, c in enumerate(text):
        if c in _ALWAYS:
            out.append("\\" + c)
        elif c == "_" and not (0 < i < len(text) - 1 and _WORD.match(text[i - 1]) and _WORD.match(text[i + 1])):
            out.append("\\_")
        elif c == ":" and i + 1 < len(text) and (_COLON_NAME.match(text[i + 1]) or _SHORTCODE.match(text, i)):
            out.append("\\:" + WORD_JOINER)
        else:
            out.append(c)
    escaped = "".join(out)
    escaped = _LEADING_MARK.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _LEADING_NUMBER.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def code(value) -> str:
    """``value`` as a Markdown inline code span: shown verbatim, whatever backticks it
    holds (the fence is one backtick longer than the longest run inside, and padded
    with a space where the value starts or ends with one, as CommonMark specifies)."""
    text = one_line(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = f" {text} "
    return f"{fence}{text}{fence}" if text else fence + " " + fence
