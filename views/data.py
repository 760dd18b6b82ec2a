"""Data: what the active snapshot is, whether it is valid, and every view's table."""

import streamlit as st

from tokenshare.app import page, urlparams, urls

from tokenshare.app.hosting import autorefresh, owner, snapshots

from tokenshare.app.page_parts import data_views as dataviews
from tokenshare.app.text import code, md
from tokenshare.core import sql
from tokenshare.core.formatting import as_of_text, human_tokens
from tokenshare.app.page_parts import data_root as published  # on its own line: other branches edit the import above
from tokenshare.app.page_parts.data_coverage import coverage_section
from tokenshare.core import settings  # shown_path: no server paths on the page (issue 26)

ctx = page.header(
    "The data behind every view",
    "Which snapshot is open, what it holds, and the table behind each view with the named "
    "query that produced it, so any figure can be reproduced from the snapshot's files.",
)
snap = ctx.snapshot
summary = ctx.query("snapshot_summary").iloc[0]

c1, c2, c3, c4 = st.columns(4)
c1.metric("Usage rows", f"{int(summary['usage_rows']):,}")
page.headline(f"{int(summary['usage_rows']):,} usage rows over {int(summary['days']):,} days, "
              f"{int(summary['models_in_usage']):,} models")
c2.metric("Days", f"{int(summary['days']):,}")
c3.metric("Models in usage", f"{int(summary['models_in_usage']):,}")
c4.metric("Labs · countries", f"{int(summary['labs'])} · {int(summary['countries'])}")
st.markdown(
    f"**Snapshot** {code(snap.snapshot_id)} at {code(settings.shown_path(snap.path))}  \n"
    f"**Source:** {md(snap.source)}  \n"
    f"**As of:** {md(as_of_text(snap.as_of))} · **Covers:** {page.fmt_date(summary['first_day'])} to {page.fmt_date(summary['last_day'])} · "
    f"**Total tokens:** {human_tokens(summary['total_tokens'])}  \n"
    f"**Validation:** :material/check_circle: passed (files present, columns and types, unique keys, non-negative tokens, "
    f"dates inside the manifest's range, sha256 checksums)"
)
published.root_status()  # when TOKENSHARE_SNAPSHOT is a published root: its pointer and status
# The citation as text, and as a code block (its copy button) only when asked for: a code
# block loads the browser's syntax highlighter, 0.4-0.5 s of this page's first load.
st.markdown("**Citation:**  \n" + "  \n".join(md(line) for line in page.citation_lines(snap)))
copy_citation = page.opened("Copy the citation", icon=":material/content_copy:", key="data_citation")
if copy_citation is not None:
    with copy_citation:
        st.code("\n".join(page.citation_lines(snap)), language=None)


def table_behind_a_view() -> None:
    st.subheader("The table behind a view")
    views = dataviews.data_views()  # from the `-- Page:` line of each page query's header
    urlparams.warn_ignored("view", allowed=list(views))
    # A bound widget puts its displayed option text in the URL, so the options are the query
    # names (view=lab_ranks), not their descriptions (which made the URL carry the sentence).
    name = st.selectbox("View", list(views), index=list(views).index(urls.default("view")), key="view",
                        bind="query-params",
                        help="The named query behind each view: " + "; ".join(f"{k} = {d}" for k, d in views.items()))
    params = ctx.params(breakdown="openness", volume="named", share_of="selection", scope="open", limit=500)
    st.caption(f"**{views[name]}.** " + dataviews.header_without_page_line(name).replace("\n", "  \n"))
    table = ctx.query(name, **params)
    page.data_behind(snap, name, params, table, label="Query, parameters, table and CSV download")
    # The first rows as text, every row in a grid when asked for: a grid on the first screen
    # made every first load fetch the grid's code, and every change redraw it (then rewrite
    # its hidden screen-reader copy 0.2 s later, the last thing a change waited for).
    page.table_with_grid(table, key="data_view", noun="rows", rows=12, height=360)
    # Made only when opened, as the manifest below: a code block loads the browser's syntax
    # highlighter, a JSON view its own code.
    sql_text = page.opened("SQL of this query", key="data_sql")
    if sql_text is not None:
        with sql_text:
            st.code(sql.load_sql(name), language="sql")


# The table behind a view and the coverage of the daily top 50 in tabs bound to the URL
# (`part`), only the open one drawn, as on Race and Spend: the coverage charts and their
# text were drawn on every change of the sidebar, seen or not (paired, 12 Period changes:
# 0.37 -> 0.25 s a change, the trivial app's 0.20 s).
view_tab, coverage_tab = st.tabs(urls.choices("part"), key="part", default=urls.default("part"),
                                 on_change="rerun", bind="query-params")
if view_tab.open:
    with view_tab:
        table_behind_a_view()
if coverage_tab.open:
    with coverage_tab:
        coverage_section(ctx)  # the daily top 50's cut: what it leaves out, and how the pages bound it

