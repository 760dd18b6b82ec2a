"""The SQL workbench page: the default query, a query round trip through the URL, a
refusal from the URL, and loading an example."""

import pytest

from tests.hostile import tried
from tests.pages.apprun import open_page, assert_page_basics


def test_workbench_default_is_the_headline(on_tiny):
    at = open_page("views/workbench.py")
    assert_page_basics(at)
    df = at.dataframe[0].value
    assert df["open_share_pct"].iloc[0] == 62.0


def test_workbench_query_round_trip(on_tiny):
    q = "SELECT model_permaslug, sum(total_tokens) AS tokens FROM usage GROUP BY ALL ORDER BY tokens DESC LIMIT 3"
    at = open_page("views/workbench.py", {"sql": q})
    assert at.text_area(key="sql").value == q
    df = at.dataframe[0].value
    assert df["model_permaslug"].tolist() == ["openai/gpt-5", "deepseek/deepseek-v3", "qwen/qwen3-235b"]
    assert any("3 rows" in m.value for m in at.markdown)


def test_workbench_refusal_from_the_url(on_tiny):
    at = open_page("views/workbench.py", {"sql": "COPY usage TO '/tmp/x.csv'"})
    assert any("`COPY` reads or writes files" in e.value for e in at.error)
    at = open_page("views/workbench.py", {"sql": "SELECT * FROM read_parquet('/etc/passwd.parquet')"})
    assert any("reads files" in e.value for e in at.error)


def test_workbench_load_example(on_tiny):
    at = open_page("views/workbench.py")
    at.selectbox(key="_wb_example").set_value("workbench_example_labs").run()
    at.button[0].click().run()
    assert at.text_area(key="sql").value.startswith("-- workbench_example_labs")
    assert "lab_name" in at.dataframe[0].value.columns


def _result_tables(at):
    """The page's tables other than the schema list in "Tables and columns"."""
    return [d for d in at.dataframe if list(d.value.columns) != ["table_name", "column_name", "data_type"]]


def test_over_long_sql_from_the_url_is_refused_not_cut(on_tiny):
    """Issue 15, failure 8, as AppTest sees it: the query is kept whole and refused with
    the limit. (AppTest does not apply a text area's max_chars, so the cut itself, which
    only a browser did, is tested in tests/e2e/test_workbench_url.py.)"""
    q = "SELECT 1 AS one" + " " * 20_000 + "-- end"
    at = open_page("views/workbench.py", {"sql": q})
    assert len(at.text_area(key="sql").value) == len(q) == 20_021
    assert any("20,021 characters" in e.value and "up to 20,000" in e.value for e in at.error)
    assert not _result_tables(at)  # nothing ran
    tried("workbench")


@pytest.mark.parametrize("q, shown", [
    ("SELECT '20000-01-01'::DATE AS d", "20000-01-01"),
    ("SELECT '2025-01-01'::DATE - 10000000 AS d", "-25355-12-07"),
])
def test_dates_out_of_python_range_are_shown_not_an_exception(on_tiny, q, shown):
    """Issue 15, failure 5: these were exception boxes (ValueError)."""
    at = open_page("views/workbench.py", {"sql": q})
    assert at.dataframe[0].value["d"].tolist() == [shown]
    tried("workbench")


@pytest.mark.parametrize("q", [
    "SELECT " + "(SELECT " * 400 + "1" + ")" * 400,
    "SELECT name, setting FROM pg_catalog.pg_settings",
    "SELECT path FROM duckdb_databases",
    "SELECT current_setting('secret_directory')",
    "SELECT unnest(range(1000000000))",
])
def test_hostile_queries_are_a_message_on_the_page(on_tiny, q):
    """Failures 1, 5 and 7 as the page shows them: an error message, no exception box,
    no path of the server."""
    at = open_page("views/workbench.py", {"sql": q})
    assert at.error and not _result_tables(at)
    assert all("/" not in e.value.replace("/ LOAD", "") for e in at.error)
    tried("workbench")


def test_the_page_passes_the_visitors_address_to_the_workbench(on_tiny, monkeypatch):
    """Issue 26, item 4: the per-address share needs the page to pass the address it knows
    (st.context.ip_address, None in AppTest: stood in for here) to the fair gate."""
    from tokenshare.engine.workbench_fair import FairGate

    seen = []
    enter = FairGate.enter
    monkeypatch.setattr(FairGate, "enter", lambda self, session, address=None: (
        seen.append((session, address)), enter(self, session, address))[1])
    monkeypatch.setattr("tokenshare.app.state.client_address", lambda: "203.0.113.7")
    at = open_page("views/workbench.py", {"sql": "SELECT 1 AS one"})
    assert any("1 row" in m.value for m in at.markdown)
    assert [a for _, a in seen] == ["203.0.113.7"] and seen[0][0] is not None
