"""page.small_table: a few rows as a Markdown table whose every cell reads as its text
(a name from the data never becomes a link, an image, HTML or a broken row), and longer
tables as the usual grid."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest import markdown_tables


def _script():
    import pandas as pd
    import streamlit as st

    from tokenshare.app import page

    rows = st.session_state.get("rows", 3)
    names = ["DeepSeek", "a | b [x](https://evil.example) ![i](http://h/p.png) <b>bold</b>", "-lead *em*"]
    df = pd.DataFrame({
        "#": range(1, rows + 1),
        "Leader": [names[i % 3] for i in range(rows)],
        "Tokens": [1234567 * (i + 1) for i in range(rows)],
        "Current": [i == rows - 1 for i in range(rows)],
        "Share": [0.25 + i for i in range(rows)],
        "token_share": [0.125 * (i + 1) if i else None for i in range(rows)],
        "first_seen": [pd.Timestamp("2026-01-05") if i else pd.NaT for i in range(rows)],
    })
    page.small_table(df, max_rows=5)


def _run(rows: int):
    at = AppTest.from_function(_script, default_timeout=30)
    at.session_state["rows"] = rows
    return at.run()


def test_a_few_rows_read_as_their_text():
    at = _run(3)
    assert not at.exception
    assert not at.dataframe
    (table,) = markdown_tables(at)
    assert list(table.columns) == ["#", "Leader", "Tokens", "Current", "Share", "token_share", "first_seen"]
    assert table["#"].tolist() == ["1", "2", "3"]
    assert table["Leader"].tolist() == [
        "DeepSeek", "a | b [x](https://evil.example) ![i](http://h/p.png) <b>bold</b>", "-lead *em*"]
    assert table["Tokens"].tolist() == ["1,234,567", "2,469,134", "3,703,701"]
    assert table["Current"].tolist() == ["", "", "yes"]
    assert table["Share"].tolist() == ["0.25", "1.25", "2.25"]  # not a share by its name: as it is
    assert table["token_share"].tolist() == ["", "25.0%", "37.5%"]  # a share column, in %, as page.table shows it
    assert table["first_seen"].tolist() == ["", "2026-01-05", "2026-01-05"]  # no "NaT"
    source = at.markdown[0].value
    # the row stays one row of five cells: the name's pipe is escaped, its link and
    # image and HTML are text (their brackets and angle brackets escaped)
    assert source.splitlines()[3].count("|") - source.splitlines()[3].count("\\|") == 8
    assert "](" not in source.replace("\\](", "") and "<b>" not in source


def test_more_rows_than_the_limit_are_a_grid():
    at = _run(6)  # one over max_rows=5
    assert not at.exception
    assert not markdown_tables(at)
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 6
    at = _run(5)  # exactly at the limit: still Markdown
    assert len(markdown_tables(at)) == 1 and not at.dataframe


def _grid_script():
    import pandas as pd
    import streamlit as st

    from tokenshare.app import page

    rows = st.session_state.get("rows", 3)
    df = pd.DataFrame({"Model": [f"m{i}" for i in range(rows)], "Tokens": [10 * (rows - i) for i in range(rows)],
                       "Note": [f"n{i}" for i in range(rows)]})
    config = {"Tokens": st.column_config.NumberColumn("Tokens /day", help="a mean")} if st.session_state.get("label") else None
    page.table_with_grid(df, key="t", noun="models", rows=4, columns=st.session_state.get("columns"),
                         column_config=config)


def _run_grid(rows: int, columns=None, opened: bool = False, label: bool = False):
    at = AppTest.from_function(_grid_script, default_timeout=30)
    at.session_state["rows"] = rows
    at.session_state["columns"] = columns
    at.session_state["label"] = label
    if opened:
        at.session_state["grid-t"] = True  # what a click on the expander does
    return at.run()


def test_table_with_grid_all_rows_fit():
    at = _run_grid(4)  # exactly `rows`: the text table is all there is
    assert not at.exception
    (table,) = markdown_tables(at)
    assert table["Model"].tolist() == ["m0", "m1", "m2", "m3"]
    assert not at.expander and not at.dataframe


def test_table_with_grid_more_rows_than_shown():
    at = _run_grid(5)  # one over: the first four as text, all five in a grid made only when opened
    (table,) = markdown_tables(at)
    assert table["Model"].tolist() == ["m0", "m1", "m2", "m3"] and table["Tokens"].tolist() == ["50", "40", "30", "20"]
    assert [e.label for e in at.expander] == ["All 5 models in a sortable grid"]
    assert not at.dataframe
    at = _run_grid(5, opened=True)
    assert len(at.dataframe) == 1 and at.dataframe[0].value["Model"].tolist() == [f"m{i}" for i in range(5)]


def test_table_with_grid_fewer_columns_than_the_grid():
    at = _run_grid(2, columns=["Model", "Tokens"])  # every row shown, but not every column
    (table,) = markdown_tables(at)
    assert list(table.columns) == ["Model", "Tokens"]
    assert [e.label for e in at.expander] == ["All 2 models, every column, in a sortable grid"]
    at = _run_grid(2, columns=["Model", "Tokens"], opened=True)
    assert list(at.dataframe[0].value.columns) == ["Model", "Tokens", "Note"]



def test_table_with_grid_text_headings_follow_the_grids_labels():
    """A column the grid's column_config labels ("Tokens /day") has that heading as text
    too; the cells are the same, and the grid keeps the frame's own column."""
    plain = markdown_tables(_run_grid(5, columns=["Model", "Tokens"]))[0]
    at = _run_grid(5, columns=["Model", "Tokens"], label=True)
    (table,) = markdown_tables(at)
    assert list(table.columns) == ["Model", "Tokens /day"]
    assert table["Tokens /day"].tolist() == plain["Tokens"].tolist() == ["50", "40", "30", "20"]
    at = _run_grid(5, columns=["Model", "Tokens"], label=True, opened=True)
    assert list(at.dataframe[0].value.columns) == ["Model", "Tokens", "Note"]

