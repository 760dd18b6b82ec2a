"""The long tail below the Data API's daily top 50, for the pages (docs/tail.md, issue 21).

A model absent from a day's ranked list had between 0 and the day's cut, not 0. The
analysis layer (tokenshare/analysis/tail*.py) turns that into intervals; this module runs
its inputs through the named-query cache and keeps what it computes, once per snapshot
and date range (the entry-days: days x entries) and once per grain and focus or yardstick
on top of that, shared read-only by every session: a rerun costs a dictionary look-up.

The tail is stated for every token (``tier=all``): the tier of what the `other` row
holds is not known, so with ``tier=paid|free`` the functions here return None and the
pages say so (``TIER_NOTE``).

Wording (``share_words``, ``rank_words``): a range is rounded outwards at the precision
shown, so it still contains the truth: "under 4.7%", "between 2.7% and 5.1%"; a share the
tail cannot move at that precision is shown as one figure."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from tokenshare.app import cache
from tokenshare.app.tail_words import (  # noqa: F401 - the pages word their figures through this module
    BELOW, below_cut_note, is_range, rank_words, share_words, weeks_word, wide_rank_note,
)
from tokenshare.analysis.tail import bounds as tail, ranks as tail_ranks, segments as tail_segments
from tokenshare.analysis.metrics import focus_share_lines, on_every_period
from tokenshare.engine import kept_frames

TIER_NOTE = ("The bounds on the tail below the daily top 50 are stated for every token (Tokens: all): "
             "the tier of the tail's tokens is not known.")


@dataclass(frozen=True)
class TailBase:
    """The entry-days of a snapshot's date range and what the segment lists added."""

    ed: pd.DataFrame
    has_segments: bool  # the snapshot has daily segment lists
    partition_days: int  # days on which the context buckets add up to the day's total
    days: int


def _whole_snapshot(ctx) -> tuple[pd.DataFrame, pd.Series, bool]:
    """(entry-days, the days the context buckets partition, whether the snapshot has
    daily segment lists) over the snapshot's whole range. Every figure of a day depends
    on that day alone, so a date range is a slice of this."""
    s = ctx.snapshot
    usage = ctx.query("tail_usage_rows", start=s.start_date, end=s.end_date)
    catalogue = ctx.query("tail_catalogue")
    seg = ctx.query("tail_segment_rows", start=s.start_date, end=s.end_date) if s.has_segments else None
    seg_bounds = caps = None
    partitioned = pd.Series([], dtype="datetime64[ns]")
    if seg is not None and len(seg):
        part = tail_segments.context_partition_days(usage, seg)
        partitioned = pd.to_datetime(part.loc[part["partitions"], "date"])
        seg_bounds = tail_segments.segment_bounds(usage, seg)  # falls back day by day
        caps = tail_segments.unlisted_caps(usage, seg)
    ed = tail.entry_days(usage, catalogue, seg_bounds, caps)
    return ed, partitioned, seg is not None and len(seg) > 0


@cache.memoised("tail")  # ~47 MB on the sample: one per snapshot, whatever the date ranges asked
def _whole_cached(snapshot_id: str, _ctx) -> tuple[pd.DataFrame, pd.Series, bool]:
    """The entry-days, read from the copy an earlier process kept (engine.kept_frames), else computed and kept."""
    code = kept_frames.source_hash(_whole_snapshot, tail, tail_segments)  # a copy made by other code is not read
    path = kept_frames.kept_path(_ctx.snapshot, "tail_entry_days",
                                 ("tail_usage_rows", "tail_catalogue", "tail_segment_rows"), (code,))
    kept = kept_frames.read_kept(path)
    if kept is not None and {"_partitions", "_has_segments"} <= set(kept.columns):
        partitioned = pd.Series(kept.loc[kept["_partitions"], "date"].unique())
        has_segments = bool(len(kept)) and bool(kept["_has_segments"].iloc[0])
        return kept.drop(columns=["_partitions", "_has_segments"]), partitioned, has_segments
    ed, partitioned, has_segments = _whole_snapshot(_ctx)
    frame = ed.assign(_partitions=ed["date"].isin(partitioned), _has_segments=has_segments)
    threading.Thread(target=kept_frames.keep, args=(path, frame), daemon=True).start()  # not on the first view's time
    return ed, partitioned, has_segments


