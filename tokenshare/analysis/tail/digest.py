"""The what-changed digest's figures with the tail below the Data API's daily top 50
(issue 21): the open-weight share of named tokens as a range, the open-weight leader
claimed only where the bounds decide it, and each mover's share counting what its models
below the cut can have had (a lab that fell below the cut did not fall to 0). Pure
functions over the rows of tail_usage_rows and tail_catalogue for the digest's two weeks
(bounds.py; no segment lists here: their lower bounds only narrow the ranges)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tokenshare.analysis.tail import bounds as tail, ranks as tail_ranks
from tokenshare.analysis.tail.words import is_range, share_words


@dataclass
class DigestBounds:
    """Per week start (Timestamp): the open-weight share range of named tokens
    (known, lo, hi) and the decided open-weight leader (None: undecided); per lab and per
    model (base permaslug), per week: (known, lo, hi) of its share of named tokens."""

    open_share: dict = field(default_factory=dict)
    leader: dict = field(default_factory=dict)
    labs: dict = field(default_factory=dict)  # (lab_name, week) -> (known, lo, hi, censored)
    models: dict = field(default_factory=dict)  # (base_permaslug, week) -> (known, lo, hi, censored)


def _ranges(ed: pd.DataFrame, by: str) -> dict:
    s = tail.share_ranges(ed, by, "week", "named")
    # the tail matters to a share when its own tokens are bounded, or when the others'
    # hidden tokens move it at the precision shown (its denominator)
    censored = (s["tokens_hi"] > s["known"]) | pd.Series(
        [is_range(lo, hi) for lo, hi in zip(s["share_lo"], s["share_hi"])], index=s.index)
    return {(g, pd.Timestamp(p)): (k, lo, hi, c) for g, p, k, lo, hi, c in
            zip(s["group"], s["period"], s["known_share"], s["share_lo"], s["share_hi"], censored)}


def digest_bounds(usage: pd.DataFrame, catalogue: pd.DataFrame) -> DigestBounds:
    """The bounds of the digest's two weeks from tail_usage_rows and tail_catalogue rows
    over them."""
    ed = tail.entry_days(usage, catalogue)
    out = DigestBounds()
    if ed.empty:
        return out
    s = tail.share_ranges(ed.assign(_o=ed["openness"]), "_o", "week", "named")
    for r in s[s["group"] == "open"].itertuples():
        out.open_share[pd.Timestamp(r.period)] = (r.known_share, r.share_lo, r.share_hi)
    lead = tail_ranks.leader_decided(tail.period_bounds(ed, "lab_name", "week", "open"))
    out.leader = {pd.Timestamp(p): x for p, x in zip(lead["period"], lead["leader"])}
    out.labs = _ranges(ed, "lab_name")
    out.models = _ranges(ed, "base_permaslug")
    return out


def share_text(known, lo, hi) -> str:
    """A share as the digest states it: share_words' range where the tail matters at one
    decimal, else the figure."""  # noqa: D401
    return share_words(known, lo, hi)


def move_words(row: dict, now, before) -> tuple[str, bool]:
    """(the share a mover moved to, whether the bounds decide the move's direction) for a
    movers row (series_key) given its (known, lo, hi, censored) ``now`` and ``before``
    (None: no catalogue row, the ranked figure stands)."""
    if now is None or not now[3]:
        to = share_words(row["share_now"], row["share_now"], row["share_now"])
    else:
        to = share_words(now[0], now[1], now[2])
    if (now is None or not now[3]) and (before is None or not before[3]):
        return to, True
    n_lo, n_hi = (now[1], now[2]) if now is not None else (row["share_now"],) * 2
    b_lo, b_hi = (before[1], before[2]) if before is not None else (row["share_before"],) * 2
    up = row["delta"] > 0
    decided = bool(n_lo > b_hi) if up else bool(n_hi < b_lo)
    return to, decided