unclassified = ctx.query("unclassified_models")
st.subheader("Unclassified models")
if unclassified.empty:
    st.write("Every model in the usage data is classified open or closed.")
else:
    st.write(
        f"{len(unclassified)} models are not classified open or closed (retired from the catalogue, or "
        "no open-weights signal). Their tokens are kept and shown, but outside named volume."
    )
    page.small_table(unclassified)  # a Markdown table up to 12 rows: no grid redrawn on every rerun

st.subheader("Open weights over time")
st.markdown(
    "A model counts as **open-weight from the day its weights were published** (`open_weights_since`) and as "
    "closed before it; with no such day it is open (or closed) on every day. The day comes from the curated "
    "overrides (`tokenshare/data/reference/open_weights_overrides.csv`, column `since`) or, when a refresh finds "
    "a model open that the previous snapshot had closed, the day after that snapshot's last day, so a newer "
    "catalogue never rewrites published history. Every open-vs-closed figure uses the classification in force "
    "on each day."
)
spells = ctx.query("open_weight_spells")
if spells.empty:
    st.write("No model in this snapshot opened its weights after launch.")
else:
    st.write(f"{spells['model_permaslug'].nunique()} model(s) opened their weights after launch: a closed and an "
             "open spell each.")
    page.table_with_grid(spells, key="data_spells", noun="spells", rows=12)

st.subheader("Free and other variants")
variants = ctx.query("model_variants")
st.markdown(
    "A permaslug with a `:variant` suffix counts under its **base model** in every view: `:free` is the free "
    "tier (the Tokens filter, `tier=free|paid`), any other suffix (`:extended`, `:beta`, `:thinking`, or one "
    "never seen before) is a paid variant. A variant whose base model is not listed stands for itself."
)
if variants.empty:
    st.write("No variant permaslugs in this snapshot.")
else:
    unlisted = int((~variants["base_listed"].astype(bool)).sum())
    st.write(f"{len(variants)} variant permaslug(s), {int((variants['tier'] == 'free').sum())} of them `:free`"
             + (f"; {unlisted} whose base model is not listed." if unlisted else "."))
    page.table_with_grid(variants, key="data_variants", noun="variant permaslugs", rows=12)

manifest = page.opened("Manifest (manifest.json)", key="data_manifest")
if manifest is not None:
    with manifest:
        st.json(snap.manifest, expanded=False)

others = snapshots.local_snapshots()
st.subheader("Snapshots on this machine")
if others:
    st.markdown("\n".join(f"- {code(p.name)}" for p in others))
else:
    st.write(f"No refreshed snapshots in {code(settings.shown_path(snapshots.folder()))} yet; the app shows the bundled sample.")
published.kept_snapshots()

st.subheader("Refresh data")
autorefresh.data_page_section()
key_configured = snapshots.refresh_key_configured()
# A refresh spends the owner's key: owner.gate() draws the owner's sign-in (or says how to
# enable one) and is True only for a signed-in owner; visitors never get the button.
if key_configured and owner.gate():
    st.write(
        "Pull the days this machine lacks from OpenRouter's Data API (plus the last 3 days again, "
        f"since recent figures get restated) into a new snapshot under {code(settings.shown_path(snapshots.folder()))}. "
        "Existing snapshots are kept; a failed run changes nothing."
    )
    if st.button("Refresh data", icon=":material/refresh:", type="primary", key="refresh_button"):
        with st.status("Refreshing from OpenRouter…", expanded=True) as status:
            bar = st.progress(0.0)

            def progress(done, total, rows, message):
                bar.progress(min(done / max(total, 1), 1.0), text=f"{done} of {total} steps · {rows:,} rows · {message}")

            try:
                result = snapshots.refresh(progress)
            except snapshots.REFRESH_FAILURES as exc:
                status.update(label="Refresh failed; nothing was changed.", state="error")
                st.error(md(exc))  # may quote the server's or a snapshot's text
            else:
                status.update(label="Refresh finished.", state="complete")
                for line in result.summary_lines():
                    st.write(md(line))
                st.button("Show the new snapshot", on_click=st.rerun, key="show_new")
elif not key_configured:
    st.markdown(
        "No OpenRouter API key is configured, so this copy of the app shows the snapshot it has. "
        "To pull real data:\n"
        "1. Get a key at openrouter.ai (any key that works for inference works for the Data API).\n"
        "2. Either run `OPENROUTER_API_KEY=... python -m tokenshare refresh` on the command line, or put "
        "`OPENROUTER_API_KEY = \"...\"` in `.streamlit/secrets.toml` (on Streamlit Community Cloud: the "
        "app's Secrets settings) and sign in here as the owner for a **Refresh data** button "
        "(`TOKENSHARE_OWNER_PASSPHRASE` or `st.login`: see docs/security.md).\n"
        "3. The app opens the newest valid snapshot under `data/snapshots/` by itself."
    )
