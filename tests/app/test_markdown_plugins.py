"""tests/markdown_plugins.py: its checks are the ones in the installed Streamlit's
bundle, and they read text as the bundle does (cases worked by hand from the bundle's
regular expressions, both sides of each)."""

from __future__ import annotations

import pytest

from tests.markdown_plugins import BUNDLE_PATTERNS, markdown_bundle, plugin_triggers


def test_the_bundle_still_has_these_checks():
    # a Streamlit upgrade that changes them fails here: read the new ones into
    # tests/markdown_plugins.py (and see whether the app's texts still pass)
    bundle = markdown_bundle()
    missing = [p for p in BUNDLE_PATTERNS if p not in bundle]
    assert not missing, missing


@pytest.mark.parametrize("text, found", [
    ("as of 2026-11-23T02:00:00Z", ["remark-emoji: ':00:'"]),   # a time with seconds
    ("as of 2026-11-23 02:00 UTC", []),                          # one colon
    ("Default 15:1: the study", ["remark-emoji: ':1:'"]),
    ("Default 15:1, from the study", []),
    (":smile: and :+1:", ["remark-emoji: ':smile:'", "remark-emoji: ':+1:'"]),
    (":material/check_circle: passed", []),                      # icons are not emoji codes
    (":streamlit: logo", []),
    ("02\\:\u206000:00Z", []),                                   # what md() writes
    ("OpenAI: GPT-5: preview", []),                              # a space after the colon
    ("$x^2$", ["rehype-katex"]),
    ("$$x$$", ["rehype-katex"]),
    ("costs $5 and $6 a day", []),                               # a digit after the closing $
    ("costs $5 and $ 6", []),                                    # a space before the closing $
    ("\\$x\\$", []),                                             # escaped
    ("`$x$`", []),                                               # in a code span
    ("no dollar at all", []),
])
def test_what_fetches_a_plugin(text, found):
    assert plugin_triggers(text) == found
