"""Running the app headless with Streamlit's AppTest, and reading what a page shows."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
# The pages every-page checks open, at defaults, on the tiny snapshot and the sample.
PAGES = ["views/share.py", "views/race.py", "views/countries.py", "views/data.py"]
NEW_PAGES = ["views/launches.py", "views/spend.py", "views/segments.py", "views/race_animated.py",
             "views/workbench.py", "views/compare.py", "views/providers.py", "views/value.py",
             "views/apps.py"]


def run_app(query_params=None, page=None, timeout=60):
    """The app run once with ``query_params`` in the URL, then switched to ``page``;
    exceptions are left for the test to look at."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query_params or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def open_page(page, query_params=None):
    """``page`` opened with ``query_params``, asserting it raised nothing."""
    at = run_app(query_params, page)
    assert_clean(at)
    return at


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]


def warnings(at):
    return [w.value for w in at.warning]


def text_of(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


def assert_page_basics(at):
    """A title, and the source line with its as-of time at the end (tiny snapshot)."""
    assert at.title
    assert any("Source: OpenRouter (openrouter.ai/rankings), as of 2026-01-28 02:00 UTC." in c.value
               for c in at.caption)
