"""What makes Streamlit 1.67's Markdown fetch a plugin: its frontend
(``StreamlitMarkdown``) tests each element's raw Markdown source before rendering it,
and only when a test matches does it fetch and run the plugin: ``remark-emoji`` (its
chunk and the emoji table, about 265 kB) for anything shaped like an emoji code,
``rehype-katex`` for a formula. A page whose text never matches loads neither; one
that matches loads it late in the first load and renders that text twice.

The checks below are the bundle's own, written again in Python (JavaScript's ``\\w`` is
ASCII, hence ``re.ASCII``). ``BUNDLE_PATTERNS`` are their sources as the bundle spells
them: tests/app/test_markdown_plugins.py fails if a Streamlit upgrade changes them."""

from __future__ import annotations

import re
from pathlib import Path

# function hm(e){return/:(?!material\/|streamlit:)[\w+-][\w_+-]*:/.test(e)}
EMOJI = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:", re.ASCII)
# function bm(e){if(!e.includes(`$`))return!1;let n=e.replaceAll(gm,`_`);if(_m.test(n))return!0;...return vm.test(r)}
# gm: fenced code, inline code spans, and the escapes \\ \$ \` (each replaced by "_")
_CODE_OR_ESCAPE = re.compile(r"(?:^|(?<=\n)) {0,3}(`{3,}|~{3,})[\s\S]*?(?:\n[ \t]*\1|\Z)"
                             r"|(?<!`)(`+)[^`\n]+\2(?!`)|\\[\\$`]")
_DISPLAY_MATH = re.compile(r"(?<!\$)\$\$+(?!\$)[\s\S]*?\$\$")
_INLINE_MATH = re.compile(r"(?<!\$)\$(?![\s$])[^$\n]*?[^\s$]\$(?!\d)")

BUNDLE_PATTERNS = (
    r"/:(?!material\/|streamlit:)[\w+-][\w_+-]*:/",
    r"/(?<=^|\n) {0,3}(`{3,}|~{3,})[\s\S]*?(?:\n[ \t]*\1|$)|(?<!`)(`+)[^`\n]+\2(?!`)|\\[\\$`]/g",
    r"/(?<!\$)\$\$+(?!\$)[\s\S]*?\$\$/",
    r"/(?<!\$)\$(?![\s$])[^$\n]*?[^\s$]\$(?!\d)/",
)


def needs_katex(text: str) -> bool:
    if "$" not in text:
        return False
    rest = _CODE_OR_ESCAPE.sub("_", text)
    return bool(_DISPLAY_MATH.search(rest) or _INLINE_MATH.search(rest))


def plugin_triggers(text: str) -> list[str]:
    """The plugins ``text`` (one element's Markdown source) makes the browser fetch, with
    what matched: [] for text that needs none."""
    found = [f"remark-emoji: {m.group(0)!r}" for m in EMOJI.finditer(text)]
    return found + (["rehype-katex"] if needs_katex(text) else [])


def markdown_bundle() -> str:
    """The text of Streamlit's StreamlitMarkdown chunk, where the checks live."""
    import streamlit

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    found = sorted(js.glob("StreamlitMarkdown.*.js"))
    assert len(found) == 1, f"expected one StreamlitMarkdown chunk in {js}, found {found}"
    return found[0].read_text(encoding="utf-8")
