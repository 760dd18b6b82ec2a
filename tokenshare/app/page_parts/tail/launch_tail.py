"""The Launches page with the tail below the Data API's daily top 50 (issue 21): the model's
share of its lab in week 4 after a launch as a range where the cut hid some of either,
and "no tokens before" said only when the catalogue shows the lab had no model live
before the launch (else its models were below the cut: bounded, not none)."""

from __future__ import annotations

import pandas as pd

from tokenshare.analysis.tail import ranks as tail_ranks
from tokenshare.app import cache, tail as tailing

BELOW = tailing.BELOW
W4 = (28, 34)  # week 4 after: days 28 to 34 from the launch day (launches.DEFINITIONS)


@cache.memoised("tail")
def _w4_cached(snapshot_id: str, start, end, lab: str, model: str, launch_day, _ctx):
    ed = tailing.base(_ctx).ed
    day = pd.Timestamp(launch_day)
    a, b = day + pd.Timedelta(days=W4[0]), day + pd.Timedelta(days=W4[1])
    days = set(pd.to_datetime(ed["date"].unique()))
    if not all(d in days for d in pd.date_range(a, b)):
        return None  # week 4 reaches outside the range: the bounds would not cover it
    group = pd.Series("out", index=ed.index).mask(ed["lab_name"] == lab, "rest").mask(ed["base_permaslug"] == model,
                                                                                        "model")
    r = tail_ranks.range_bounds(ed.assign(_g=group), "_g", a, b, "all").set_index("group")

    def of(g):
        return (float(r.loc[g, "tokens_lo"]), float(r.loc[g, "tokens_hi"])) if g in r.index else (0.0, 0.0)
    (m_lo, m_hi), (r_lo, r_hi) = of("model"), of("rest")
    # s = M / (M + R) rises with M and falls with R, each in its interval
    lo = m_lo / (m_lo + r_hi) if m_lo + r_hi > 0 else float("nan")
    hi = m_hi / (m_hi + r_lo) if m_hi + r_lo > 0 else float("nan")
    censored = m_hi > m_lo or r_hi > r_lo
    return lo, hi, censored


def share_w4(ctx, row) -> tuple[float, float, bool] | None:
    """(lo, hi, whether the cut hid any of the model's or its lab's tokens in week 4) of
    the model's share of its lab's tokens in week 4 after the launch; None with a tier
    filter or when week 4 is outside the filters' range."""
    f = ctx.filters
    if f.tier != "all":
        return None
    return _w4_cached(ctx.snapshot.snapshot_id, f.start, f.end, row["lab_name"], row["model_permaslug"],
                      pd.Timestamp(row["launch_day"]), ctx)


def share_w4_words(row, bounds) -> str | None:
    """The week-4 share as the metric states it: a range (whole percent, rounded
    outwards) where the cut matters, else None (the ranked figure stands)."""
    if bounds is None or not bounds[2] or pd.isna(bounds[1]):
        return None
    lo, hi, _ = bounds
    if not tailing.is_range(lo, hi, 0):
        return None
    # short, as a metric's value ("41%–100%"), so it is not cut off
    return tailing.share_words(row["share_w4"], lo, hi, 0).replace("between ", "").replace(" and ", "–")


@cache.memoised("tail")
def _daily_cached(snapshot_id: str, start, end, lab: str, first, last, _ctx) -> pd.DataFrame:
    from tokenshare.analysis.tail import bounds as tail

    ed = tailing.base(_ctx).ed
    x = ed[(ed["date"] >= pd.Timestamp(first)) & (ed["date"] <= pd.Timestamp(last))]
    g = tail.group_days(x, "lab_name", "all")
    g = g[g["group"] == lab]
    out = pd.DataFrame({"date": g["date"], "lab_known": g["known"], "lab_hi": g["known"] + g["hidden_max"]})
    # every day (a zero-height band where nothing was hidden), so the band has no false bridges
    return out if bool((out["lab_hi"] > out["lab_known"]).any()) else out.iloc[0:0]


def lab_daily_bounds(ctx, lab: str, daily: pd.DataFrame) -> pd.DataFrame | None:
    """Per day of ``daily`` (launch_lab_daily) on which the lab's models were below the
    daily top 50: date, lab_known (ranked), lab_hi (at most); None with a tier filter."""
    f = ctx.filters
    if f.tier != "all" or daily.empty:
        return None
    first, last = pd.to_datetime(daily["date"]).min(), pd.to_datetime(daily["date"]).max()
    return _daily_cached(ctx.snapshot.snapshot_id, f.start, f.end, lab, first, last, ctx)


@cache.memoised("tail")
def _lab_first_live(snapshot_id: str, _ctx) -> dict:
    cat = _ctx.query("tail_catalogue")
    live = pd.to_datetime(cat["live_from"])
    return cat.assign(live_from=live).groupby("lab_name")["live_from"].min().to_dict()


def with_lab_live_before(ctx, impact: pd.DataFrame) -> pd.DataFrame:
    """``impact`` with lab_live_before: the catalogue shows a model of the launch's lab
    live before its launch day, so a 0 before in the ranked lists is the cut, not none
    (launches.why_missing reads it)."""
    if impact.empty:
        return impact
    first = _lab_first_live(ctx.snapshot.snapshot_id, ctx)
    first_live = pd.to_datetime(impact["lab_name"].map(first))
    return impact.assign(lab_live_before=(first_live < pd.to_datetime(impact["launch_day"])).fillna(False))
