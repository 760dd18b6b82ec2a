"""tokenshare: who wins the LLM token market on OpenRouter.

Run with ``streamlit run app.py``. This file turns Altair's schema checks off, picks the
snapshot, draws the URL-bound global filters in the sidebar, and hands over to the page
the URL names. The URL keys every page reads are declared in tokenshare/app/urls.py."""

import streamlit as st

from tokenshare.app import page, sidebar, state

from tokenshare.app.hosting import autorefresh, heap, pins
from tokenshare.app.share import control as share_control

from tokenshare.app.charts import finished
from tokenshare.app.text import code, md

finished.follow_schema_setting()  # no Altair schema checks on every rerun (tokenshare/app/charts/finished.py)
heap.freeze_imports()  # once per process: Streamlit's post-run GC skips the imports (tokenshare/app/hosting/heap.py)
st.set_page_config(page_title="tokenshare · OpenRouter token share", page_icon=":material/donut_large:", layout="wide")

resolution = state.active_resolution()
autorefresh.check(resolution.snapshot)  # a background refresh when the snapshot is too old; never waits
if resolution.snapshot is None:
    st.title("tokenshare")
    st.error("No valid snapshot could be opened, so there is nothing to show.")
    for path, problem in resolution.problems:
        st.markdown(f"- {code(path)}: {md(problem)}")
    st.markdown(
        "Regenerate the bundled sample with `python -m tokenshare sample --out sample_data --force`, "
        "or point `TOKENSHARE_SNAPSHOT` at a valid snapshot folder."
    )
    st.stop()

snapshot, pin_notice = pins.choose(resolution.snapshot)  # snapshot= in the URL: a kept snapshot, else the latest
if pin_notice:
    st.warning(pin_notice, icon=":material/history:")
for path, problem in resolution.problems:
    st.warning(
        f"Snapshot {code(path)} could not be opened and was skipped: {md(problem)}. "
        f"Showing the {md(resolution.chosen_because)} ({code(resolution.snapshot.path)}) instead.",
        icon=":material/warning:",
    )

sidebar.global_filters(snapshot, state.open_db(snapshot))

# The navigation in three sections; the URL of each page is its url_path, whatever its
# section, so links stay the same.
pages = {
    "Market": [
        # The default page is served at "/" and its url_path only reserves a name, so the
        # /share links the README gives need a second, hidden entry for the same file
        # (without it /share opens a "Page not found" dialog over the Share page).
        st.Page("views/share.py", title="Share", icon=":material/donut_large:", url_path="home", default=True),
        st.Page("views/share.py", title="Share", icon=":material/donut_large:", url_path="share",
                visibility="hidden"),
        st.Page("views/race.py", title="Race", icon=":material/social_leaderboard:", url_path="race"),
        st.Page("views/race_animated.py", title="Race, animated", icon=":material/play_circle:",
                url_path="race-animated"),
        st.Page("views/countries.py", title="Countries", icon=":material/public:", url_path="countries"),
        st.Page("views/launches.py", title="Launches", icon=":material/rocket_launch:", url_path="launches"),
    ],
    "Evidence": [
        st.Page("views/claims.py", title="Claims", icon=":material/fact_check:", url_path="claims"),
        st.Page("views/spend.py", title="Spend (estimate)", icon=":material/payments:", url_path="spend"),
        st.Page("views/providers.py", title="Providers", icon=":material/storefront:", url_path="providers"),
        st.Page("views/value.py", title="Value", icon=":material/speed:", url_path="value"),
        st.Page("views/segments.py", title="Segments", icon=":material/category:", url_path="segments"),
        st.Page("views/apps.py", title="Apps", icon=":material/apps:", url_path="apps"),
        # The page was Categories: old /categories links open it (dimension=category by default).
        st.Page("views/segments.py", title="Segments", icon=":material/category:", url_path="categories",
                visibility="hidden"),
    ],
    "Data": [
        st.Page("views/workbench.py", title="SQL workbench", icon=":material/terminal:", url_path="workbench"),
        st.Page("views/compare.py", title="Compare snapshots", icon=":material/difference:", url_path="compare"),
        st.Page("views/data.py", title="Data", icon=":material/table_view:", url_path="data"),
    ],
}
current = st.navigation(pages, expanded=True)  # 14 pages: by default Streamlit hides all but 10 behind "View 4 more"
current.run()
share_control.draw(current.url_path, current.icon)  # under the page's header, with what the page showed
page.footer(snapshot)
