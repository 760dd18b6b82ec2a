"""Hostile URLs: whatever a shared link carries (random and huge strings, unicode,
SQL fragments, Markdown, thousands of repeated values, impossible dates and ranges),
the app says what it ignored, still shows the view, and nothing from the URL reaches
SQL text.

Property-based (hypothesis) on ``check_url_params``, then a handful of generated cases
through the whole app with AppTest on the tiny snapshot, spying on every SQL statement
the app runs."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.hostile import tried
from tokenshare.app.urlcheck import check_url_params, clamp_dates
from tokenshare.app.urls import (
    BREAKDOWNS,
    GLOBAL_KEYS,
    GRAINS,
    OPENNESS,
    RACE_SCOPES,
    TOP_MAX,
    TOP_MIN,
    VOLUMES,
)

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

DATA_START, DATA_END = dt.date(2026, 1, 5), dt.date(2026, 1, 27)  # the tiny snapshot
LABS = {"deepseek": "DeepSeek", "qwen": "Qwen", "openai": "OpenAI", "arcee-ai": "Arcee AI", "mistralai": "Mistral AI"}
COUNTRIES = {"CN": "China", "US": "United States", "FR": "France", "XX": "Unknown country"}
PAGE_CHOICES = {"by": BREAKDOWNS, "volume": VOLUMES, "scope": RACE_SCOPES}
KEYS = list(GLOBAL_KEYS) + list(PAGE_CHOICES)

SQL_FRAGMENTS = [
    "'; DROP TABLE usage; --", "1 OR 1=1", "$labs", "' UNION SELECT * FROM models --",
    "'); COPY usage TO '/tmp/x.csv'; --", "read_parquet('/etc/passwd')", "ATTACH '/tmp/x.db'",
    "\\x00", "%27%3B", "NULL", "{labs}", "%s", "?",
]
MARKDOWN = ["` **Your session expired.** [Log in](https://evil.example) `", "`", "``", "[x](javascript:alert(1))",
            "<img src=x onerror=alert(1)>", ":red[alert]", "$x^2$", "\n\n# Heading", "\u2028", "*" * 50]

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(min_size=500, max_size=5000),
    st.sampled_from(SQL_FRAGMENTS + MARKDOWN),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.from_regex(r"\d{1,6}-\d{1,3}-\d{1,3}", fullmatch=True),  # date-like, often impossible
    st.builds(lambda a, b: a + b, st.sampled_from(SQL_FRAGMENTS + MARKDOWN), st.text(max_size=20)),
)
raw_params = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=20)),
    st.lists(hostile_text, max_size=6),
    max_size=len(KEYS) + 2,
)


def check(raw):
    return check_url_params(raw, lab_options=LABS, country_options=COUNTRIES,
                            data_start=DATA_START, data_end=DATA_END, page_choices=PAGE_CHOICES)


def outside_code_spans(markdown: str) -> str:
    """The text of a notice that is *not* inside a `code span` (where Markdown is inert)."""
    return "".join(part for i, part in enumerate(markdown.split("`")) if i % 2 == 0)


# --------------------------------------------------------------------------- the check itself


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_params)
@example({"lab": ["x` [Log in](https://evil.example) `"]})
@example({"grain": ["`"], "top": ["``"], "country": ["a`b`c"]})
def test_any_url_gives_short_safe_notices(raw):
    notices = check(raw).notices
    assert len(notices) == len(set(notices)), "each problem is reported once"
    assert len(notices) <= 2 * len(KEYS)
    for n in notices:
        assert len(n) <= 400, n
        assert "\n" not in n and "\r" not in n, "a notice is one line"
        assert n.count("`") % 2 == 0, f"unbalanced code spans let URL text render as Markdown: {n!r}"
    tried("url")


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(KEYS), prefix=hostile_text, suffix=hostile_text)
def test_url_text_is_only_ever_shown_inside_code_spans(key, prefix, suffix):
    """A marker planted anywhere in a URL value shows up in a notice only inside a code
    span, so a link cannot inject bold text, links or images into the app."""
    marker = "QZXJMARK"
    value = prefix[:8] + marker + suffix
    for n in check({key: [value]}).notices:
        assert marker not in outside_code_spans(n), n
    tried("url")


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(DATA_START, DATA_END), end=st.dates(DATA_START, DATA_END),
    grain=st.sampled_from(list(GRAINS)), openness=st.sampled_from(list(OPENNESS)),
    countries=st.lists(st.sampled_from(list(COUNTRIES)), unique=True),
    labs=st.lists(st.sampled_from(list(LABS)), unique=True),
    top=st.integers(TOP_MIN, TOP_MAX), by=st.sampled_from(list(BREAKDOWNS)),
)
def test_valid_urls_give_no_notice_except_a_swapped_range(start, end, grain, openness, countries, labs, top, by):
    raw = {"start": [start.isoformat()], "end": [end.isoformat()], "grain": [grain], "openness": [openness],
           "country": countries, "lab": labs, "top": [str(top)], "by": [by]}
    notices = check(raw).notices
    if start <= end:
        assert notices == []
    else:
        assert len(notices) == 1 and "swapped" in notices[0]
        assert clamp_dates(start, end, DATA_START, DATA_END) == (end, start)


@pytest.mark.parametrize("value", [
    "2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01", "9999-12-31", "2026-1-5", "20260105",
    "2026-01-05T00:00", " 2026-01-05", "２０２６-01-05", "2026-01-05\n", "-2026-01-05", "yesterday", "",
])
def test_impossible_or_malformed_dates(value):
    notices = check({"start": [value], "end": ["2026-01-10"]}).notices
    if value == "":
        assert notices == []
    else:
        assert len(notices) == 1 and "start" in notices[0], notices
    tried("url")


def test_dates_outside_the_snapshot_and_reversed_ranges():
    assert "covers 2026-01-05 to 2026-01-27" in check({"start": ["1999-01-01"]}).notices[0]
    assert "covers" in check({"end": ["2099-01-01"]}).notices[0]
    assert "swapped" in check({"start": ["2026-01-20"], "end": ["2026-01-06"]}).notices[0]
    # a reversed range wholly outside the data: reported as outside, not as swapped
    notices = check({"start": ["2030-01-02"], "end": ["2030-01-01"]}).notices
    assert all("swapped" not in n for n in notices) and len(notices) == 2
    assert clamp_dates(dt.date(2030, 1, 2), dt.date(2030, 1, 1), DATA_START, DATA_END) == (DATA_END, DATA_END)


@pytest.mark.parametrize("n", [5_000, 50_000])
def test_thousands_of_repeated_values_are_cheap(n):
    """Checking many values stays linear. (Streamlit 1.67 itself ignores a query
    string of over 1,000 parameters, but the check must not depend on it: it was
    quadratic, 9 s of CPU for 20,000 values.)"""
    raw = {"lab": [f"lab-{i}" for i in range(n)] + ["deepseek"] * n,
           "country": ["US"] * n + [f"C{i}" for i in range(n)],
           "grain": ["day"] * n, "top": ["7"] * n}
    t0 = time.perf_counter()
    notices = check(raw).notices
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0, f"{n} values took {elapsed:.1f} s"
    text = "\n".join(notices)
    assert f"repeats `lab` {2 * n} times" in text and f"and {n - 5} more" in text
    assert "`grain` was given 999 times" in text
    assert len(text) < 2000
    tried("url")


# --------------------------------------------------------------------------- the whole app


class SqlSpy:
    """Records every SQL text and its bound parameters that the app sends to DuckDB
    through the named-query runner (the only way the app runs SQL)."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def wrap(self, run):
        def spy(con, name, params=None):
            from tokenshare.core import sql as sqlmod
            self.calls.append((sqlmod.load_sql(name), dict(params or {})))
            return run(con, name, params)
        return spy