def base(ctx) -> TailBase:
    """The entry-days of the filters' date range: a slice of the snapshot's, which is
    computed once per snapshot (the callers keep what they derive from it per range)."""
    f = ctx.filters
    ed, partitioned, has_segments = _whole_cached(ctx.snapshot.snapshot_id, ctx)
    lo, hi = pd.Timestamp(f.start), pd.Timestamp(f.end)
    sliced = ed[(ed["date"] >= lo) & (ed["date"] <= hi)]
    return TailBase(sliced, has_segments, int(partitioned.between(lo, hi).sum()),
                    int(sliced["date"].nunique()))


# --------------------------------------------------------------------------- a focus


@dataclass(frozen=True)
class FocusTail:
    """A focus's bounds per period: period, period_end, is_partial, status (as
    tail_ranks.model_status), known, tokens_lo, tokens_hi, days_ranked, days_censored,
    days_live, and for its share of named and of open-weight tokens: known_share,
    share_lo, share_hi, open_known, open_lo, open_hi, and own_lo, own_hi (the open-weight
    share of its own named tokens). ``first_live``: the first day any
    of its catalogue models was live (NaT when unknown or none)."""

    periods: pd.DataFrame
    first_live: object
    grain: str = "week"
    bands: pd.DataFrame | None = None  # focus_band_rows of its two share lines


def _focus_mask(ed: pd.DataFrame, labs, countries) -> np.ndarray:
    mask = np.ones(len(ed), dtype=bool)
    if labs:
        mask &= ed["author"].isin(list(labs)).to_numpy()
    if countries:
        mask &= ed["country_code"].isin(list(countries)).to_numpy()
    return mask


def focus_frame(ed: pd.DataFrame, labs, countries, grain: str) -> FocusTail:
    """The focus (its catalogue entries: ``labs`` authors, ``countries`` codes) against
    the whole market, per period of ``grain``."""
    x = ed.assign(_focus=np.where(_focus_mask(ed, labs, countries), "focus", "rest"))
    status = tail_ranks.model_status(tail.period_bounds(x, "_focus", grain, "named"))
    named = tail.share_ranges(x, "_focus", grain, "named")
    opened = tail.share_ranges(x, "_focus", grain, "open")
    keys = ["period", "group"]
    out = status.merge(named[keys + ["known_share", "share_lo", "share_hi"]], on=keys, how="left").merge(
        opened[keys + ["known_share", "share_lo", "share_hi"]].rename(
            columns={"known_share": "open_known", "share_lo": "open_lo", "share_hi": "open_hi"}), on=keys, how="left")
    out = out[out["group"] == "focus"].drop(columns=["group"]).sort_values("period", ignore_index=True)
    out = _with_own_open(out, x, grain)
    live = ed.loc[_focus_mask(ed, labs, countries), "live_from"]
    return FocusTail(out, live.min() if live.notna().any() else pd.NaT, grain)


def _with_own_open(out: pd.DataFrame, x: pd.DataFrame, grain: str) -> pd.DataFrame:
    """``out`` with own_lo, own_hi: the open-weight share of the focus's own named
    tokens, open_lo / (open_lo + closed_hi) to open_hi / (open_hi + closed_lo) (NaN
    when it can have had none; 100% when only its open models can have had any)."""
    def tokens(universe):
        b = tail.period_bounds(x, "_focus", grain, universe)
        b = b[b["group"] == "focus"].set_index("period")
        return (out["period"].map(b["tokens_lo"]).fillna(0.0).to_numpy(float),
                out["period"].map(b["tokens_hi"]).fillna(0.0).to_numpy(float))
    (o_lo, o_hi), (c_lo, c_hi) = tokens("open"), tokens("closed")
    with np.errstate(divide="ignore", invalid="ignore"):
        # whatever tokens it had are all open (no closed model can have had any): 100%
        own_lo = np.where((c_hi == 0) & (o_hi > 0), 1.0,
                          np.where(o_lo + c_hi > 0, o_lo / (o_lo + c_hi), np.nan))
        own_hi = np.where((o_hi == 0) & (c_hi > 0), 0.0,
                          np.where(o_hi + c_lo > 0, o_hi / (o_hi + c_lo), np.where(o_hi > 0, 1.0, np.nan)))
    return out.assign(own_lo=own_lo, own_hi=own_hi)


