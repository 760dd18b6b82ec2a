"""Provider price competition: how many providers serve each model and how far apart
their prices are, open-weight against closed.

Input: the ``provider_endpoints`` query's rows (one per model and provider endpoint, or
one with an empty provider for a model without provider data). The figures:

- **providers** of a model: the distinct provider names among its endpoints (a provider
  offering two quantisations counts once);
- its **cheapest / median / dearest** price among its priced endpoints (price above
  zero: a free endpoint is counted in ``free_endpoints`` and left out of the prices),
  on the chosen measure (``PRICES``: blended at the Spend page's default split, or the
  prompt or completion price alone); the median of an even count is the mean of the
  two middle prices;
- its **spread** = dearest / cheapest (1.0 with a single priced endpoint).

``competition_summary`` gives the headline per side: the median number of providers,
their range, the median spread over the models with at least two priced endpoints, and
how many models in view have no provider data. Pure pandas, no Streamlit: the Providers
page and the Claims page both use it. OpenRouter does not say which provider served
which token, so nothing here weighs providers by tokens.
"""

from __future__ import annotations

import math

import pandas as pd

from tokenshare.core.formatting import as_date, human_tokens

PRICES = {
    "blended": "blended_usd_per_mtok",
    "prompt": "price_prompt_usd_per_mtok",
    "completion": "price_completion_usd_per_mtok",
}
PRICE_WORDS = {
    "blended": "Blended price (at the Spend page's default split)",
    "prompt": "Prompt price",
    "completion": "Completion price",
}
DEFAULT_PRICE = "blended"
SIDES = ("open", "closed")
MODEL_COLUMNS = ["model_permaslug", "model_name", "lab_name", "openness", "tokens", "providers", "endpoints",
                 "free_endpoints", "cheapest", "median", "dearest", "spread", "catalogue", "fetched_on"]


def model_competition(endpoints: pd.DataFrame, price: str = DEFAULT_PRICE, *,
                      prompt_share: float = 15 / 16) -> pd.DataFrame:
    """One row per model (``MODEL_COLUMNS``), in the input's order (most tokens first).
    ``prompt_share`` only blends the catalogue price the way the query blended the
    providers' (the ``$prompt_share`` it ran with). Whole-column pandas: a loop over the
    models was a third of a second of every rerun on the sample."""
    col = PRICES[price]
    key = "model_permaslug"
    first = endpoints.drop_duplicates(key).set_index(key)
    served = endpoints[endpoints["provider"].notna()]
    by = served.groupby(key)
    priced = served[served[col] > 0].groupby(key)[col]
    out = pd.DataFrame({
        "model_name": first["model_name"], "lab_name": first["lab_name"], "openness": first["openness"],
        "tokens": first["tokens"].astype("int64"),
        "providers": by["provider"].nunique(), "endpoints": by.size(),
        "free_endpoints": served[served[col] == 0].groupby(key).size(),
        "cheapest": priced.min(), "median": priced.median(), "dearest": priced.max(),
        "fetched_on": by["fetched_on"].max(),
    }, index=first.index)
    for c in ("providers", "endpoints", "free_endpoints"):
        out[c] = out[c].fillna(0).astype("int64")
    for c in ("cheapest", "median", "dearest"):
        out[c] = out[c].astype("float64")
    out["spread"] = out["dearest"] / out["cheapest"]
    p = first["catalogue_prompt_usd_per_mtok"].astype("float64")
    c = first["catalogue_completion_usd_per_mtok"].astype("float64")
    blended = prompt_share * p + (1 - prompt_share) * c
    out["catalogue"] = p if price == "prompt" else c if price == "completion" else blended
    return out.reset_index()[MODEL_COLUMNS]