def test_text_width_breaks_at_spaces_and_after_hyphens_never_inside_a_number():
    from tokenshare.app.page import text_width

    # per column: its longest unbreakable piece (header or cell) + 3 for the padding
    assert text_width(["h"], [["aaaa-bbbb cc"]]) == len("aaaa-") + 3
    assert text_width(["Tokens"], [["1,234,567,890"]]) == len("1,234,567,890") + 3
    assert text_width(["unclassified_tokens", "b"], [["1", "2"]]) == (19 + 3) + (1 + 3)


def _wide_script():
    import pandas as pd
    import streamlit as st

    from tokenshare.app import page

    n = st.session_state["n"]  # two columns of n unbreakable characters: 2 * (n + 3) wide
    page.small_table(pd.DataFrame({"a": ["x" * n], "b": ["y" * n]}))


def test_a_table_too_wide_for_the_page_is_a_grid():
    from tokenshare.app.page import TEXT_TABLE_CHARS

    n = TEXT_TABLE_CHARS // 2 - 3  # exactly TEXT_TABLE_CHARS wide: text
    for width, as_text in ((n, True), (n + 1, False)):
        at = AppTest.from_function(_wide_script, default_timeout=30)
        at.session_state["n"] = width
        at.run()
        assert not at.exception
        assert (len(markdown_tables(at)), len(at.dataframe)) == ((1, 0) if as_text else (0, 1)), width


def _trim_script():
    import pandas as pd
    import streamlit as st

    from tokenshare.app import page

    w = st.session_state["w"]
    df = pd.DataFrame({"Model": ["m"], "A": ["1" * w], "B": ["2" * w], "C": ["3" * w]})
    page.table_with_grid(df, key="t", noun="models", rows=4)


def test_table_with_grid_shows_the_leading_columns_that_fit():
    # Model is 5 + 3 = 8 wide; each other column w + 3. w = 40: 8 + 43 + 43 = 94 fits
    # with A and B, C (43 more) does not; the label then says the grid has every column
    at = AppTest.from_function(_trim_script, default_timeout=30)
    at.session_state["w"] = 40
    at.run()
    (table,) = markdown_tables(at)
    assert list(table.columns) == ["Model", "A", "B"]
    assert [e.label for e in at.expander] == ["All 1 models, every column, in a sortable grid"]
    at = AppTest.from_function(_trim_script, default_timeout=30)
    at.session_state["w"] = 20  # 8 + 3 * 23 = 77: all of it fits, and one row is all there is
    at.run()
    assert list(markdown_tables(at)[0].columns) == ["Model", "A", "B", "C"] and not at.expander