@pytest.fixture
def tiny_app(tiny_snapshot, monkeypatch):
    from tests.pages.apprun import run_app
    from tokenshare.app import cache
    from tokenshare.core import sql as sqlmod

    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(tiny_snapshot.path))
    spy = SqlSpy()
    monkeypatch.setattr(sqlmod, "run", spy.wrap(sqlmod.run))
    # cached results would hide the queries a run makes: run() clears them

    def run(params: dict[str, list[str]], page: str | None = None):
        cache.clear("query")
        spy.calls.clear()
        return run_app(params, page, timeout=90)

    run.spy = spy
    return run


def _assert_clean_and_headline(at):
    assert not at.exception, [e.value for e in at.exception]
    assert any(m.label.startswith("Open-weight share") for m in at.metric)


MARK = "QZXJMARK"
hostile_url = st.fixed_dictionaries(
    {},
    optional={
        "lab": st.lists(st.builds(lambda s: MARK + s, hostile_text), min_size=1, max_size=3),
        "country": st.lists(st.builds(lambda s: MARK + s, hostile_text), min_size=1, max_size=3),
        "grain": st.builds(lambda s: [MARK + s], hostile_text),
        "start": st.sampled_from([["2026-02-30"], ["0000-00-00"], [MARK + "'; DROP TABLE usage; --"], ["9999-99-99"]]),
        "top": st.builds(lambda s: [MARK + s], hostile_text),
        "by": st.builds(lambda s: [MARK + s], hostile_text),
    },
).filter(bool)


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(params=hostile_url)
def test_hostile_urls_through_the_app(tiny_app, params):
    """Generated hostile URLs through the real app: a notice for the bad values, the
    Share page still draws with its hand-computed headline, and no SQL text (nor any
    bound parameter) contains what the URL said."""
    at = tiny_app(params)
    _assert_clean_and_headline(at)
    assert at.warning, "the bad values are reported"
    for w in at.warning:
        assert MARK not in outside_code_spans(w.value)
    # every value was bad, so the view is the default one with its hand-computed headline
    assert next(m.value for m in at.metric if m.label.startswith("Open-weight share")) == "62.0%"
    assert tiny_app.spy.calls, "the spy saw the app's queries"
    for sql_text, bound in tiny_app.spy.calls:
        assert MARK not in sql_text
        assert MARK not in repr(bound)
    tried("url")


