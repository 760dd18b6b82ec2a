"""SQL workbench: your own read-only query over the snapshot's tables, shareable by URL."""

import functools

import streamlit as st

from tokenshare.analysis.metrics import csv_preamble
from tokenshare.app import page, state
from tokenshare.app.page_parts import workbench as wb

ctx = page.header(
    "SQL workbench",
    "Write your own cut of the data in DuckDB SQL. The query reads a read-only copy of this snapshot's "
    "tables and is kept in the URL, so a query can be shared like any other view. The sidebar filters "
    "don't apply here.",
)
try:
    sandbox = ctx.workbench_sandbox()
except wb.Refused as exc:  # its worker process could not start: say so, the rest of the app works
    st.error(str(exc), icon=":material/block:")
    st.stop()
examples = wb.examples(ctx.snapshot)
DEFAULT_SQL = wb.example_sql("workbench_example_headline")


def _load_example() -> None:
    st.session_state["sql"] = wb.example_sql(st.session_state["_wb_example"])


e1, e2 = st.columns([4, 1], vertical_alignment="bottom")
e1.selectbox("Example queries", list(examples), format_func=examples.get, key="_wb_example")
e2.button("Load example", on_click=_load_example, icon=":material/file_open:", width="stretch")

text = st.text_area(
    "SQL (one SELECT statement)", value=DEFAULT_SQL, key="sql", bind="query-params", height=300,
    # no max_chars: the widget would silently cut a longer query from the URL; the
    # workbench refuses it whole, with a message stating the limit
    help=f"Ctrl+Enter (⌘+Enter) runs it. Up to {wb.MAX_SQL_CHARS:,} characters. Tables: "
    + ", ".join(sandbox.tables) + ".",
)
st.button("Run", type="primary", icon=":material/play_arrow:")
st.caption(wb.SANDBOX_SUMMARY)
st.caption(wb.limits_caption())

try:
    result = sandbox.run(text, session=state.session_key(), address=state.client_address())
except wb.Refused as exc:
    st.error(str(exc), icon=":material/block:")
else:
    n = result.table.num_rows
    cuts = wb.cuts_caption(result)
    st.markdown(f"**{n:,} row{'s' if n != 1 else ''}** · {result.seconds:.2f} s"
                + (f" · :orange[{cuts}]" if cuts else ""))
    # the Arrow table as the worker sent it: Streamlit passes it on without pandas
    st.dataframe(result.table, hide_index=True, width="stretch", height=min(420, 38 + 35 * max(n, 1)))
    lines = page.citation_lines(ctx.snapshot) + ["Query (tokenshare SQL workbench): " + " ".join(result.statement.split())]
    st.download_button(  # the CSV is built only when asked for, within wb.CSV_CAP
        "Download CSV (with citation)", functools.partial(wb.csv_bytes, result, csv_preamble(lines)),
        file_name=f"tokenshare-workbench-{ctx.snapshot.snapshot_id}.csv", mime="text/csv",
        icon=":material/download:", on_click="ignore",
    )

with st.expander("Tables and columns"):
    schema = sandbox.schema()
    st.markdown(
        "- **usage**: the Data API's rows as they are: one per (date, model_permaslug); `other` is the day's "
        "tail outside the top 50.\n"
        "- **models**: the model catalogue (open_weights NULL = not known; prices in USD per million tokens).\n"
        "- **labs**: author → lab name and country.\n"
        + ("- **usage_by_category**: weekly estimates per use-case category (sampled by OpenRouter).\n"
           if "usage_by_category" in sandbox.tables else "")
    )
    st.dataframe(schema, hide_index=True, width="stretch", height=300)

with st.expander("How the sandbox works"):
    settings = sandbox.settings()
    st.markdown(wb.GATE_SUMMARY)
    st.json(settings, expanded=True)
    st.markdown("Table functions allowed: " + ", ".join(f"`{x}`" for x in sorted(wb.ALLOWED_TABLE_FUNCTIONS)) + ".")
    st.markdown("Each query runs in its own transaction, rolled back afterwards, on its own cursor with a timer "
                "that interrupts it at the time limit.")
    st.markdown(wb.PROCESS_SUMMARY)
