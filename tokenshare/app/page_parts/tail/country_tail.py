"""The Countries page with the tail below the Data API's daily top 50 (issue 21): a
country's tokens are its ranked tokens plus a bounded part (at most the cut for each of
its labs' catalogue models live that day and absent from the list, never more than that
day's `other`: analysis/tail/bounds.py), so its share is a range where that matters at the
precision shown, and a lead between two countries is claimed only where the bounds decide
it. Cached per snapshot, date range and grain, like tail.py's frames."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tokenshare.analysis.tail import bounds as tail, ranks as tail_ranks
from tokenshare.app import cache, page, tail as tailing
from tokenshare.app.page_parts.tail import tier_tail
from tokenshare.app.text import md
from tokenshare.core.formatting import human_tokens, period_label

BELOW = tailing.BELOW


@cache.memoised("tail")
def _countries_cached(snapshot_id: str, start, end, grain: str, tier: str, since, _ctx) -> tuple[pd.DataFrame,
                                                                                               pd.DataFrame]:
    ed = tier_tail.entry_days(_ctx)  # the filters' tier's entries (every entry for tier=all)
    if since is not None:  # only the periods asked for: a day's bounds depend on that day alone
        ed = ed[ed["date"] >= pd.Timestamp(since)]
    shares = tail.share_ranges(ed, "country_name", grain, "named")
    bounds = tail_ranks.model_status(tail.period_bounds(ed, "country_name", grain, "named"))
    return shares, bounds


def country_tail(ctx, grain: str | None = None, since=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(share ranges of named tokens per country and period, their token bounds) among
    the filters' tier's entries, from the period starting ``since`` on (every period when
    None)."""
    f = ctx.filters
    since = None if since is None else pd.Timestamp(since)
    return _countries_cached(ctx.snapshot.snapshot_id, f.start, f.end, grain or f.grain, f.tier, since, ctx)


def latest_complete(periods: pd.DataFrame):
    """The last period not flagged partial (else the last one), or None."""
    if periods.empty:
        return None
    done = periods.loc[~periods["is_partial"].astype(bool), "period"]
    return (done if len(done) else periods["period"]).max()


def share_table(shares: pd.DataFrame, period, top: int, chosen=()) -> pd.DataFrame:
    """Per country in ``period`` (the ``top`` with the most tokens possible, and the
    ``chosen`` ones): its share of named tokens in the ranked lists and counting the tail."""
    p = shares[(shares["period"] == period) & (shares["tokens_hi"] > 0)].copy()
    p = p.sort_values(["tokens_hi", "group"], ascending=[False, True])
    keep = p.head(top)
    extra = p[p["group"].isin(list(chosen)) & ~p["group"].isin(keep["group"])]
    p = pd.concat([keep, extra])
    return pd.DataFrame({
        "Country": p["group"].astype(str),
        "Ranked lists": [tailing.share_words(k, k, k) if k == k else "–" for k in p["known_share"]],
        "Counting the tail": [tailing.share_words(k, lo, hi) for k, lo, hi in
                              zip(p["known_share"], p["share_lo"], p["share_hi"])],
        "Tokens": [_tokens_words(lo, hi) for lo, hi in zip(p["tokens_lo"], p["tokens_hi"])],
    })


def _tokens_words(lo, hi) -> str:
    """'5.23T to 7T', or one figure where the two agree at the precision shown."""
    a, b = human_tokens(lo), human_tokens(hi)
    return a if a == b else f"{a} to {b}"


@cache.memoised("tail")
def _lab_periods_cached(snapshot_id: str, start, end, grain: str, tier: str, labs: tuple, _ctx) -> pd.DataFrame:
    ed = tier_tail.entry_days(_ctx)  # only the charted labs' entries: no ranks or shares needed here
    return tail.period_bounds(ed[ed["lab_name"].isin(list(labs))], "lab_name", grain, "named")


def blank_wholly_below(ctx, lines: pd.DataFrame, grain: str) -> tuple[pd.DataFrame, int]:
    """share_by_series lab lines with share blanked (a gap, not 0) in the periods a lab
    was live but wholly below the daily top 50, and how many such lab-periods there were."""
    if lines.empty:
        return lines, 0
    f = ctx.filters
    labs = _lab_periods_cached(ctx.snapshot.snapshot_id, f.start, f.end, grain, f.tier,
                               tuple(sorted(set(lines["series"].astype(str)))), ctx)
    hidden = labs[(labs["days_ranked"] == 0) & (labs["days_censored"] > 0)]
    keys = set(zip(pd.to_datetime(hidden["period"]), hidden["group"].astype(str)))
    hit = pd.Series([(pd.Timestamp(p), str(x)) in keys for p, x in zip(lines["period"], lines["series"])],
                    index=lines.index)
    # a period with no row at all is a gap in the line as well: count those too
    drawn = set(lines["series"].astype(str))
    gaps = sum(1 for _, lab in keys if lab in drawn)
    if not hit.any():
        return lines, gaps
    out = lines.copy()
    out["share"] = out["share"].astype("float64").mask(hit)
    return out, gaps


