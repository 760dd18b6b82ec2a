"""Countries: share by lab country, then the labs and models of the chosen countries."""

import streamlit as st

from tokenshare.app import charts, ui
from tokenshare.core.formatting import human_tokens, pct, period_label
from tokenshare.analysis.metrics import latest_overtake

ctx = ui.page_header(
    "Countries",
    "Share of tokens by the country of each model's lab. Pick countries in the sidebar "
    "(for example only US) to see those labs' share of the whole market and their models.",
)
f = ctx.filters

all_countries = ui.chart_params(  # coarser than a day when periods x countries would pass the chart budget
    ctx.params(countries=[], labs=[], breakdown="country", volume="named", share_of="selection"),
    series=min(len(ctx.countries), f.top) + 1,
)
by_country = ui.query("share_by_series", **all_countries)
st.subheader("Share by lab country")
if by_country.empty:
    ui.empty_state("tokens")
else:
    st.altair_chart(charts.share_area(by_country, height=320), width="stretch")
    totals = by_country[~by_country["series"].isin(["Rest"])].groupby("series")["tokens"].sum().nlargest(2)
    if len(totals) == 2:
        cross = latest_overtake(by_country, *totals.index)
        if cross and not cross["from_start"]:
            st.markdown(
                f"**{cross['ahead']}**-based labs moved ahead of **{cross['behind']}**-based labs in the "
                f"{period_label(cross['since'], f.grain)} and have stayed ahead since"
                + (f" ({cross['crossings']} earlier changes of lead in this range)." if cross["crossings"] > 1 else ".")
            )
        elif cross:
            st.markdown(f"**{cross['ahead']}**-based labs were ahead of **{cross['behind']}**-based labs throughout this range.")
    ui.data_behind("share_by_series", all_countries, by_country, label="The data behind the country chart")

names = dict(zip(ctx.countries["country_code"], ctx.countries["country_name"]))
if not f.countries and not f.labs:
    st.info(
        "Choose one or more **Lab country** values in the sidebar (for example *United States*) "
        "to see those countries' labs and models here.",
        icon=":material/left_panel_open:",
    )
else:
    chosen = ", ".join(names.get(c, c) for c in f.countries) or "the chosen labs"
    st.subheader(f"Labs of {chosen}: share of the whole market")
    pool = ctx.labs[ctx.labs["country_code"].isin(f.countries)] if f.countries else ctx.labs[ctx.labs["author"].isin(f.labs)]
    params = ui.chart_params(ctx.params(breakdown="lab", volume="named", share_of="market"),
                             series=min(f.top, pool["lab_name"].nunique()) + 1)
    labs = ui.query("share_by_series", **params)
    if labs.empty:
        ui.empty_state("tokens from these labs")
    else:
        st.altair_chart(
            charts.share_lines(labs, y_title="Share of all named tokens"), width="stretch"
        )
        st.caption("Share of every named token in the period (all countries), so lines from different countries compare directly.")
        ui.data_behind("share_by_series", params, labs, label="The data behind the lab chart")

    st.subheader("Their models")
    mparams = ctx.params(limit=200)
    models = ui.query("models_of_labs", **mparams)
    if models.empty:
        ui.empty_state("models")
    else:
        view = models.assign(
            Tokens=models["tokens"].map(human_tokens),
            **{"Share of lab": models["share_of_lab"].map(pct)},
            **{"Peak day": models["peak_day_tokens"].map(human_tokens)},
        )[["model_name", "lab_name", "country_code", "openness", "released_at", "first_seen", "Tokens", "Share of lab", "Peak day"]]
        ui.table(
            view.rename(columns={"model_name": "Model", "lab_name": "Lab", "country_code": "Country",
                                 "openness": "Weights", "released_at": "Released", "first_seen": "First in data"}),
        )
        ui.data_behind("models_of_labs", mparams, models, label="The data behind the model table")
