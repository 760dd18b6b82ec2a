"""Providers: how many providers serve each model and how far apart their prices are,
open-weight against closed (from the snapshot's model_endpoints table)."""

import streamlit as st

from tokenshare.analysis import providers
from tokenshare.app import charts, evidence, page, urls
from tokenshare.app.charts import interactions
from tokenshare.core.formatting import human_tokens, pct

ctx = page.header(
    "Provider price competition",
    "Many inference providers serve the same open-weight model and compete on price; a closed model is served by "
    "its lab and perhaps a cloud or two, at the lab's price. This page counts the providers OpenRouter lists for "
    "each model and the spread between the cheapest and the dearest. OpenRouter does not say which provider "
    "served which token, so no figure here is weighted by a provider's traffic.",
)
f = ctx.filters


def count_note(side: dict, what: str) -> str:
    if not side["with_providers"]:
        return f"no {what} model in view has provider data"
    return (f"median per model · {side['with_providers']} models · "
            f"{side['min_providers']} to {side['max_providers']}")


def spread_note(side: dict) -> str:
    if not side["spread_models"]:
        return "no model in view has two priced providers"
    return f"dearest ÷ cheapest, median · {side['spread_models']} models with 2+ prices"

if not ctx.snapshot.has_endpoints:
    st.info(
        "**This snapshot has no provider data** (`model_endpoints.parquet`), so there is nothing to show here. "
        "`python -m tokenshare refresh --providers` fetches it (OpenRouter's endpoints API, no key needed); the "
        "bundled sample includes a synthetic one. Every other page works without it.",
        icon=":material/storefront:",
    )
else:
    price = st.segmented_control(
        "Price compared", urls.choices("price"), default=urls.default("price"), key="price", bind="query-params",
        required=True,
        help=f"blended: the prompt and completion prices mixed at the Spend page's default split "
             f"({evidence.default_split()} prompt:completion tokens), no cache; prompt or completion: that price alone.",
    ) or urls.default("price")
    share = evidence.rank_prompt_share()
    params = ctx.params(prompt_share=share)
    endpoints = ctx.query("provider_endpoints", **params)
    models = providers.model_competition(endpoints, price, prompt_share=share)
    summary = providers.competition_summary(endpoints, price, prompt_share=share, models=models)
    fetched = page.fmt_date(summary["fetched_to"])
    if summary["fetched_from"] is not None and summary["fetched_from"] != summary["fetched_to"]:
        fetched = f"{page.fmt_date(summary['fetched_from'])} to {fetched}"

    if models.empty:
        page.empty_state("named models")
    else:
        o, c = summary["open"], summary["closed"]
        st.markdown(f"**{summary['text']}**")
        page.headline(summary["text"])
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Open weights: providers", providers.count_text(o["median_providers"]),
                  help="The median, over the open-weight models in view with provider data, of the number of "
                       "distinct providers OpenRouter lists for each.")
        m1.caption(count_note(o, "open-weight"))
        m2.metric("Open weights: price spread", providers.times_text(o["median_spread"]),
                  help="Dearest ÷ cheapest priced provider of a model; the median over the open-weight models "
                       "with at least two priced providers.")
        m2.caption(spread_note(o))
        m3.metric("Closed: providers", providers.count_text(c["median_providers"]),
                  help="The same count for the closed models in view.")
        m3.caption(count_note(c, "closed"))
        m4.metric("Closed: price spread", providers.times_text(c["median_spread"]),
                  help="Dearest ÷ cheapest provider of a closed model; 1.0x = every provider at the lab's price.")
        m4.caption(spread_note(c))
        shares = [f"{w} {pct(side['multi_token_share'])}" for w, side in (("open-weight", o), ("closed", c))
                  if side["with_providers"]]
        if shares:
            st.caption(":material/groups: Tokens of models that two or more providers serve: " + ", ".join(shares)
                       + " (of the tokens of models with provider data; tokens are the model's, not a provider's).")
        missing = o["without_providers"] + c["without_providers"]
        st.caption(
            f":material/schedule: Providers as OpenRouter listed them on **{fetched}** (a state on that day, not a "
            f"history; each refresh with `--providers` adds one). Models: those with tokens from "
            f"{page.fmt_date(f.start)} to {page.fmt_date(f.end)} under the filters"
            + (f"; **{missing}** of them have no provider data (retired, or not fetched) and are left out of "
               "the figures." if missing else ".")
            + " Free endpoints are counted as endpoints but left out of prices."
        )

        st.subheader("How many providers serve each model")
        counts = providers.provider_counts(models)
        bars = charts.provider_count_bars(counts)
        charts.draw(bars, width="stretch")
        st.caption("Each bar counts the models in view with that many providers (a provider offering two "
                   "quantisations counts once).")
        interactions.chart_export(bars, "provider-counts", ctx.snapshot)

        top = models[models["providers"] > 0].head(f.top)
        st.subheader(f"Provider prices of the {len(top)} models with the most tokens")
        price_col = providers.PRICES[price]
        ladder = charts.price_ladder(endpoints, top, price_col, providers.PRICE_WORDS[price].split(" (")[0])
        charts.draw(ladder, width="stretch")
        st.caption(f"Each dot is a provider's {price} price, the line runs from the cheapest to the dearest, the "
                   "hollow diamond is the catalogue's price (what the Spend page uses by default). Models ordered "
                   f"by tokens from {page.fmt_date(f.start)} to {page.fmt_date(f.end)}, among those with provider "
                   "data; `top` in the sidebar sets how many.")
        interactions.chart_export(ladder, "provider-prices", ctx.snapshot)

        st.subheader("Models in view, most tokens first")
        table = providers.model_table(models)
        page.table_with_grid(table, key="provider_models", noun="models", rows=10,
                             height=min(38 + 35 * len(table), 560))
        all_tokens = human_tokens(int(models["tokens"].sum()))
        st.caption(f"Prices in USD per million tokens ({providers.PRICE_WORDS[price].lower()}); spread = dearest ÷ "
                   f"cheapest. Tokens: the model's, all providers together ({all_tokens} in all), since OpenRouter "
                   "does not split them by provider.")
        page.data_behind(ctx.snapshot, "provider_endpoints", params, endpoints,
                         label="The data behind this page")
st.caption(":material/center_focus_strong: Focus rule here: the lab, country and openness filters choose the models "
           "shown; each model's providers and prices are its own, whatever the focus.")