def lab_lines_blanked(ctx, lines: pd.DataFrame, params: dict) -> tuple[pd.DataFrame, int]:
    """blank_wholly_below for the lab chart's ``share_by_series`` rows at ``params``, once
    per snapshot, parameters and tier (the rows are that query's, so its parameters say
    all they hold): its row-by-row test was a tenth of a Countries rerun."""
    f = ctx.filters
    key = cache.key(ctx.snapshot.snapshot_id, "country_tail.lab_lines_blanked", params,
                    {"tier": f.tier, "start": f.start, "end": f.end})

    def make():
        drawn, gaps = blank_wholly_below(ctx, lines, params["grain"])
        return cache.read_only(drawn), gaps
    return cache.cached("tail", key, make)


def lead_words(bounds: pd.DataFrame, cross: dict, grain: str) -> str:
    """Whether the bounds decide the lead ``cross`` (countries.overtake_of_leaders)
    claims, in every complete period since it began: "" when they do."""
    periods = bounds.loc[~bounds["is_partial"].astype(bool), "period"]
    since = pd.Timestamp(cross["since"])
    held = sorted(p for p in periods.unique() if p >= since)
    lead = tail_ranks.lead_decided(bounds, cross["ahead"], cross["behind"]).set_index("period")["leader"]
    open_ = [p for p in held if lead.get(p) != cross["ahead"]]
    if not open_:
        return (f"The bounds on the tail {BELOW} decide this lead in every complete {grain}"
                + (": " if cross.get("from_start") else " since: ")
                + f"{md(cross['behind'])}-based labs' models below the cut cannot have closed the gap.")
    shown = ", ".join(period_label(p, grain) for p in open_[:3]) + (" …" if len(open_) > 3 else "")
    where = (f"In the {shown}" if len(held) == 1 else f"In {len(open_)} of these {len(held)} complete {grain}s ({shown})")
    return (f"{where} the bounds do not decide the lead: "
            f"counting what their models {BELOW} can have had, either could have been ahead, so the lead there is "
            "that of the ranked lists, not proven.")


@cache.memoised("tail")
def _lead_words_cached(snapshot_id: str, start, end, grain: str, tier: str, ahead: str, behind: str, since,
                       from_start: bool, _ctx) -> str:
    """lead_words once per snapshot, filters and lead: a fifth of a Countries rerun's CPU."""
    cross = {"ahead": ahead, "behind": behind, "since": since, "from_start": from_start}
    return lead_words(country_tail(_ctx, grain, since)[1], cross, grain)


def focus_metric(col, ft, focus_name: str, grain: str) -> None:
    """The focus's share of named tokens in the latest complete period, counting the tail
    (tail.focus_tail's bounds), or what the catalogue says when it had no model live."""
    p = ft.periods
    period = latest_complete(p)
    if period is None:
        return
    r = p[p["period"] == period].iloc[0]
    when = period_label(period, grain)
    label = f"{focus_name}: share of all named tokens, {when}"
    if r["status"] == "not launched":
        col.metric(label, tailing.share_words(0, 0, 0))
        col.caption("No model of it had been released yet: a true 0.")
        return
    col.metric(label, tailing.share_words(r["known_share"], r["share_lo"], r["share_hi"]),
               help="Its ranked tokens plus what its models below the daily top 50 can have had (at most the day's "
                    "cut each, never more than the day's `other`), of every named token.")
    if int(r["days_censored"]) > 0:
        if int(r["days_ranked"]) == 0:
            col.caption(f"Its models were {BELOW} on every day of the {when}: the ranked lists name none of its "
                        "tokens, and the range holds its true share.")
        else:
            col.caption(f"Its models were {BELOW} on some days of the {when}: the range holds its true share "
                        f"({tailing.share_words(r['known_share'], r['known_share'], r['known_share'])} in the "
                        "ranked lists alone).")


