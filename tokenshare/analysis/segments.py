"""Segments (use-case category, modality, context bucket, language type): ordering the
segments, picking the period, and wording the figures of the Segments page. The
category and language figures are OpenRouter's estimates from sampled requests; the
modality and context figures are exact daily counts."""

from __future__ import annotations

import pandas as pd

from tokenshare.core.formatting import pct

ESTIMATED = ("category", "language")
# the order a reader expects (the API's own), where alphabetical order would mislead
ORDER = {
    "modality": ("text", "tool_calling", "image", "image_output", "audio"),
    "context": ("1K", "10K", "100K", "1M", "10M"),
    "language": ("programming", "natural"),
}
LABELS = {
    "text": "Text output", "tool_calling": "Tool calling", "image": "Image input", "image_output": "Image output",
    "audio": "Audio input", "1K": "Up to 1K", "10K": "1K–10K", "100K": "10K–100K", "1M": "100K–1M",
    "10M": "1M–10M", "programming": "Programming", "natural": "Natural language",
}
NOUNS = {"category": "category", "modality": "modality", "context": "context bucket", "language": "language type",
         "task": "task tag"}
PLURALS = {"category": "categories", "modality": "modalities", "context": "context buckets",
           "language": "language types", "task": "task tags"}
# the categories the thread's readers ask about first (else the two largest)
PREFERRED_CATEGORIES = ("programming", "roleplay")
# Context buckets past 100K tokens (named by their upper bound: 1M = 100K-1M, 10M = 1M-10M)
LONG_CONTEXT = ("1M", "10M")


def is_estimate(dimension: str) -> bool:
    return dimension in ESTIMATED


def label(dimension: str, segment: str) -> str:
    """A segment's name for a reader (context buckets as ranges of prompt length)."""
    if dimension == "category":
        return segment.capitalize()
    return LABELS.get(segment, segment)


def ordered(dimension: str, segments) -> list[str]:
    """The segments in the API's order (modality, context, language), others as given."""
    segments = list(segments)
    order = ORDER.get(dimension)
    if not order:
        return segments
    known = [s for s in order if s in segments]
    return known + [s for s in segments if s not in known]


def default_choice(dimension: str, options: list[str]) -> list[str]:
    """Categories: programming and roleplay (else the two largest); the other dimensions:
    every segment (five at most)."""
    if dimension == "category":
        chosen = [c for c in PREFERRED_CATEGORIES if c in options]
        return chosen if chosen else options[:2]
    return ordered(dimension, options)


def latest_period(shares: pd.DataFrame):
    """(period, partial_only): the latest complete period with named volume, or the
    latest one when none is complete; (None, False) when there is none."""
    d = shares[shares["named_tokens"] > 0]
    if d.empty:
        return None, False
    complete = d[~d["is_partial"].astype(bool)]
    if complete.empty:
        return d["period"].max(), True
    return complete["period"].max(), False


def lookback(grain: str, estimate: bool) -> tuple[int, str]:
    """How many periods back the headline's change is measured, and in words."""
    if estimate or grain == "week":
        return 28, "4 weeks earlier"
    if grain == "day":
        return 7, "7 days earlier"
    return 0, "the month before"


def earlier_period(period, grain: str, estimate: bool) -> pd.Timestamp:
    days, _ = lookback(grain, estimate)
    p = pd.Timestamp(period)
    return p - pd.DateOffset(months=1) if days == 0 else p - pd.Timedelta(days=days)


def headlines(shares: pd.DataFrame, chosen: list[str], period, earlier) -> list[dict]:
    """Open-weight share of each chosen segment in ``period`` and its change since
    ``earlier`` (None when that period is not in the data)."""
    out = []
    for seg in chosen:
        rows = shares[shares["segment"] == seg]
        now = rows[rows["period"] == period]
        if now.empty or pd.isna(now.iloc[0]["open_share"]):
            continue
        before = rows[rows["period"] == earlier]
        share = float(now.iloc[0]["open_share"])
        delta = None
        if not before.empty and pd.notna(before.iloc[0]["open_share"]):
            delta = share - float(before.iloc[0]["open_share"])
        out.append({"segment": seg, "share": share, "delta": delta})
    return out


def mix_sentences(dimension: str, mix: pd.DataFrame, chosen=None) -> list[str]:
    """One line per segment (the chosen ones, when given): 'Tool calling: 36.1% of
    open-weight tokens, 56.5% of closed'; for context, a last line for all of 100K+."""
    out = []
    d = mix.set_index("segment")
    for seg in ordered(dimension, d.index.tolist()):
        r = d.loc[seg]
        if (chosen is not None and seg not in chosen) or (pd.isna(r["open_mix"]) and pd.isna(r["closed_mix"])):
            continue
        out.append(f"{label(dimension, seg)}: {pct(r['open_mix'])} of open-weight tokens, "
                   f"{pct(r['closed_mix'])} of closed")
    long = d[d.index.isin(LONG_CONTEXT)]
    if dimension == "context" and not long.empty:
        out.append(f"Over 100K tokens of context ({', '.join(label(dimension, s) for s in ordered(dimension, long.index))}): "
                   f"{pct(long['open_mix'].sum())} of open-weight tokens, {pct(long['closed_mix'].sum())} of closed")
    return out


def mix_long(dimension: str, mix: pd.DataFrame) -> pd.DataFrame:
    """The mix as one row per (segment, side) for a grouped bar chart: segment, label,
    side ('Open weights' | 'Closed'), share, tokens."""
    rows = []
    for _, r in mix.iterrows():
        for side, share, tokens in (("Open weights", r["open_mix"], r["open_tokens"]),
                                    ("Closed", r["closed_mix"], r["closed_tokens"])):
            if pd.notna(share):
                rows.append({"segment": r["segment"], "label": label(dimension, r["segment"]), "side": side,
                             "share": float(share), "tokens": int(tokens)})
    return pd.DataFrame(rows, columns=["segment", "label", "side", "share", "tokens"])


def leader_table(dimension: str, leaders: pd.DataFrame, chosen: list[str]) -> pd.DataFrame:
    """One row per segment: #1, #2, #3 as 'Lab 23.4% (open 100%)'; chosen segments first,
    then in the dimension's order."""
    rows = []
    for seg, g in leaders.groupby("segment", sort=False):
        g = g.sort_values("rank")
        row = {"Segment": seg}
        for _, r in g.iterrows():
            open_part = "" if pd.isna(r["lab_open_share"]) else f" (open {pct(r['lab_open_share'], 0)})"
            row[f"#{int(r['rank'])}"] = f"{r['lab_name']} {pct(r['share'])}{open_part}"
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    order = {s: i for i, s in enumerate(ordered(dimension, sorted(df["Segment"])))}
    df["_rank"] = [(s not in chosen, order[s]) for s in df["Segment"]]
    df = df.sort_values("_rank").drop(columns="_rank").reset_index(drop=True).fillna("–")
    df["Segment"] = [label(dimension, s) for s in df["Segment"]]
    return df.rename(columns={"Segment": NOUNS[dimension].capitalize()})
