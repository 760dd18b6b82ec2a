"""App rankings (``app_ranking_history``): the apps behind the tokens.

OpenRouter ranks apps by tokens over a window (``popular``) or by growth (``trending``),
overall or within a category; each refresh keeps its fetch, so a ranking has a history.
The figures here: the latest fetch's table with tokens per request and each app's share
of the listed apps' tokens, each app's rank in the fetch before and in the first kept
fetch, and the movement in words. Only the listed apps are known: an app missing from a
fetch is below its cut (or renamed), not gone."""

from __future__ import annotations

import pandas as pd

from tokenshare.core.formatting import human_tokens, pct

TABLE_COLUMNS = ["rank", "app_id", "app_name", "total_tokens", "total_requests", "tokens_per_request", "token_share",
                 "previous_rank", "first_rank", "climb"]


def fetches(history: pd.DataFrame) -> list:
    """The kept fetches' window ends, oldest first."""
    return sorted(history["end_date"].unique()) if len(history) else []


def latest_table(history: pd.DataFrame) -> pd.DataFrame:
    """The latest fetch's apps by rank, with their share of the listed apps' tokens, their
    rank in the fetch before and in the first kept fetch (NaN: not listed then) and
    ``climb`` = previous rank - rank (positive: moved up; NaN when new or no fetch before)."""
    ends = fetches(history)
    if not ends:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    latest = history[history["end_date"] == ends[-1]].sort_values("rank", kind="stable").copy()
    total = latest["total_tokens"].sum()
    latest["token_share"] = latest["total_tokens"] / total if total else float("nan")

    def ranks_at(end) -> pd.Series:
        at = history[history["end_date"] == end]
        return at.set_index("app_id")["rank"]

    prev = ranks_at(ends[-2]) if len(ends) > 1 else pd.Series(dtype="float64")
    latest["previous_rank"] = latest["app_id"].map(prev).astype("float64")
    latest["first_rank"] = latest["app_id"].map(ranks_at(ends[0])).astype("float64")
    latest["climb"] = latest["previous_rank"] - latest["rank"]
    return latest.reset_index(drop=True)[TABLE_COLUMNS]


def dropped(history: pd.DataFrame) -> pd.DataFrame:
    """Apps listed in the fetch before the latest and not in the latest (below its cut now)."""
    ends = fetches(history)
    if len(ends) < 2:
        return history.iloc[0:0]
    prev = history[history["end_date"] == ends[-2]]
    now = set(history.loc[history["end_date"] == ends[-1], "app_id"])
    return prev[~prev["app_id"].isin(now)].sort_values("rank", kind="stable")


def median_tokens_per_request(table: pd.DataFrame) -> float:
    return float(table["tokens_per_request"].dropna().median()) if table["tokens_per_request"].notna().any() \
        else float("nan")


def movement_words(history: pd.DataFrame, name=str) -> str:
    """How the ranking moved in words: the leader and its share, the biggest climber and
    faller since the fetch before, the apps new to the list and those that left it. ``name``
    makes an app's name (data) safe to show."""
    ends = fetches(history)
    table = latest_table(history)
    if table.empty:
        return "No kept fetch of this ranking."
    top = table.iloc[0]
    words = [f"In the fetch for the 30 days to {pd.Timestamp(ends[-1]):%Y-%m-%d}, **{name(top['app_name'])}** "
             f"leads with {human_tokens(top['total_tokens'])} tokens ({pct(top['token_share'])} of the "
             f"{len(table)} listed apps' tokens)."]
    if len(ends) < 2:
        words.append("Only one fetch is kept, so there is no movement to show yet.")
        return " ".join(words)
    moved = table.dropna(subset=["climb"])
    up = moved.sort_values(["climb", "rank"], ascending=[False, True], kind="stable").head(1)
    down = moved.sort_values(["climb", "rank"], ascending=[True, True], kind="stable").head(1)
    since = f"{pd.Timestamp(ends[-2]):%Y-%m-%d}"
    if len(up) and up["climb"].iloc[0] > 0:
        u = up.iloc[0]
        words.append(f"Since the fetch to {since}, {name(u['app_name'])} climbed most "
                     f"({int(u['previous_rank'])} → {int(u['rank'])}).")
    if len(down) and down["climb"].iloc[0] < 0:
        d = down.iloc[0]
        words.append(f"{name(d['app_name'])} fell most ({int(d['previous_rank'])} → {int(d['rank'])}).")
    if len(up) == 0 or (up["climb"].iloc[0] <= 0 and down["climb"].iloc[0] >= 0):
        words.append(f"No listed app changed rank since the fetch to {since}.")
    new = table[table["previous_rank"].isna()]
    if len(new):
        words.append(f"New to the list: {', '.join(name(n) for n in new['app_name'])}.")
    gone = dropped(history)
    if len(gone):
        words.append(f"Left it (below the cut now): {', '.join(name(n) for n in gone['app_name'])}.")
    return " ".join(words)


def trending_table(trending: pd.DataFrame, popular: pd.DataFrame) -> pd.DataFrame:
    """The latest trending fetch by rank (``latest_table`` of the trending history, so with
    its rank in the fetch before), with ``popular_rank``: the app's rank in the popular
    ranking of the same scope and window end (NaN: not listed there, a small app growing)."""
    table = latest_table(trending)
    if table.empty:
        return table.assign(popular_rank=pd.Series(dtype="float64"))
    end = fetches(trending)[-1]
    same = popular[popular["end_date"] == end].set_index("app_id")["rank"] if len(popular) else pd.Series(dtype=float)
    return table.assign(popular_rank=table["app_id"].map(same).astype("float64"))


def trending_words(trending: pd.DataFrame, table: pd.DataFrame, scope: str, name=str) -> str:
    """The trending list in words: its leader, how many of its apps the popular ranking of the
    same scope and window does not list (named), and what joined and left the list since the
    fetch before. ``table`` is ``trending_table``; ``scope`` the list's scope in words (data:
    made safe by ``name``)."""
    if table.empty:
        return "No kept fetch of this trending list."
    ends = fetches(trending)
    scope = name(scope)
    words = [f"In the fetch for the 30 days to {pd.Timestamp(ends[-1]):%Y-%m-%d}, **{name(table['app_name'].iloc[0])}** "
             f"leads the trending list of {scope} ({len(table)} apps listed)."]
    outside = table[table["popular_rank"].isna()]
    if len(outside):
        words.append(f"{len(outside)} of the {len(table)} are not in the popular ranking of {scope} for the same window "
                     f"(growing from below its cut): {', '.join(name(n) for n in outside['app_name'])}.")
    else:
        words.append(f"All {len(table)} are also in the popular ranking of {scope} for the same window.")
    if len(ends) < 2:
        words.append("Only one fetch of this list is kept, so there is no movement to show yet.")
        return " ".join(words)
    new = table[table["previous_rank"].isna()]["app_name"]
    gone = dropped(trending)["app_name"]
    words.append(f"Since the fetch to {pd.Timestamp(ends[-2]):%Y-%m-%d}: new on the list: "
                 f"{', '.join(name(n) for n in new) or 'none'}; off it: {', '.join(name(n) for n in gone) or 'none'}.")
    return " ".join(words)