@cache.memoised("tail")
def _models_cached(snapshot_id: str, start, end, tier: str, models: tuple, _ctx) -> pd.DataFrame:
    ed = tier_tail.entry_days(_ctx)
    ed = ed[ed["base_permaslug"].isin(list(models))]  # the table's models only
    r = tail_ranks.range_bounds(ed, "base_permaslug", start, end, "all")
    return r.rename(columns={"group": "model_permaslug"})[["model_permaslug", "known", "tokens_lo", "tokens_hi"]]


def with_model_bounds(ctx, models: pd.DataFrame) -> pd.DataFrame:
    """The model table (models_of_labs) with "Counting the tail": each model's tokens
    over the range with its days below the daily top 50 bounded (its `:free` variant
    counted, as in the table), "–" where the cut never hid it."""
    if models.empty:
        return models
    f = ctx.filters
    b = _models_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.tier,
                       tuple(sorted(models["model_permaslug"].astype(str))), ctx).set_index("model_permaslug")
    lo = models["model_permaslug"].map(b["tokens_lo"])
    hi = models["model_permaslug"].map(b["tokens_hi"])
    words = [("–" if pd.isna(h) or h == lo_ else _tokens_words(lo_, h))
             for lo_, h in zip(lo, hi)]
    return models.assign(tail_words=words)


def section(ctx, by_country: pd.DataFrame, cross: dict | None, chosen_names, chart_grain: str) -> None:
    """Under the country chart (share_by_series rows ``by_country`` at ``chart_grain``,
    which may be coarser than the filters'): whether the bounds decide the lead claimed
    above, and the latest complete period's shares counting the tail. Each computed over
    the periods it needs only."""
    f = ctx.filters
    if f.tier != "all":
        st.caption(tier_tail.tier_note(f.tier))
    if cross:
        st.markdown(_lead_words_cached(ctx.snapshot.snapshot_id, f.start, f.end, chart_grain, f.tier, cross["ahead"],
                                       cross["behind"], pd.Timestamp(cross["since"]), bool(cross.get("from_start")),
                                       ctx))
    period = latest_complete(by_country.drop_duplicates("period"))
    if period is None:
        return
    shares, _ = country_tail(ctx, chart_grain, period)
    with st.expander(f"Country shares counting the tail {BELOW}, {period_label(period, chart_grain)}",
                     expanded=bool(chosen_names)):
        key = cache.key(ctx.snapshot.snapshot_id, "country_tail.share_table",
                        {"start": f.start, "end": f.end, "grain": chart_grain, "tier": f.tier, "period": period,
                         "top": f.top, "chosen": tuple(chosen_names)})
        table = cache.cached("tail", key, lambda: cache.read_only(
            share_table(shares, pd.Timestamp(period), f.top, chosen_names)))
        page.small_table(table)
        st.caption(f"A country's tokens are its ranked tokens plus what its labs' models {BELOW} can have had: at "
                   "most each day's cut for each such model live that day, never more than the day's `other`. A "
                   "range is rounded outwards, so the true share is inside it; one figure where the tail cannot "
                   "move it at this precision. Where daily segment lists name a model below the cut, its tokens there "
                   "are a lower bound, so a range can lie above the ranked lists' figure.")


@cache.memoised("tail")
def _unlisted_cached(snapshot_id: str, start, end, tier: str, labs: tuple, countries: tuple,
                     _ctx) -> tuple[int, float]:
    ed = tier_tail.entry_days(_ctx)
    mine = ed
    if labs:
        mine = mine[mine["author"].isin(list(labs))]
    if countries:
        mine = mine[mine["country_code"].isin(list(countries))]
    r = tail_ranks.range_bounds(mine, "base_permaslug", start, end, "named")
    never = r.loc[(r["known"] == 0) & (r["tokens_hi"] > 0), "group"]
    if never.empty:
        return 0, 0.0
    # together, as one group: each day's `other` caps their sum, not only each one's
    together = tail_ranks.range_bounds(mine.assign(_never=mine["base_permaslug"].isin(set(never))), "_never",
                                       start, end, "named")
    return len(never), float(together.loc[together["group"], "tokens_hi"].sum())


def unlisted_models(ctx, focus) -> str:
    """A caption for the models the table cannot list: the focus's catalogue models live
    in the range but never in the daily top 50 (between 0 and a bound, not 0); ""."""
    f = ctx.filters
    if not focus.active:
        return ""
    n, hi = _unlisted_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.tier, tuple(sorted(focus.labs)),
                             tuple(sorted(focus.countries)), ctx)
    if not n:
        return ""
    return (f"Not in the table: {n} more open or closed model{'s' if n != 1 else ''} of {md(focus.name)} live in this "
            f"range but never in the daily top 50, with between 0 and {human_tokens(hi)} tokens together "
            "(each at most the day's cut), not none.")
