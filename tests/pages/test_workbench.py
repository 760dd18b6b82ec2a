"""The SQL workbench page: the default query, a query round trip through the URL, a
refusal from the URL, and loading an example."""

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
