"""The Spend page's measured cost: OpenRouter's median cost per session, by harness and
turn range, for each harness's top open-weight and top closed model, beside the estimate
(``tokenshare.analysis.value``: session_pairs, session_summary, session_words)."""

from __future__ import annotations

import streamlit as st

from tokenshare.analysis import value
from tokenshare.app import page
from tokenshare.app.state import Context
from tokenshare.app.text import md
from tokenshare.core.formatting import as_of_text
from tokenshare.data.snapshot.extra_tables import SESSION_COST_FILE, has_table


def _source(ctx: Context, cells) -> str:
    rec = (ctx.snapshot.manifest.get("extras") or {}).get("session_cost") or {}
    end, days = cells["window_end_date"].max(), int(cells["window_days"].max())
    window = f"the {days} days to {page.fmt_date(end)}"
    if ctx.snapshot.synthetic or rec.get("synthetic"):
        return f"Session costs: synthetic, made by tokenshare for the sample ({window}); not OpenRouter figures."
    carried = f" Carried over from snapshot {md(rec['carried_from'])}." if rec.get("carried_from") else ""
    return (f"Session costs: Source: OpenRouter (openrouter.ai/rankings) session-cost dataset, {window}, as of "
            f"{md(as_of_text((rec.get('meta') or {}).get('as_of', 'unknown')))}. Licensed under CC BY 4.0.{carried}")


def _summary(cells) -> dict:
    """``value.session_summary`` over the cells' own pairs: kept by ``ctx.derive`` once per
    snapshot and range, and read by both pages that show it (Spend and Claims)."""
    return value.session_summary(cells, value.session_pairs(cells))


def measured_cost(ctx: Context) -> None:
    """The section; a line saying how to get the data when the snapshot has none."""
    st.subheader("Measured: median cost per session, open-weight vs closed")
    if not has_table(ctx.snapshot, SESSION_COST_FILE):
        st.caption(":material/info: This snapshot has no session-cost table (`refresh --session-cost` fetches "
                   "OpenRouter's measured median cost per session by harness, model and turn range).")
        return
    f = ctx.filters
    params = ctx.params(start=f.start, end=f.end)
    cells = ctx.query("session_cost_cells", **params)
    if cells.empty:
        st.caption(":material/info: The session-cost table lists no cell.")
        return
    pairs = ctx.derive(value.session_pairs, ("session_cost_cells", params))  # once per snapshot and range
    summary = ctx.derive(_summary, ("session_cost_cells", params))
    st.markdown(value.session_words(summary).replace("$", r"\$"))  # figures only; a bare $ starts a formula
    if len(pairs):
        shown = pairs.rename(columns={"app_name": "Harness", "turn_range": "Turns", "open_model": "Top open-weight model",
                                      "open_cost": "Open $ per session", "closed_model": "Top closed model",
                                      "closed_cost": "Closed $ per session", "ratio": "Closed ÷ open"})
        money = st.column_config.NumberColumn(format="$%.3f")
        page.table(shown.drop(columns=["app_slug"]), column_config={
            "Open $ per session": money, "Closed $ per session": money,
            "Closed ÷ open": st.column_config.NumberColumn(format="%.1f×")})
    st.caption(
        ":material/info: Measured, not estimated: OpenRouter's median USD spend per sampled session, per harness "
        "(sessions are never pooled across harnesses), model and turn range. A harness's *top* model is the one "
        "with the most ranked tokens in the date range among those it lists. What it cannot tell: it covers only "
        f"the harnesses OpenRouter publishes ({summary['all_harnesses']} here), one 30-day window (not the date "
        "range above; the lab and country filters do not apply), and a session's length and task differ between "
        "models even at the same turn range"
        + (f"; {summary['unmatched_cells']} cell(s) name a model the snapshot cannot classify and are left out"
           if summary["unmatched_cells"] else "") + ". " + _source(ctx, cells))
    page.data_behind(ctx.snapshot, "session_cost_cells", params, cells, label="The session-cost cells")


def claims_evidence(ctx: Context) -> None:
    """The Claims page's objection A, a second and measured piece of evidence: the
    all-harness medians of the same section (nothing when the snapshot has no table)."""
    if not has_table(ctx.snapshot, SESSION_COST_FILE):
        return
    f = ctx.filters
    params = ctx.params(start=f.start, end=f.end)
    cells = ctx.query("session_cost_cells", **params)
    if cells.empty:
        return
    # the Spend page's entry: made here on every rerun, the pairs were 10% of a Claims rerun
    summary = ctx.derive(_summary, ("session_cost_cells", params))
    words = value.session_words(summary).replace("$", r"\$")  # figures only; a bare $ starts a formula
    st.markdown(f"**Measured, not estimated.** {words}")
    st.caption(f"Session medians cover only the published harnesses, over one 30-day window (not the date range; "
               f"the lab and country filters do not apply). {_source(ctx, cells)}")
