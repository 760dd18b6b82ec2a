"""Censored bounds: what the Data API's daily top 50 leaves out, bounded instead of read
as zero (docs/tail.md, issue 21). Pure functions over DataFrames.

The facts (per day d, for the entries the API ranks: permaslugs, a `:free` variant an
entry of its own):

- a ranked entry's tokens are known exactly;
- an entry absent on d that had not gone live (d < live_from) had 0 tokens: a true 0;
- an entry absent on d that was live had 0 <= tokens <= cut_d, the smallest ranked row's
  tokens (strictly fewer, except for a tie the API broke alphabetically), and
  tokens <= other_d;
- the absent entries (catalogued or not) together had exactly other_d tokens.

Segment lists (tail/segments.py) may add, per absent entry-day, a lower bound lo > 0 and
an upper bound below the cut. With lo_e <= t_e <= hi_e for each absent live entry e, the
hidden tokens H_S of any set S of absent entries on a day satisfy

    sum_S lo_e  <=  H_S  <=  min( sum_S hi_e,  other_d - sum_{absent, not in S} lo_e )

because H_S = other_d - (hidden tokens of every other absent entry) and each of those is
at least its lo (entries outside the catalogue only lower the rest further). A period's
bounds are the sums of its days' bounds, since each day's truth lies in its own.

Inputs: ``usage`` (date, model_permaslug, total_tokens), the rows of tail_usage_rows,
`other` included; ``catalogue`` (model_permaslug, live_from, and the group columns: lab,
country, openness, open_weights_since...), the rows of tail_catalogue. ``entry_days``
joins them into one row per (day, entry) that every other function here reads."""

from __future__ import annotations

import numpy as np
import pandas as pd

OTHER = "other"
NAMED = ("open", "closed")
UNKNOWN_GROUP = "(unknown)"  # the group of an entry whose group column is NULL
_DAY_COLS = ["date", "other_tokens", "cut", "ranked_tokens", "absent_lo"]


def _periods(dates: pd.Series, grain: str) -> pd.Series:
    d = pd.to_datetime(dates)
    if grain == "week":
        return (d - pd.to_timedelta(d.dt.weekday, unit="D")).dt.normalize()
    if grain == "month":
        return d.dt.to_period("M").dt.start_time
    return d.dt.normalize()


def _period_end(period: pd.Series, grain: str) -> pd.Series:
    if grain == "week":
        return period + pd.Timedelta(days=6)
    if grain == "month":
        return period + pd.offsets.MonthEnd(0)
    return period