@pytest.mark.parametrize("params, fragment", [
    # (Streamlit 1.67 ignores query strings of over 1,000 parameters: stay under)
    ({"lab": ["deepseek"] * 900 + ["'; DROP TABLE usage; --"]}, "repeats `lab` 901 times"),
    ({"country": [f"C{i}" for i in range(990)]}, "and 985 more"),
    ({"start": ["2026-01-27"], "end": ["2026-01-05"]}, "were swapped"),
    ({"start": ["2026-02-30"]}, "YYYY-MM-DD"),
    ({"top": ["1e9"], "grain": ["week\u0000"]}, "top=1e9"),
    ({"lab": ["x` **Your session expired.** [Log in](https://evil.example) `"]}, "unknown lab"),
])
def test_pathological_urls_through_the_app(tiny_app, params, fragment):
    at = tiny_app(params, page="views/race.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any(fragment in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.get("vega_lite_chart"), "the Race page still draws"
    for w in at.warning:
        for link in re.findall(r"\[[^\]]*\]\([^)]*\)", outside_code_spans(w.value)):
            pytest.fail(f"a Markdown link from the URL would render: {link}")
    for sql_text, bound in tiny_app.spy.calls:
        assert "DROP TABLE" not in sql_text and "evil.example" not in sql_text
        assert "DROP TABLE" not in repr(bound)
    tried("url")


INJECTION = "x` **Session expired.** [Log in](https://evil.example) `"


@pytest.mark.parametrize("page, key", [
    ("views/share.py", "lab"),
    ("views/share.py", "grain"),
    ("views/segments.py", "category"),
    ("views/compare.py", "old"),
    ("views/launches.py", "launch"),
    ("views/race_animated.py", "frame"),
    ("views/data.py", "view"),
    ("views/apps.py", "app_category"),
    ("views/apps.py", "app_subcategory"),
])
def test_no_markdown_injection_through_any_page_parameter(page, key, monkeypatch, tmp_path):
    """Pages that echo an ignored URL value in a notice keep it inside a code span: a
    backtick in the value must not close the span and let a link or bold text render
    in the app's own voice. On the bundled sample (it has categories and launches)."""
    if not (ROOT / page).exists():
        pytest.skip(f"no {page} in this tree")
    from streamlit.testing.v1 import AppTest

    from tokenshare.app import state

    monkeypatch.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    monkeypatch.setattr(state, "SNAPSHOTS_DIR", tmp_path / "no-snapshots")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params[key] = [INJECTION]
    at.run()
    if page != "views/share.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    echoed = [el.value for el in list(at.warning) + list(at.info) + list(at.error) if "Session expired" in el.value]
    assert echoed, f"the ignored {key} value is reported"
    for text in echoed:
        outside = outside_code_spans(text)
        assert "Session expired" not in outside and "](" not in outside, text
    tried("url")


def test_over_a_thousand_parameters_open_the_default_view(tiny_app):
    at = tiny_app({"lab": ["'; DROP TABLE usage; --"] * 1500})
    _assert_clean_and_headline(at)
    assert next(m.value for m in at.metric if m.label.startswith("Open-weight share")) == "62.0%"
    assert all("DROP TABLE" not in sql_text for sql_text, _ in tiny_app.spy.calls)
    tried("url")


@pytest.mark.parametrize("params", [
    {"sql": ["SELECT * FROM read_parquet('/etc/passwd')"]},
    {"sql": ["COPY usage TO '/tmp/tokenshare-pwned.csv'"]},
    {"sql": ["SELECT 1; DROP TABLE usage"]},
    {"sql": ["x" * 25_000]},
    {"sql": ["SELECT '` [Log in](https://evil.example) `' AS a"]},
])
def test_hostile_workbench_urls(tiny_app, params, tmp_path):
    """The SQL workbench takes SQL from the URL by design: whatever it says, the page
    refuses or runs it in the sandbox, writes nothing, and shows no exception."""
    if not (ROOT / "views" / "workbench.py").exists():
        pytest.skip("no SQL workbench in this tree")
    at = tiny_app(params, page="views/workbench.py")
    assert not at.exception, [e.value for e in at.exception]
    assert not Path("/tmp/tokenshare-pwned.csv").exists()
    shown = " ".join(e.value for e in list(at.error) + list(at.warning) + list(at.info) + list(at.markdown))
    assert "root:x:0:0" not in shown
    for el in list(at.error) + list(at.warning):
        for link in re.findall(r"\[[^\]]*\]\([^)]*\)", outside_code_spans(el.value)):
            pytest.fail(f"a Markdown link from the URL would render: {link}")
