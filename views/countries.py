"""Countries: share by lab country, then the labs and models of the chosen countries."""

import streamlit as st

from tokenshare.analysis import countries
from tokenshare.app import charts, focus as focusing, page, tail as tailing
from tokenshare.app.page_parts.tail import country_tail, tier_tail
from tokenshare.app.text import md
from tokenshare.core.formatting import human_tokens, pct, period_label

ctx = page.header(
    "Countries",
    "Share of tokens by the country of each model's lab. Pick countries in the sidebar "
    "(for example only US) to see those labs' share of the whole market and their models.",
)
f = ctx.filters

all_countries = page.chart_params(  # coarser than a day when periods x countries would pass the chart budget
    ctx.params(countries=[], labs=[], breakdown="country", volume="named", share_of="selection"),
    series=min(len(ctx.countries), f.top) + 1,
)
by_country = ctx.query("share_by_series", **all_countries)
st.subheader("Share by lab country")
if by_country.empty:
    page.empty_state("tokens")
else:
    charts.draw(charts.share_area(by_country, height=320), width="stretch")
    st.caption("Each band is a country's share of all named tokens (every lab, whatever the lab and country "
               "filters).")
    # once per snapshot and parameters (ctx.derive), not on every rerun
    cross = ctx.derive(countries.overtake_of_leaders, ("share_by_series", all_countries))
    if cross:
        page.headline(f"{cross['ahead']}-based labs ahead of {cross['behind']}-based labs "
                      + ("throughout" if cross["from_start"] else f"since {period_label(cross['since'], f.grain)}"))
    if cross and not cross["from_start"]:
        st.markdown(
            f"**{md(cross['ahead'])}**-based labs moved ahead of **{md(cross['behind'])}**-based labs in the "
            f"{period_label(cross['since'], f.grain)} and have stayed ahead since"
            + (f" ({countries.lead_changes_words(cross['crossings'])})." if cross["crossings"] else ".")
        )
    elif cross:
        st.markdown(f"**{md(cross['ahead'])}**-based labs were ahead of **{md(cross['behind'])}**-based labs throughout this range.")
    # the tail below the daily top 50: shares counting it, and whether it can undo the lead (issue 21)
    country_tail.section(ctx, by_country, cross, [ctx.countries.set_index("country_code")["country_name"].get(c, c)
                                      for c in f.countries], all_countries["grain"])
    page.data_behind(ctx.snapshot, "share_by_series", all_countries, by_country, label="The data behind the country chart")

names = dict(zip(ctx.countries["country_code"], ctx.countries["country_name"]))
if not f.countries and not f.labs:
    st.info(
        "Choose one or more **Lab country** values in the sidebar (for example *United States*) "
        "to see those countries' labs and models here.",
        icon=":material/left_panel_open:",
    )
else:
    chosen = ", ".join(md(names.get(c, c)) for c in f.countries) or "the chosen labs"
    st.subheader(f"Labs of {chosen}: share of the whole market")
    focus = focusing.focus_of(ctx.labs, ctx.countries, f.countries, f.labs, "all")
    ft = tier_tail.focus_tail(ctx, focus)
    if ft is not None:
        country_tail.focus_metric(st, ft, md(focus.name), f.grain)
    params = page.chart_params(ctx.params(breakdown="lab", volume="named", share_of="market"),
                               series=min(f.top, countries.labs_in_view(ctx.labs, f.countries, f.labs)) + 1)
    labs = ctx.query("share_by_series", **params)
    if labs.empty:
        page.empty_state("tokens from these labs")
    else:
        # a lab wholly below the daily top 50 in a period is a gap, not 0 (issue 21)
        drawn, gaps = country_tail.lab_lines_blanked(ctx, labs, params)
        charts.draw(
            charts.share_lines(drawn, y_title="Share of all named tokens"), width="stretch"
        )
        st.caption("Share of every named token in the period (all countries), so lines from different countries compare "
                   "directly." + (f" A gap is a {params['grain']} in which the lab's models were live but wholly "
                                  f"{tailing.BELOW}: it had some tokens, not 0 (its bound is in the table above and on "
                                  "the Share page with that lab)." if gaps else ""))
        page.data_behind(ctx.snapshot, "share_by_series", params, labs, label="The data behind the lab chart")

    st.subheader("Their models")
    mparams = ctx.params(limit=200)
    models = country_tail.with_model_bounds(ctx, ctx.query("models_of_labs", **mparams))
    hidden = country_tail.unlisted_models(ctx, focus)
    if hidden:
        st.caption(hidden)
    if models.empty:
        page.empty_state("models")
    else:
        view = models.assign(
            Tokens=models["tokens"].map(human_tokens),
            **{"Share of its lab's tokens": models["share_of_lab"].map(pct)},
            **{"Peak day": models["peak_day_tokens"].map(human_tokens)},
            # a model's `:free` variant is part of it: how much of its tokens were free
            **{"Free": (models["free_tokens"] / models["tokens"].where(models["tokens"] > 0)).map(
                lambda x: "–" if x != x else pct(x))},
        )
        view = view.rename(columns={"tail_words": "Counting the tail"})[
            ["model_name", "lab_name", "country_code", "openness", "released_at", "first_seen", "Tokens"]
            + (["Counting the tail"] if "tail_words" in view else [])
            + ["Free", "Share of its lab's tokens", "Peak day"]]
        page.table(
            view.rename(columns={"model_name": "Model", "lab_name": "Lab", "country_code": "Country",
                                 "openness": "Weights", "released_at": "Released", "first_seen": "First in data"}),
            column_config={"Free": st.column_config.TextColumn(
                help="Share of the model's tokens from its `:free` variant (counted as part of the model)"),
                "Counting the tail": st.column_config.TextColumn(
                    help=f"Its tokens with its days {tailing.BELOW} bounded (0 to the day's cut each); – where "
                         "every live day was ranked. Tokens is the ranked lists' figure.")},
        )
        page.data_behind(ctx.snapshot, "models_of_labs", mparams, models, label="The data behind the model table")
st.caption(":material/center_focus_strong: Focus rule: the lab and country filters choose the focus (the labs and "
           "models listed); every share on this page is of the whole market, except a model's share of its own lab.")
