"""Compare snapshots: days added, figures restated, models reclassified."""

from pathlib import Path

import streamlit as st

from tokenshare.app import charts, page, urlparams

from tokenshare.app.hosting import snapshots
from tokenshare.app.text import code, md
from tokenshare.core.formatting import as_of_text, human_tokens

page.header(
    "Compare snapshots",
    "Pick two snapshots and see what changed between them: days added, figures restated for the days "
    "both cover (OpenRouter may restate recent days), and models reclassified. The sidebar filters "
    "don't apply here.",
)

found = snapshots.comparable()
names = list(found)
old_default, new_default = snapshots.default_pair(names)
for key in ("old", "new"):
    urlparams.warn_ignored(key, allowed=names)

c1, c2 = st.columns(2)
old_name = c1.selectbox("Old snapshot", names, index=names.index(old_default) if old_default else None,
                        key="old", bind="query-params", help="Folder names under data/snapshots/, newest first; "
                        "`sample` is the bundled sample.")
new_name = c2.selectbox("New snapshot", names, index=names.index(new_default) if new_default else None,
                        key="new", bind="query-params")
old_path_text = new_path_text = ""
# A free-text path would let any visitor of a public app probe the server's disk (which
# folders exist, which are readable): only when the owner runs the app locally and says so.
if snapshots.paths_allowed():
    with st.expander("Compare folders by path instead"):
        st.caption("Any snapshot folder on this machine (TOKENSHARE_LOCAL_PATHS is on); it is validated like the "
                   "active snapshot, compared in memory, and nothing is written into it. Paths are not put in the URL.")
        p1, p2 = st.columns(2)
        old_path_text = p1.text_input("Old snapshot folder", key="_cmp_old_path", placeholder="/path/to/snapshot")
        new_path_text = p2.text_input("New snapshot folder", key="_cmp_new_path", placeholder="/path/to/snapshot")

old_path = Path(old_path_text) if old_path_text.strip() else found.get(old_name)
new_path = Path(new_path_text) if new_path_text.strip() else found.get(new_name)

if old_path is None or new_path is None:
    st.info("No snapshots to compare yet. Run `python -m tokenshare refresh` to pull one"
            + (", or type two folders above." if snapshots.paths_allowed() else "."), icon=":material/difference:")
else:
    old, old_problem = snapshots.load_other(old_path)
    new, new_problem = snapshots.load_other(new_path)
    for label, path, problem in (("Old", old_path, old_problem), ("New", new_path, new_problem)):
        if problem:
            st.error(f"{label} snapshot {code(path)} could not be opened: {md(problem)}", icon=":material/error:")
    if old is not None and new is not None:
        st.markdown(
            f"**Old:** {code(old_path.name)} · as of {md(as_of_text(old.as_of))} · {md(old.source)}  \n"
            f"**New:** {code(new_path.name)} · as of {md(as_of_text(new.as_of))} · {md(new.source)}"
        )
    if old is not None and new is not None and old.snapshot_id == new.snapshot_id:
        st.info(
            "Both sides are the same snapshot, so nothing changed. "
            + ("Only one snapshot is available here: refresh to get another."
               if len(names) < 2 else "Pick two different snapshots."),
            icon=":material/difference:",
        )
    elif old is not None and new is not None:
        result = snapshots.compare_pair(old, new)
        s = result.summary
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Days added", int(s["days_added"]),
                  help="Days the new snapshot has and the old one does not.")
        m1.caption(f"old {page.fmt_date(s['old_first'])} to {page.fmt_date(s['old_last'])}; "
                   f"new {page.fmt_date(s['new_first'])} to {page.fmt_date(s['new_last'])}"
                   + (f"; {int(s['days_dropped'])} days dropped" if s["days_dropped"] else ""))
        m2.metric("Figures restated", f"{int(s['restated']):,}",
                  help="(date, model) rows whose tokens differ on the days both snapshots cover, including rows "
                       "only one of them has (a model entering or leaving a day's top 50).")
        m2.caption(f"over {int(s['common_days'])} common days: {human_tokens(s['restated_tokens_old'])} → "
                   f"{human_tokens(s['restated_tokens_new'])} tokens in those rows")
        m3.metric("Models reclassified", int(s["reclassified"]),
                  help="Models in both catalogues whose open-weights flag, the day their weights opened "
                       "(open_weights_since) or author changed.")
        page.headline(f"{int(s['days_added'])} days added, {int(s['restated']):,} figures restated, "
                      f"{int(s['reclassified'])} models reclassified")
        m4.metric("Catalogue: added · dropped", f"{int(s['models_added'])} · {int(s['models_dropped'])}")

        st.subheader("Days added")
        if result.days.empty:
            st.write("No days added or dropped.")
        else:
            st.dataframe(result.days.assign(tokens=result.days["tokens"].map(human_tokens)), hide_index=True,
                         width="stretch", height=min(300, 38 + 35 * len(result.days)),
                         column_config={"date": st.column_config.DateColumn(format="YYYY-MM-DD")})

        st.subheader("Figures restated")
        if result.restated.empty:
            st.write("No figure differs on the days both snapshots cover.")
        else:
            chart = charts.restated_bars(result.restated_by_day)
            charts.draw(chart, width="stretch")
            shown = len(result.restated)
            st.caption(f"Largest changes first; {shown:,} of {int(s['restated']):,} rows shown. Empty old or new = "
                       "no row in that snapshot (e.g. the model was outside that day's top 50).")
            st.dataframe(result.restated, hide_index=True, width="stretch", height=min(420, 38 + 35 * shown),
                         column_config={"date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                        "old_tokens": st.column_config.NumberColumn(format="localized"),
                                        "new_tokens": st.column_config.NumberColumn(format="localized"),
                                        "change": st.column_config.NumberColumn(format="localized"),
                                        "pct_change": st.column_config.NumberColumn("change %", format="percent")})

        st.subheader("Models reclassified")
        if result.reclassified.empty:
            st.write("No model's weights, open-since day or author changed, and the catalogues list the same models.")
        else:
            st.dataframe(result.reclassified, hide_index=True, width="stretch",
                         height=min(420, 38 + 35 * len(result.reclassified)))