def entry_days(usage: pd.DataFrame, catalogue: pd.DataFrame,
               segment_bounds: pd.DataFrame | None = None,
               unlisted_caps: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (day of ``usage``, entry): every catalogue entry and every ranked one.

    Returns the catalogue's columns and: date, ranked (bool), live (bool: on or after
    live_from; NaT = live every day), tokens_lo, tokens_hi (equal to the tokens for a
    ranked entry, 0 and 0 before live_from, else the censored interval [seg lo or 0,
    min(cut, other, seg hi)]), other_tokens, cut (NaN on a day with no ranked row: then
    an absent entry is bounded by `other` alone), and openness as in force that day (an
    open model counts as closed before its open_weights_since, as in the fact tables).
    ``segment_bounds`` (date, model_permaslug, seg_lo, seg_hi) and ``unlisted_caps``
    (date, seg_hi: the cap of an entry in no segment list) come from tail_segments."""
    u = usage.assign(date=pd.to_datetime(usage["date"]))
    ranked = u[u["model_permaslug"] != OTHER]
    days = _day_facts(u, ranked)
    cat = catalogue.copy()
    cat["live_from"] = pd.to_datetime(cat["live_from"]) if "live_from" in cat else pd.NaT
    extra = sorted(set(ranked["model_permaslug"]) - set(cat["model_permaslug"]))
    if extra:  # ranked but unknown to the catalogue: when it went live is not known
        cat = pd.concat([cat, pd.DataFrame({"model_permaslug": extra, "live_from": pd.NaT})],
                        ignore_index=True)
    keys = ranked[["date", "model_permaslug"]]
    if cat["model_permaslug"].is_unique and not keys.duplicated().any():
        grid, in_order = _sorted_grid(cat, days, ranked), True
    else:  # repeated entries: the joins below say what each repeat gets
        grid, in_order = cat.merge(days[["date"]], how="cross"), False
        grid = grid.merge(ranked[["date", "model_permaslug", "total_tokens"]], how="left",
                          on=["date", "model_permaslug"]).merge(days, on="date", how="left")
    grid["ranked"] = grid["total_tokens"].notna()
    grid["live"] = grid["live_from"].isna() | (grid["date"] >= grid["live_from"]) | grid["ranked"]
    _bound(grid, segment_bounds, unlisted_caps)
    _openness_by_day(grid)
    grid = grid.drop(columns=["total_tokens"])
    return grid if in_order else grid.sort_values(["date", "model_permaslug"], ignore_index=True)


def _sorted_grid(cat: pd.DataFrame, days: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    """The (day, entry) grid already in (date, model_permaslug) order, with each
    entry's ranked tokens (NaN where absent) and the day's facts: what the cross join,
    the two joins and the sort made, in one take of the catalogue's columns instead of
    four copies of its text columns over every row (most of entry_days' time).
    ``cat``'s permaslugs and ``ranked``'s (date, permaslug) pairs are unique."""
    cat = cat.sort_values("model_permaslug", kind="stable", ignore_index=True)
    n_cat, n_days = len(cat), len(days)
    entry = np.tile(np.arange(n_cat), n_days)
    day = np.repeat(np.arange(n_days), n_cat)
    grid = cat.take(entry).reset_index(drop=True)
    grid["date"] = days["date"].to_numpy()[day]
    tokens = np.full(n_cat * n_days, np.nan)
    at_day = pd.Index(days["date"]).get_indexer(ranked["date"])
    at_entry = pd.Index(cat["model_permaslug"]).get_indexer(ranked["model_permaslug"])
    tokens[at_day * n_cat + at_entry] = ranked["total_tokens"].to_numpy(float)
    grid["total_tokens"] = tokens
    for col in days.columns.drop("date"):
        grid[col] = days[col].to_numpy()[day]
    return grid


def _day_facts(u: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    days = pd.DataFrame({"date": sorted(u["date"].unique())})
    other = u[u["model_permaslug"] == OTHER].groupby("date")["total_tokens"].sum()
    days["other_tokens"] = days["date"].map(other).fillna(0).astype("int64")
    days["cut"] = days["date"].map(ranked.groupby("date")["total_tokens"].min()).astype(float)
    days["ranked_tokens"] = days["date"].map(ranked.groupby("date")["total_tokens"].sum()).fillna(0)
    return days


def _bound(grid: pd.DataFrame, seg: pd.DataFrame | None, caps: pd.DataFrame | None) -> None:
    hi = np.fmin(grid["cut"].to_numpy(float), grid["other_tokens"].to_numpy(float))
    lo = np.zeros(len(grid))
    if caps is not None and len(caps):
        cap = grid[["date"]].merge(caps.assign(date=pd.to_datetime(caps["date"])), on="date", how="left")
        hi = np.fmin(hi, cap["seg_hi"].to_numpy(float))
    if seg is not None and len(seg):
        s = grid[["date", "model_permaslug"]].merge(
            seg.assign(date=pd.to_datetime(seg["date"])), on=["date", "model_permaslug"], how="left")
        listed = s["seg_lo"].notna().to_numpy()
        lo = np.where(listed, s["seg_lo"].to_numpy(float), lo)
        # a listed entry's own cap replaces the unlisted one (fmin with NaN keeps the other)
        hi = np.where(listed, np.fmin(np.fmin(grid["cut"], grid["other_tokens"]).to_numpy(float),
                                      s["seg_hi"].to_numpy(float)), hi)
    absent_live = (~grid["ranked"] & grid["live"]).to_numpy()
    known = grid["total_tokens"].to_numpy(float)
    grid["tokens_lo"] = np.where(grid["ranked"], known, np.where(absent_live, lo, 0.0))
    grid["tokens_hi"] = np.where(grid["ranked"], known, np.where(absent_live, hi, 0.0))
    absent = ~grid["ranked"]
    day_lo = grid["tokens_lo"].where(absent, 0.0).groupby(grid["date"]).transform("sum")
    grid["absent_lo"] = day_lo


def _openness_by_day(grid: pd.DataFrame) -> None:
    if "openness" not in grid:
        return
    grid["openness"] = grid["openness"].fillna("unclassified")
    if "open_weights_since" in grid:
        since = pd.to_datetime(grid["open_weights_since"])
        grid.loc[(grid["openness"] == "open") & since.notna() & (grid["date"] < since), "openness"] = "closed"


def in_universe(ed: pd.DataFrame, universe: str) -> pd.Series:
    """The entry-days inside a yardstick: 'named' (open + closed that day, the app's
    named volume), 'open', or 'all' (every entry)."""
    if universe == "all":
        return pd.Series(True, index=ed.index)
    if universe == "named":
        return ed["openness"].isin(NAMED)
    return ed["openness"] == universe


def group_days(ed: pd.DataFrame, by: str, universe: str = "all") -> pd.DataFrame:
    """Per (date, group) of the entries inside ``universe``: known (ranked tokens),
    hidden_min, hidden_max (the bound in the module docstring, the `other` cap
    included), ranked_entries, censored_entries (live, absent, hidden_max > 0),
    live_entries. A NULL group value is the group UNKNOWN_GROUP."""
    # only the columns read here: a boolean filter copies every column it keeps, and the
    # entry-days' many text columns (hundreds of thousands of rows) were most of the time
    x = ed.loc[in_universe(ed, universe), ["date", by, "tokens_lo", "tokens_hi", "ranked", "live"]]
    out = _sum_by_day_and_group(x, by)
    day = ed[["date", "other_tokens", "absent_lo"]].drop_duplicates("date")
    at = pd.Index(day["date"]).get_indexer(out["date"])  # every date of out is one of ed's
    other = day["other_tokens"].to_numpy(dtype=float)[at]
    lo, hi = out.pop("lo").to_numpy(), out.pop("hi").to_numpy()
    rest_lo = day["absent_lo"].to_numpy(dtype=float)[at] - lo
    out["hidden_min"] = lo
    out["hidden_max"] = np.maximum(np.minimum(hi, other - rest_lo), lo)
    return out


def _sum_by_day_and_group(x: pd.DataFrame, by: str) -> pd.DataFrame:
    """group_days' sums per (date, group), sorted by both as a groupby would: integer
    codes and np.bincount instead of a pandas groupby (five calls a market in the tail
    property test; the groupby's overhead was most of their time). The same frame as
    ``x.groupby(["date", "group"]).sum()`` over the columns below (checked equal over
    random markets when this was written)."""
    ranked = x["ranked"].to_numpy(dtype=bool)
    lo_t, hi_t = x["tokens_lo"].to_numpy(dtype=float), x["tokens_hi"].to_numpy(dtype=float)
    absent = ~ranked
    d_codes, d_uniq = pd.factorize(x["date"], sort=True)
    g_codes, g_uniq = pd.factorize(x[by].fillna(UNKNOWN_GROUP), sort=True)
    keys, inv = np.unique(d_codes.astype(np.int64) * max(len(g_uniq), 1) + g_codes, return_inverse=True)

    def total(values, kind):
        return np.bincount(inv, weights=values, minlength=len(keys)).astype(kind)

    return pd.DataFrame({
        "date": d_uniq.take(keys // max(len(g_uniq), 1)), "group": g_uniq.take(keys % max(len(g_uniq), 1)),
        "known": total(np.where(ranked, lo_t, 0.0), float),
        "lo": total(np.where(absent, lo_t, 0.0), float), "hi": total(np.where(absent, hi_t, 0.0), float),
        "ranked_entries": total(ranked, np.int64),
        "censored_entries": total(absent & (hi_t > 0), np.int64),
        "live_entries": total(x["live"].to_numpy(dtype=bool), np.int64),
    })


def period_bounds(ed: pd.DataFrame, by: str, grain: str = "week", universe: str = "all") -> pd.DataFrame:
    """Tokens per (period, group) as an interval that contains the truth.

    Returns: period, period_end, is_partial (the period reaches past the first or last
    day of ``ed``), group, known (ranked tokens: the figure the app states today),
    hidden_min, hidden_max, tokens_lo (= known + hidden_min), tokens_hi (= known +
    hidden_max), days_ranked (days with a ranked entry of the group), days_censored
    (days with a live absent entry that may have had tokens), days_live."""
    gd = group_days(ed, by, universe)
    gd["period"] = _periods(gd["date"], grain)
    gd["days_ranked"] = (gd["ranked_entries"] > 0).astype(int)
    gd["days_censored"] = (gd["hidden_max"] > 0).astype(int)
    gd["days_live"] = (gd["live_entries"] > 0).astype(int)
    cols = ["known", "hidden_min", "hidden_max", "days_ranked", "days_censored", "days_live"]
    out = gd.groupby(["period", "group"], as_index=False, dropna=False)[cols].sum()
    out["tokens_lo"] = out["known"] + out["hidden_min"]
    out["tokens_hi"] = out["known"] + out["hidden_max"]
    _flag_partial(out, ed, grain)
    return out


def _flag_partial(out: pd.DataFrame, ed: pd.DataFrame, grain: str) -> None:
    first, last = pd.to_datetime(ed["date"]).min(), pd.to_datetime(ed["date"]).max()
    out.insert(1, "period_end", _period_end(out["period"], grain))
    out.insert(2, "is_partial", (out["period"] < first) | (out["period_end"] > last))


def share_ranges(ed: pd.DataFrame, by: str, grain: str = "week", universe: str = "named") -> pd.DataFrame:
    """Each group's share of ``universe`` per period, as [share_lo, share_hi] around the
    truth, with known_share (known / the known universe: today's figure).

    Per day, with K the group's known tokens, N the universe's known (ranked) tokens,
    h_G the group's hidden and h_R the rest of the universe's hidden tokens, the true
    share over the period is s = sum(K + h_G) / sum(N + h_G + h_R). s does not fall
    when any day's h_G rises (d/dh of (a+h)/(b+h) is (b-a)/(b+h)^2 >= 0, as a <= b)
    and does not rise when any h_R rises. With lo_G <= h_G <= max_G and
    lo_R <= h_R <= max_R, where max_R = min(sum hi_R, other - sum of lo outside R) is
    valid whenever h_G >= lo_G (module docstring), hence

        s >= sum(K + lo_G) / sum(N + lo_G + max_R)      (share_lo)
        s <= sum(K + max_G) / sum(N + max_G + lo_R)     (share_hi)

    For universe 'all' the denominator is every token of the day, `other` included,
    known exactly: [sum(K + lo_G), sum(K + max_G)] / sum(ranked + other).
    Edge cases: share_hi is 0 when the group can have had no tokens; share_lo is 1 when
    nothing in the universe is known or hidden outside the group (den_lo = 0), since
    then every token of the universe is the group's.
    Returns: period, period_end, is_partial, group, known, tokens_lo, tokens_hi,
    known_share, share_lo, share_hi (NaN where the denominator is 0: no tokens at all)."""
    gd = _every_day(group_days(ed, by, universe), ed["date"].unique())
    uni = group_days(ed.assign(_all=1), "_all", universe)[["date", "known", "hidden_min", "hidden_max"]]
    uni.columns = ["date", "u_known", "u_lo", "u_hi"]
    d = gd.merge(uni, on="date", how="left")
    day = ed.drop_duplicates("date").set_index("date")
    other = d["date"].map(day["other_tokens"]).astype(float)
    absent_lo = d["date"].map(day["absent_lo"])
    rest_lo = d["u_lo"] - d["hidden_min"]
    rest_hi_sum = _rest_hi_sum(ed, by, universe, d)
    rest_max = np.maximum(np.minimum(rest_hi_sum, other - (absent_lo - rest_lo)), rest_lo)
    if universe == "all":
        total = d["date"].map(day["ranked_tokens"]) + other
        d["den_known"] = d["den_lo"] = d["den_hi"] = total
    else:
        d["den_known"] = d["u_known"]
        d["den_lo"] = d["u_known"] + d["hidden_min"] + rest_max
        d["den_hi"] = d["u_known"] + d["hidden_max"] + rest_lo
    d["num_lo"] = d["known"] + d["hidden_min"]
    d["num_hi"] = d["known"] + d["hidden_max"]
    d["period"] = _periods(d["date"], grain)
    cols = ["known", "num_lo", "num_hi", "den_known", "den_lo", "den_hi"]
    out = d.groupby(["period", "group"], as_index=False, dropna=False)[cols].sum()
    out["known_share"] = out["known"] / out["den_known"].replace(0, np.nan)
    out["share_lo"] = out["num_lo"] / out["den_lo"].replace(0, np.nan)
    out["share_hi"] = out["num_hi"] / out["den_hi"].replace(0, np.nan)
    # no tokens possible for the group, some for the universe: the share is 0 at most
    out.loc[(out["num_hi"] == 0) & (out["den_lo"] > 0), "share_hi"] = 0.0
    # nothing known and nothing else hidden in the universe (den_lo = 0): any token of it
    # is the group's, so the share is 1 wherever it is defined
    out.loc[(out["den_lo"] == 0) & (out["num_hi"] > 0), "share_lo"] = 1.0
    out = out.rename(columns={"num_lo": "tokens_lo", "num_hi": "tokens_hi"})
    _flag_partial(out, ed, grain)
    return out[["period", "period_end", "is_partial", "group", "known", "tokens_lo", "tokens_hi",
                "known_share", "share_lo", "share_hi"]]


def _every_day(gd: pd.DataFrame, dates) -> pd.DataFrame:
    """``gd`` with a row of zeros for each day a group has no entry in the universe (an
    open model before its weights opened, for universe 'open'), so that every day of a
    period is in its denominator."""
    full = pd.MultiIndex.from_product([sorted(dates), gd["group"].unique()], names=["date", "group"])
    return gd.set_index(["date", "group"]).reindex(full, fill_value=0).reset_index()


def _rest_hi_sum(ed: pd.DataFrame, by: str, universe: str, d: pd.DataFrame) -> pd.Series:
    """Per row of ``d`` (date, group): the sum of the upper bounds of the universe's
    absent entries outside the group."""
    x = ed.loc[in_universe(ed, universe) & ~ed["ranked"], ["date", by, "tokens_hi"]]
    per_group = x.groupby(["date", by], dropna=False)["tokens_hi"].sum()
    per_day = x.groupby("date")["tokens_hi"].sum()
    own = pd.Series(per_group.reindex(pd.MultiIndex.from_arrays([d["date"], d["group"]])).to_numpy(),
                    index=d.index).fillna(0.0)
    return d["date"].map(per_day).fillna(0.0) - own


def other_explained(ed: pd.DataFrame, grain: str = "week") -> pd.DataFrame:
    """How much of `other` the segment lower bounds attribute, per period: the Data
    page's "explained" figure. Returns: period, period_end, is_partial, other_tokens,
    explained_tokens (the sum of the absent entries' lower bounds: tokens surely theirs),
    explained_share (explained / other; NaN when other is 0)."""
    day = ed.drop_duplicates("date")[["date", "other_tokens", "absent_lo"]]
    day = day.assign(period=_periods(day["date"], grain))
    out = day.groupby("period", as_index=False)[["other_tokens", "absent_lo"]].sum()
    out = out.rename(columns={"absent_lo": "explained_tokens"})
    out["explained_share"] = out["explained_tokens"] / out["other_tokens"].replace(0, np.nan)
    _flag_partial(out, ed, grain)
    return out
