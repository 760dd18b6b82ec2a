"""The Countries page's figures: which two countries lead the range and when the one
ahead moved ahead (``share_by_series`` rows by country), and how many labs a country or
lab filter spans (the sidebar's lab table)."""

from __future__ import annotations

import pandas as pd

from tokenshare.analysis.metrics import latest_overtake

NOT_A_COUNTRY = ("Rest",)


def leading_pair(by_country: pd.DataFrame) -> list[str]:
    """The two series with the most tokens over the range, largest first (Rest, the
    countries outside the top N summed, is not a country); fewer when there are fewer."""
    named = by_country[~by_country["series"].isin(NOT_A_COUNTRY)]
    return named.groupby("series")["tokens"].sum().nlargest(2).index.tolist()


def overtake_of_leaders(by_country: pd.DataFrame) -> dict | None:
    """``latest_overtake`` between the two leading countries (None with fewer than two)."""
    pair = leading_pair(by_country)
    return latest_overtake(by_country, *pair) if len(pair) == 2 else None


def labs_in_view(labs: pd.DataFrame, countries, authors) -> int:
    """How many labs (by name: Meta is two authors) the chosen countries hold, or the
    chosen authors make when no country is chosen."""
    pool = labs[labs["country_code"].isin(list(countries))] if countries else labs[labs["author"].isin(list(authors))]
    return int(pool["lab_name"].nunique())


def lead_changes_words(crossings: int) -> str:
    """What ``overtake_of_leaders``' count is, in words: every change of lead between the
    two in the range, the last one (the move ahead the sentence names) included."""
    if crossings <= 0:
        return ""
    if crossings == 1:
        return "the only change of lead between them in this range"
    return f"the last of {crossings} changes of lead between them in this range"