@cache.memoised("tail")
def _focus_cached(snapshot_id: str, start, end, grain: str, labs: tuple, countries: tuple, _ctx) -> FocusTail:
    ft = focus_frame(base(_ctx).ed, labs, countries, grain)
    fshare = _ctx.query("focus_share_by_period", **_ctx.params(grain=grain, labs=list(labs),
                                                               countries=list(countries)))
    bands = focus_band_rows(focus_share_lines(fshare), ft.periods)
    return replace(ft, bands=cache.read_only(bands))  # read-only: the chart cache hashes it once, not every rerun


def focus_tail(ctx, focus) -> FocusTail | None:
    """The focus's bounds at the filters' grain (cached), or None without a focus or with
    a tier filter."""
    f = ctx.filters
    if not focus.active or f.tier != "all":
        return None
    return _focus_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.grain, tuple(sorted(focus.labs)),
                         tuple(sorted(focus.countries)), ctx)


def focus_band_rows(lines: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """The focus's lines (metrics.focus_share_lines: the share of all named tokens, then
    of open-weight tokens) with their bounds, for charts.bounded_share_lines: share_lo,
    share_hi, share (the known share, blank in a period the cut touched), share_cap (the
    upper bound, only there) and range_label (the words the headline uses)."""
    p = periods.set_index("period")
    first = lines["series_order"].to_numpy() == lines["series_order"].min()
    at = pd.to_datetime(lines["period"])
    lo = np.where(first, at.map(p["share_lo"]), at.map(p["open_lo"])).astype(float)
    hi = np.where(first, at.map(p["share_hi"]), at.map(p["open_hi"])).astype(float)
    censored = at.map(p["days_censored"]).fillna(0).to_numpy() > 0
    known = lines["share"].to_numpy(dtype=float)
    lo, hi = np.where(np.isnan(lo), known, lo), np.where(np.isnan(hi), known, hi)
    out = lines.assign(share_lo=lo, share_hi=hi, share=np.where(censored, np.nan, known),
                       share_cap=np.where(censored, hi, np.nan))
    out["range_label"] = [share_words(k, a, b) if c else ("–" if np.isnan(k) else f"{100 * k:.1f}%")
                          for k, a, b, c in zip(known, lo, hi, censored)]
    return out


def wholly_below(ft: FocusTail | None, grain: str) -> tuple:
    """The periods (ISO dates) in which the focus was wholly below the cut: live, never
    ranked; () without bounds or at another grain than the bounds' (a chart coarsened
    to fit its point budget)."""
    if ft is None or grain != ft.grain:
        return ()
    p = ft.periods
    return tuple(d.date().isoformat() for d in p.loc[(p["days_ranked"] == 0) & (p["days_censored"] > 0), "period"])


def lines_blanked(series: pd.DataFrame, periods: pd.DataFrame, *, absent: str, wholly: tuple) -> pd.DataFrame:
    """metrics.on_every_period's rows with share and tokens blanked in the ``wholly``
    periods, where the ranked lists' 0 is not the focus's share (for Context.derive:
    computed once per queries and options)."""
    lines = on_every_period(series, periods, absent=absent)
    if not wholly:
        return lines
    hit = pd.to_datetime(lines["period"]).isin(pd.to_datetime(list(wholly))).to_numpy()
    out = lines.copy()
    for col in ("share", "tokens"):
        if col in out:
            out[col] = out[col].astype("float64").mask(hit)
    return out


# --------------------------------------------------------------------------- labs


def lab_frame(ed: pd.DataFrame, grain: str, universe: str) -> pd.DataFrame:
    """Every lab (lab_name) per period: tokens_lo/hi, status, best_rank/worst_rank and
    its share range of ``universe`` (known_share, share_lo, share_hi)."""
    bounds = tail_ranks.model_status(tail.period_bounds(ed, "lab_name", grain, universe))
    ranks = tail_ranks.rank_ranges(bounds)
    shares = tail.share_ranges(ed, "lab_name", grain, universe)
    keys = ["period", "group"]
    return ranks.merge(shares[keys + ["known_share", "share_lo", "share_hi"]], on=keys, how="left")


@cache.memoised("tail")
def _labs_cached(snapshot_id: str, start, end, grain: str, universe: str, _ctx) -> pd.DataFrame:
    return lab_frame(base(_ctx).ed, grain, universe)


def lab_tail(ctx, universe: str, grain: str | None = None) -> pd.DataFrame | None:
    """Every lab's bounds (``lab_frame``) for ``universe`` ('named' or 'open') at
    ``grain`` (the filters' by default), cached; None with a tier filter."""
    f = ctx.filters
    if f.tier != "all":
        return None
    return _labs_cached(ctx.snapshot.snapshot_id, f.start, f.end, grain or f.grain, universe, ctx)


@dataclass(frozen=True)
class LabStanding:
    """Every lab's bounds (``lab_frame``'s row, as a dict) in one period, and in how many
    periods of the range each lab can have had tokens (tokens_hi > 0): what the Race
    page looks up per focus lab, without filtering the every-lab frame (tens of
    thousands of rows at a day grain) once per lab on every rerun."""

    now: dict
    possible: dict


@cache.memoised("tail")
def _labs_in(snapshot_id: str, start, end, grain: str, universe: str, period, _ctx) -> dict:
    labs = _labs_cached(snapshot_id, start, end, grain, universe, _ctx)
    rows = labs[labs["period"] == period]
    return {str(r["group"]): r for r in rows.to_dict("records")}


@cache.memoised("tail")
def _labs_possible(snapshot_id: str, start, end, grain: str, universe: str, _ctx) -> dict:
    labs = _labs_cached(snapshot_id, start, end, grain, universe, _ctx)
    return {str(k): int(v) for k, v in labs.loc[labs["tokens_hi"] > 0, "group"].value_counts().items()}


def lab_standing(ctx, universe: str, period) -> LabStanding | None:
    """``LabStanding`` of ``universe`` at the filters' grain in ``period`` (cached);
    None with a tier filter."""
    f = ctx.filters
    if f.tier != "all":
        return None
    key = (ctx.snapshot.snapshot_id, f.start, f.end, f.grain, universe)
    return LabStanding(_labs_in(*key, pd.Timestamp(period), ctx), _labs_possible(*key, ctx))


@cache.memoised("tail")
def _leaders_cached(snapshot_id: str, start, end, grain: str, universe: str, _ctx) -> pd.DataFrame:
    labs = _labs_cached(snapshot_id, start, end, grain, universe, _ctx)
    return tail_ranks.leader_decided(labs[["period", "group", "tokens_lo", "tokens_hi"]])


def _range_labels(labs: pd.DataFrame) -> pd.DataFrame:
    """period, series (lab), range_label: each lab's share of named tokens as
    share_words states it ("between 1.1% and 1.4%", or one figure)."""
    return pd.DataFrame({
        "period": labs["period"], "series": labs["group"].astype(str),
        "range_label": [share_words(k, lo, hi) for k, lo, hi in
                        zip(labs["known_share"], labs["share_lo"], labs["share_hi"])],
    })


@cache.memoised("tail")
def _area_ranged(snapshot_id: str, params_key: tuple, _area: pd.DataFrame, _ctx) -> pd.DataFrame:
    grain = dict(params_key)["grain"]
    labels = _range_labels(lab_tail(_ctx, "named", grain))
    out = _area.merge(labels, on=["period", "series"], how="left")
    out["range_label"] = out["range_label"].fillna("–")
    return out


def with_lab_ranges(ctx, area: pd.DataFrame, params: dict) -> pd.DataFrame:
    """The Share page's stacked lab shares (shares of every named token, the whole
    market) with range_label, each lab's share counting the tail below the top 50 (a
    tooltip line), cached per snapshot and parameters; ``area`` itself with a tier
    filter."""
    if ctx.filters.tier != "all":
        return area
    key = cache.freeze(params)
    return _area_ranged(ctx.snapshot.snapshot_id, key, area, ctx)


@dataclass(frozen=True)
class LaunchTail:
    """A launch's lab level before (days -14..-1) and in week 1 after (days 7..13), as
    daily means with bounds, and the jump they allow (tail_ranks.launch_jump_bounds:
    jump_hi inf when the level before can have been 0)."""

    before_lo: float
    before_hi: float
    after_lo: float
    after_hi: float
    jump_lo: float
    jump_hi: float


@cache.memoised("tail")
def _launch_cached(snapshot_id: str, start, end, lab: str, launch_day, _ctx) -> LaunchTail | None:
    ed = base(_ctx).ed
    day = pd.Timestamp(launch_day)
    days = set(pd.to_datetime(ed["date"].unique()))
    windows = [(day - pd.Timedelta(days=14), day - pd.Timedelta(days=1)),
               (day + pd.Timedelta(days=7), day + pd.Timedelta(days=13))]
    levels = []
    for a, b in windows:
        if not all(d in days for d in pd.date_range(a, b)):
            return None  # a window outside the range: the bounds would not cover it
        r = tail_ranks.range_bounds(ed, "lab_name", a, b, "all")
        r = r[r["group"] == lab]
        levels.append((0.0, 0.0) if r.empty else (float(r["mean_lo"].iloc[0]), float(r["mean_hi"].iloc[0])))
    (b_lo, b_hi), (a_lo, a_hi) = levels
    j_lo, j_hi = tail_ranks.launch_jump_bounds(b_lo, b_hi, a_lo, a_hi)
    return LaunchTail(b_lo, b_hi, a_lo, a_hi, j_lo, j_hi)


def launch_tail(ctx, lab: str, launch_day) -> LaunchTail | None:
    """The bounds of a launch's jump (cached), or None with a tier filter or when its
    windows reach outside the filters' date range."""
    f = ctx.filters
    if f.tier != "all":
        return None
    return _launch_cached(ctx.snapshot.snapshot_id, f.start, f.end, lab, pd.Timestamp(launch_day), ctx)


@cache.memoised("tail")
def _undecided_cached(snapshot_id: str, start, end, grain: str, universe: str, params: tuple, _ranks: pd.DataFrame,
                      _ctx) -> tuple:
    decided = _leaders_cached(snapshot_id, start, end, grain, universe, _ctx).set_index("period")["leader"]
    top = _ranks[_ranks["rank"] == 1].set_index("period")["lab_name"]
    return tuple(p for p, lab in top.items() if decided.get(pd.Timestamp(p)) != lab)


def undecided_leads(ctx, universe: str, ranks: pd.DataFrame) -> tuple | None:
    """The periods whose #1 in ``ranks`` (lab_ranks over every lab, the filters' range
    and grain) the bounds do not decide, cached; None with a tier filter."""
    f = ctx.filters
    if f.tier != "all":
        return None
    # the ranks depend on every filter (openness, tier, ...): their parameters are in the key
    return _undecided_cached(ctx.snapshot.snapshot_id, f.start, f.end, f.grain, universe, cache.freeze(ctx.params()),
                             ranks, ctx)


# --------------------------------------------------------------------------- coverage


def as_shared(df: pd.DataFrame) -> pd.DataFrame:
    """A query's frame as it is, for Context.derive: kept once and shared read-only, so
    the chart cache fingerprints it once instead of on every rerun."""
    return df


@cache.memoised("tail")
def _segment_summary(snapshot_id: str, start, end, _ctx) -> tuple:
    b = base(_ctx)
    days = b.ed.drop_duplicates("date")
    return b.has_segments, b.partition_days, b.days, float(days["absent_lo"].sum()), float(days["other_tokens"].sum())


def segment_summary(ctx) -> tuple:
    """(has segment lists, days the context buckets partition, days, `other` tokens the
    segment lower bounds attribute for sure, `other` tokens) over the filters' range."""
    f = ctx.filters
    return _segment_summary(ctx.snapshot.snapshot_id, f.start, f.end, ctx)