def _side(models: pd.DataFrame) -> dict:
    known = models[models["providers"] > 0]
    multi = known[known["spread"].notna() & (known["endpoints"] - known["free_endpoints"] >= 2)]
    return {
        "models": len(models),
        "with_providers": len(known),
        "without_providers": int(len(models) - len(known)),
        "median_providers": float(known["providers"].median()) if len(known) else math.nan,
        "min_providers": int(known["providers"].min()) if len(known) else 0,
        "max_providers": int(known["providers"].max()) if len(known) else 0,
        "spread_models": len(multi),
        "median_spread": float(multi["spread"].median()) if len(multi) else math.nan,
        "max_spread": float(multi["spread"].max()) if len(multi) else math.nan,
        "tokens": int(known["tokens"].sum()),
        # the side's tokens (of models with provider data) that are of models with 2+ providers
        "multi_token_share": (float(known.loc[known["providers"] >= 2, "tokens"].sum() / known["tokens"].sum())
                              if known["tokens"].sum() else math.nan),
    }


def competition_summary(endpoints: pd.DataFrame, price: str = DEFAULT_PRICE, *,
                        prompt_share: float = 15 / 16, models: pd.DataFrame | None = None) -> dict:
    """The headline figures, per side ("open", "closed"; see ``_side`` for the keys),
    the fetch dates (``fetched_from``, ``fetched_to``), and the ``text`` of the
    headline, e.g. "Open-weight models: median 7 providers, price spread 3.4x; closed:
    1-2 providers, spread 1.0x". ``models``: ``model_competition``'s result for the
    same arguments, when the caller has it already."""
    if models is None:
        models = model_competition(endpoints, price, prompt_share=prompt_share)
    out = {side: _side(models[models["openness"] == side]) for side in SIDES}
    dates = models["fetched_on"].dropna()
    out["fetched_from"] = as_date(dates.min()) if len(dates) else None
    out["fetched_to"] = as_date(dates.max()) if len(dates) else None
    out["price"] = price
    out["text"] = headline_text(out)
    return out


def count_text(x: float) -> str:
    return "–" if math.isnan(x) else (f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}")


def times_text(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.1f}x"


def _range(side: dict) -> str:
    lo, hi = side["min_providers"], side["max_providers"]
    return f"{lo}" if lo == hi else f"{lo}-{hi}"


def headline_text(summary: dict) -> str:
    o, c = summary["open"], summary["closed"]
    parts = []
    if o["with_providers"]:
        parts.append(f"open-weight models: median {count_text(o['median_providers'])} providers "
                     f"({_range(o)}), price spread {times_text(o['median_spread'])}")
    if c["with_providers"]:
        parts.append(f"closed: {_range(c)} providers, price spread {times_text(c['median_spread'])}")
    if not parts:
        return "No provider data for the models in view."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def provider_counts(models: pd.DataFrame) -> pd.DataFrame:
    """How many models have each number of providers, per side: providers, openness,
    models (for the bar chart; models without provider data left out)."""
    known = models[models["providers"] > 0]
    if known.empty:
        return pd.DataFrame(columns=["providers", "openness", "models"])
    return (known.groupby(["providers", "openness"]).size().rename("models").reset_index()
            .sort_values(["providers", "openness"], ignore_index=True))


def usd_text(x) -> str:
    """A price in USD per million tokens, 3 significant figures ("–" when unknown)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.3g}" if x < 1000 else f"{x:,.0f}"


def model_table(models: pd.DataFrame) -> pd.DataFrame:
    """The per-model table as the page shows it (prices in USD per million tokens)."""
    side = {"open": "open", "closed": "closed"}
    return pd.DataFrame({
        "Model": models["model_name"], "Lab": models["lab_name"],
        "Weights": models["openness"].map(side).fillna(models["openness"]),
        "Tokens": models["tokens"].map(human_tokens),
        "Providers": models["providers"], "Cheapest": models["cheapest"].map(usd_text),
        "Median": models["median"].map(usd_text), "Dearest": models["dearest"].map(usd_text),
        "Spread": models["spread"].map(times_text), "Catalogue": models["catalogue"].map(usd_text),
    })
