"""The animated race with the tail below the Data API's daily top 50 (issue 21): a focus
lab below the cut in a frame gets a rank range and a bar drawn at its upper bound
(dashed, faint), never "no tokens" or no rank at all; a #1 the bounds do not decide is
said to be undecided. The bounds are tail.lab_tail's (cached per snapshot and range)."""

from __future__ import annotations

import pandas as pd

from tokenshare.app import tail as tailing
from tokenshare.app.text import md

BELOW = tailing.BELOW


def frame_bounds(labs: pd.DataFrame | None, frame: str) -> pd.DataFrame:
    """Every lab's bounds (tail.lab_frame rows) in the period starting ``frame``."""
    if labs is None:
        return pd.DataFrame()
    return labs[labs["period"] == pd.Timestamp(frame)]


def live_labs(at: pd.DataFrame) -> int:
    """How many labs can have had tokens in the frame (a live model): the worst rank any
    lab can hold, since labs are ranked among labs with tokens."""
    return int((at["tokens_hi"] > 0).sum()) if len(at) else 0


def rank_text(best, worst, n_live: int) -> str:
    """'#5–#9', or '#5 or lower (of 61)' when the worst rank is last among the labs that
    can have had tokens: the cut leaves it anywhere from #5 down."""
    if pd.notna(worst) and int(worst) >= n_live and int(worst) - int(best) > 3:
        return f"#{int(best)} or lower (of {n_live})"
    return tailing.rank_words(best, worst, short=True)


def standings(ranked: list[tuple[str, int, int]], at: pd.DataFrame, focus_labs, of_what: str) -> list[str]:
    """One phrase per focus lab in the frame: "Qwen #2 of 9", "Arcee AI #3–#4 (below the
    daily top 50)", or "Arcee AI #3 of 9 in the ranked lists, #3–#5 counting the tail";
    labs with no model released yet are left out (a true 0), live labs whose bounds are
    [0, 0] said to have had none."""
    out, n_live = [], live_labs(at)
    b = at.set_index("group") if len(at) else None
    seen = set()
    for name, rank, n in ranked:
        seen.add(name)
        row = b.loc[name] if b is not None and name in b.index else None
        # a lab ranked every day can still be passed by labs below the cut: its range too
        if row is not None and row["best_rank"] != row["worst_rank"]:
            out.append(f"{md(name)} #{rank} of {n} in the ranked lists, "
                       f"{rank_text(row['best_rank'], row['worst_rank'], n_live)} counting the tail")
        else:
            out.append(f"{md(name)} #{rank} of {n}")
    below = [lab for lab in focus_labs if lab not in seen and b is not None and lab in b.index]
    for lab in sorted(below, key=lambda x: (b.loc[x, "best_rank"], b.loc[x, "worst_rank"], str(x))):
        row = b.loc[lab]
        if row["status"] == "not launched":
            continue
        if row["tokens_hi"] > 0:
            out.append(f"{md(lab)} {rank_text(row['best_rank'], row['worst_rank'], n_live)} ({BELOW})")
        else:
            out.append(f"{md(lab)}: no {of_what} tokens")
    return out


def censored_bars(at: pd.DataFrame, bars: pd.DataFrame, focus_labs, *, extra: int = 5) -> pd.DataFrame:
    """``bars`` with a bar for each focus lab (at most ``extra``) below the cut in the
    frame, drawn at its upper-bound share (``censored``; ``rank_label`` its rank range),
    below the ranked bars: its true share is anywhere from 0 to that bound."""
    if not len(at):
        return bars
    n_live = live_labs(at)
    have = set(bars["lab_name"]) if len(bars) else set()
    rows = at[at["group"].isin(list(focus_labs)) & ~at["group"].isin(have) & (at["tokens_hi"] > 0)]
    rows = rows.sort_values(["best_rank", "group"]).head(extra)
    if rows.empty:
        return bars
    start = int(bars["rank"].max()) + 1 if len(bars) else 1
    add = pd.DataFrame({
        "rank": range(start, start + len(rows)), "series": rows["group"].astype(str).to_numpy(),
        "lab_name": rows["group"].astype(str).to_numpy(), "share": rows["share_hi"].fillna(0.0).to_numpy(float),
        "tokens": rows["tokens_hi"].to_numpy(float), "in_focus": True, "censored": True,
        "rank_label": [rank_text(a, z, n_live) for a, z in zip(rows["best_rank"], rows["worst_rank"])],
    })
    if "is_partial" in bars:
        add["is_partial"] = bool(bars["is_partial"].iloc[0]) if len(bars) else False
    out = bars.assign(censored=False) if len(bars) else bars
    return pd.concat([out, add], ignore_index=True)


def leader_caveat(undecided: tuple | None, frame: str) -> str:
    """" The bounds do not decide #1 ..." when the frame's leader is not proven; ""."""
    if not undecided or pd.Timestamp(frame) not in {pd.Timestamp(p) for p in undecided}:
        return ""
    return (f" Not decided by the bounds: a lab with models {BELOW} could have led this period "
            "(the lead is that of the ranked lists).")
