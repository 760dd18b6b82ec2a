"""The tail below the Data API's daily top 50 with a tier filter (``tier=free|paid``,
issue 21 item 6). A `:free` variant is an entry of its own in the ranked lists and in the
catalogue, so each absent entry's tier is known: the free tier's hidden tokens are those
of its absent `:free` entries, the paid tier's those of the others, each at most the day's
cut and together never more than the day's `other` (whose own split by tier is not
known, so it caps each tier whole). The bounds of a tier are therefore tail.py's bounds
over that tier's entries only; with ``tier=all`` every function here is tail.py's own.

A `:free` variant the catalogue does not list and that was never ranked is not bounded
(as any entry outside the catalogue): its tier's ranges could miss it."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from tokenshare.analysis.metrics import focus_share_lines
from tokenshare.app import cache, tail as tailing

FREE_SUFFIX = ":free"


def tier_note(tier: str) -> str:
    """What the bounds count with a tier filter; "" for every token."""
    if tier == "all":
        return ""
    which = "`:free` variants" if tier == "free" else "entries other than `:free` variants"
    return (f"Counting {tier} tokens only: the bounds on the tail {tailing.BELOW} count only the {which} absent from "
            "a day's list (each a ranked entry of its own, so its tier is known), at most the day's cut each and "
            "never more than the day's `other` together.")


def of_tier(ed: pd.DataFrame, tier: str) -> pd.DataFrame:
    """The entry-days of ``tier``'s entries (every entry for 'all')."""
    if tier == "all":
        return ed
    free = ed["model_permaslug"].astype(str).str.endswith(FREE_SUFFIX).to_numpy()
    return ed[free] if tier == "free" else ed[~free]


@cache.memoised("tail")
def _tier_ed(snapshot_id: str, start, end, tier: str, _ctx) -> pd.DataFrame:
    return of_tier(tailing.base(_ctx).ed, tier)


def entry_days(ctx) -> pd.DataFrame:
    """The filters' range's entry-days of the filters' tier (cached per tier)."""
    f = ctx.filters
    if f.tier == "all":
        return tailing.base(ctx).ed
    return _tier_ed(ctx.snapshot.snapshot_id, f.start, f.end, f.tier, ctx)


@cache.memoised("tail")
def _focus_cached(snapshot_id: str, start, end, grain: str, tier: str, labs: tuple, countries: tuple,
                  _ctx) -> tailing.FocusTail:
    ft = tailing.focus_frame(entry_days(_ctx), labs, countries, grain)
    fshare = _ctx.query("focus_share_by_period", **_ctx.params(grain=grain, labs=list(labs),
                                                               countries=list(countries)))
    return replace(ft, bands=tailing.focus_band_rows(focus_share_lines(fshare), ft.periods))


def focus_tail(ctx, focus) -> tailing.FocusTail | None:
    """tail.focus_tail, for the filters' tier too (None without a focus)."""
    f = ctx.filters
    if f.tier == "all" or not focus.active:
        return tailing.focus_tail(ctx, focus)
    return _focus_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.grain, f.tier, tuple(sorted(focus.labs)),
                         tuple(sorted(focus.countries)), ctx)


@cache.memoised("tail")
def _labs_cached(snapshot_id: str, start, end, grain: str, universe: str, tier: str, _ctx) -> pd.DataFrame:
    return tailing.lab_frame(entry_days(_ctx), grain, universe)


def lab_tail(ctx, universe: str, grain: str | None = None) -> pd.DataFrame | None:
    """tail.lab_tail, for the filters' tier too."""
    f = ctx.filters
    if f.tier == "all":
        return tailing.lab_tail(ctx, universe, grain)
    return _labs_cached(ctx.snapshot.snapshot_id, f.start, f.end, grain or f.grain, universe, f.tier, ctx)


@cache.memoised("tail")
def _standing_cached(snapshot_id: str, start, end, grain: str, universe: str, tier: str, period,
                     _ctx) -> tailing.LabStanding:
    labs = _labs_cached(snapshot_id, start, end, grain, universe, tier, _ctx)
    now = {str(r["group"]): r for r in labs[labs["period"] == period].to_dict("records")}
    possible = {str(k): int(v) for k, v in labs.loc[labs["tokens_hi"] > 0, "group"].value_counts().items()}
    return tailing.LabStanding(now, possible)


def lab_standing(ctx, universe: str, period) -> tailing.LabStanding | None:
    """tail.lab_standing, for the filters' tier too."""
    f = ctx.filters
    if f.tier == "all":
        return tailing.lab_standing(ctx, universe, period)
    return _standing_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.grain, universe, f.tier,
                            pd.Timestamp(period), ctx)


# --------------------------------------------------------------------------- free shares


@cache.memoised("tail")
def _free_cached(snapshot_id: str, start, end, grain: str, labs: tuple, countries: tuple, _ctx) -> dict:
    from tokenshare.analysis.tail import bounds as tail

    ed = tailing.base(_ctx).ed  # both tiers, whatever the filter, as the free-share section counts them
    x = ed
    if labs:
        x = x[x["author"].isin(list(labs))]
    if countries:
        x = x[x["country_code"].isin(list(countries))]
    x = x.assign(_tier=pd.Series("paid", index=x.index).mask(
        x["model_permaslug"].astype(str).str.endswith(FREE_SUFFIX), "free"))
    out = {}
    for side in ("open", "closed"):
        b = tail.period_bounds(x, "_tier", grain, side).set_index(["period", "group"])
        for period in b.index.get_level_values(0).unique():
            def of(g):
                return (float(b.loc[(period, g), "tokens_lo"]), float(b.loc[(period, g), "tokens_hi"])) \
                    if (period, g) in b.index else (0.0, 0.0)
            (f_lo, f_hi), (p_lo, p_hi) = of("free"), of("paid")
            # F / (F + P) rises with F and falls with P, each in its interval
            lo = f_lo / (f_lo + p_hi) if f_lo + p_hi > 0 else float("nan")
            hi = f_hi / (f_hi + p_lo) if f_hi + p_lo > 0 else (1.0 if f_hi > 0 else float("nan"))
            out[(pd.Timestamp(period), side)] = (lo, hi, f_hi > f_lo or p_hi > p_lo)
    return out


def free_share_words(ctx, focus, period, side: str, known) -> str | None:
    """The free share of the ``side`` ('open' or 'closed') tokens of the focus (or the
    market) in ``period`` as a range where the tail below the daily top 50 matters, else
    None (the ranked figure stands)."""
    f = ctx.filters
    b = _free_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.grain, tuple(sorted(focus.labs)),
                     tuple(sorted(focus.countries)), ctx).get((pd.Timestamp(period), side))
    if b is None or not b[2] or pd.isna(b[1]) or not tailing.is_range(b[0], b[1]):
        return None
    return tailing.share_words(known, b[0], b[1])
