"""The global filters in the sidebar, bound to the URL.

``global_filters`` checks what the URL asks for (every key the registry can check
before a page runs), draws the filters (date range, period, models, lab country, lab,
Top N) with the values, defaults and ranges ``tokenshare.app.urls`` declares, and
returns the page ``Context`` built from them (also kept for ``state.page_context()``)."""

from __future__ import annotations

import streamlit as st

from tokenshare.app import focus, state, urlparams, urls
from tokenshare.app.state import Context, Filters
from tokenshare.app.text import md
from tokenshare.app.urlcheck import check_url_params, clamp_dates
from tokenshare.data.snapshot.layout import Snapshot
from tokenshare.engine.db import SnapshotDB


def global_filters(snapshot: Snapshot, db: SnapshotDB) -> Context:
    """Draw the global filters and return the context every page reads. Values the URL
    asked for but the filters cannot take are reported (once per session) instead of
    silently dropped."""
    # Worked out once per snapshot (state.filter_options), shared and read-only:
    # uncached, the three queries behind them cost a full scan of the usage table.
    options = state.filter_options(snapshot, db)
    labs, countries = options.labs, options.countries
    data_start, data_end = options.data_start, options.data_end
    state.follow_new_snapshot(snapshot.snapshot_id, data_start, data_end)  # after a refresh: the new days

    lab_names, country_names = options.lab_names, options.country_names
    check = check_url_params(urlparams.raw(), lab_options=lab_names, country_options=country_names,
                             data_start=data_start, data_end=data_end)
    urlparams.remember_notices(check.notices)
    changed = urlparams.clear_notices

    sb = st.sidebar
    sb.markdown("### Filters")
    start = sb.date_input(
        "From", value=data_start, min_value=data_start, max_value=data_end,
        key="start", bind="query-params", format="YYYY-MM-DD", on_change=changed,
    )
    end = sb.date_input(
        "To", value=data_end, min_value=data_start, max_value=data_end,
        key="end", bind="query-params", format="YYYY-MM-DD", on_change=changed,
    )
    start, end = clamp_dates(start, end, data_start, data_end)
    grain, openness, tier = _kind_filters(sb, changed)
    chosen_countries, chosen_labs = _lab_filters(sb, options, changed)
    top_spec = urls.param("top")
    top = sb.slider("Top N", top_spec.low, top_spec.high, top_spec.default, key="top", bind="query-params",
                    on_change=changed, help="How many labs or models a chart names; the others are summed as Rest.")
    filters = Filters(
        start=start, end=end, grain=grain or urls.default("grain"), openness=openness or urls.default("openness"),
        countries=tuple(chosen_countries), labs=tuple(chosen_labs), top=int(top),
        tier=tier or urls.default("tier"),
    )
    ctx = Context(snapshot, db, filters, data_start, data_end, labs, countries)
    state.set_page_context(ctx)
    return ctx


def _kind_filters(sb, changed) -> tuple[str | None, str | None, str | None]:
    """The period, the models (open, closed) and the tokens (paid, free) radios:
    (grain, openness, tier) as the widgets return them."""
    # Bound widgets put their *displayed* option text in the URL, so the options are
    # shown as the short codes the URL should carry (week, US, arcee-ai) and the
    # readable names go in the help text and the caption below.
    grains = urls.choices("grain")
    grain = sb.selectbox(
        "Period", grains, index=grains.index(urls.default("grain")),
        key="grain", bind="query-params", on_change=changed,
        help="day, week (ISO week, Monday to Sunday) or month.",
    )
    openness_options = urls.choices("openness")
    openness = sb.radio(
        "Models", openness_options, index=openness_options.index(urls.default("openness")),
        key="openness", bind="query-params", horizontal=True, on_change=changed,
        help="all models, open-weight models only, or closed models only.",
    )
    tier_options = urls.choices("tier")
    tier = sb.radio(
        "Tokens", tier_options, index=tier_options.index(urls.default("tier")),
        key="tier", bind="query-params", horizontal=True, on_change=changed,
        help="all tokens, paid only, or free only (the `:free` variants, counted under their base model).",
    )
    if tier and tier != urls.default("tier"):  # every figure changes meaning: say so where it is set
        sb.caption(f"Counting {'free' if tier == 'free' else 'paid'} tokens only (`tier={tier}`): every share and "
                   "total is of those tokens, and the tail outside the top 50 is left out.")
    return grain, openness, tier


def _lab_filters(sb, options, changed) -> tuple[list[str], list[str]]:
    """The lab country and lab pickers (the labs offered narrowed to the countries
    chosen), and with a focus the yardstick switch: (countries, labs) chosen."""
    country_names, lab_names = options.country_names, options.lab_names
    chosen_countries = sb.multiselect(
        "Lab country", list(country_names),
        key="country", bind="query-params", placeholder="All countries", on_change=changed,
        help="ISO country codes: " + ", ".join(f"{md(c)} = {md(n)}" for c, n in country_names.items()),
    )
    # the labs of the chosen countries, in the same (largest first) order
    in_countries = {a for c in chosen_countries for a in options.labs_by_country.get(c, ())}
    lab_pool = [a for a in lab_names if a in in_countries] if chosen_countries else list(lab_names)
    chosen_labs = sb.multiselect(
        "Lab", lab_pool,
        key="lab", bind="query-params",
        placeholder="All labs" if not chosen_countries else "All labs in these countries",
        on_change=changed,
        help="OpenRouter author slugs, largest first. Type to search, e.g. arcee.",
    )
    if chosen_countries or chosen_labs:
        names = [country_names.get(c, c) for c in chosen_countries] + [lab_names.get(a, a) for a in chosen_labs]
        # The filters choose the focus; the yardstick stays the whole market unless the
        # switch says field=focus (tokenshare.app.focus). Shown only with a focus: without
        # one there is nothing to narrow to.
        field = sb.segmented_control(
            "Yardstick", urls.choices("field"), default=urls.default("field"), key="field", bind="query-params",
            required=True, on_change=changed, help=focus.SWITCH_HELP,
        ) or urls.default("field")
        sb.caption("Focus: " + " · ".join(md(n) for n in names) + ", measured against "
                   + ("itself only (`field=focus`)." if field == "focus" else "the whole market."))
    return chosen_countries, chosen_labs
