"""The animated race: frames (one per period), the bars of a frame and who leads it.

Ranks come from ``queries/pages/lab_ranks.sql`` (labs) or ``queries/pages/model_ranks.sql``
(models); this module only slices them, so the tests can check it without Streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

RACE_BY = {"labs": "Labs", "models": "Models"}
DEFAULT_RACE_BY = "labs"
SPEEDS = {"slow": 1.6, "normal": 0.9, "fast": 0.45}  # seconds per frame


def _iso(x) -> str:
    if isinstance(x, pd.Timestamp):
        return x.date().isoformat()
    if isinstance(x, dt.datetime):
        return x.date().isoformat()
    return x.isoformat() if isinstance(x, dt.date) else str(x)


def to_date(frame: str) -> dt.date:
    return dt.date.fromisoformat(frame)


def with_series(ranks: pd.DataFrame, race_by: str) -> pd.DataFrame:
    """Ranks with a ``series`` column: the lab name, or the model name (its lab kept in
    lab_name, so a model's bar has its lab's colour)."""
    d = ranks.copy()
    d["series"] = d["lab_name"] if race_by == "labs" else d["model_name"]
    d["frame"] = d["period"].map(_iso)
    return d


def frame_options(ranks: pd.DataFrame) -> list[str]:
    """Every period that has ranked bars, as YYYY-MM-DD (its first day), in order."""
    if ranks.empty:
        return []
    return sorted({_iso(p) for p in ranks["period"].drop_duplicates()})  # a few hundred periods, not every row


def default_frame(ranks: pd.DataFrame) -> str | None:
    """The latest complete period (the latest period when none is complete)."""
    if ranks.empty:
        return None
    complete = ranks[~ranks["is_partial"].astype(bool)]
    use = complete if not complete.empty else ranks
    return _iso(use["period"].max())


def snap_frame(value: str | None, options: list[str]) -> str | None:
    """The frame a URL value means: itself when it is a frame; the period containing it
    when it is a date inside the range (2026-03-04 -> the week of 2026-03-02); else None."""
    if not value or not options:
        return None
    if value in options:
        return value
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    starts = [dt.date.fromisoformat(o) for o in options]
    if day < starts[0]:
        return None
    containing = [s for s in starts if s <= day]
    chosen = containing[-1]
    # a date after the last period's start belongs to it only when the period could
    # still contain it (weeks and months are at most 31 days long)
    if chosen == starts[-1] and (day - chosen).days > 31:
        return None
    return chosen.isoformat()


def next_frame(current: str | None, options: list[str], *, loop: bool = True) -> str | None:
    if not options:
        return None
    if current not in options:
        return options[0]
    i = options.index(current)
    if i + 1 < len(options):
        return options[i + 1]
    return options[0] if loop else options[-1]


def frame_bars(ranks: pd.DataFrame, frame: str, top: int) -> pd.DataFrame:
    d = ranks[ranks["frame"] == frame].sort_values("rank")
    return d.head(top).reset_index(drop=True)


def focus_frame_bars(ranks: pd.DataFrame, frame: str, top: int, focus_labs, *, extra: int = 5) -> pd.DataFrame:
    """The frame's top ``top`` bars plus the focused labs' bars that rank below them
    (at most ``extra``, best first), each with ``in_focus``: a focused lab outside the
    top N still shows where it stands, with the gap to the top N kept by its rank."""
    focus = set(focus_labs)
    d = ranks[ranks["frame"] == frame].sort_values("rank")
    shown = pd.concat([d.head(top), d.iloc[top:][d.iloc[top:]["lab_name"].isin(focus)].head(extra)])
    return shown.assign(in_focus=shown["lab_name"].isin(focus)).reset_index(drop=True)


def focus_ranks_at(ranks: pd.DataFrame, frame: str, focus_labs) -> list[tuple[str, int, int]]:
    """(name, rank, how many ranked) of each focused series in ``frame``, best first."""
    d = ranks[ranks["frame"] == frame]
    mine = d[d["lab_name"].isin(list(focus_labs))].sort_values("rank")
    return [(str(r.series), int(r.rank), len(d)) for r in mine.itertuples()]


@dataclass
class Leader:
    name: str
    lab_name: str
    share: float
    tokens: int
    since: str  # first frame of the current unbroken spell at #1
    periods_at_top: int
    previous: str | None  # who led before this spell, if anyone
    margin: float | None  # share lead over #2


def leader_at(ranks: pd.DataFrame, frame: str) -> Leader | None:
    """Who is #1 in ``frame``, since when without a break, and by how much."""
    tops = ranks[ranks["rank"] == 1].sort_values("frame")
    tops = tops[tops["frame"] <= frame]
    if tops.empty or tops.iloc[-1]["frame"] != frame:
        return None
    names = tops["series"].tolist()
    frames = tops["frame"].tolist()
    i = len(names) - 1
    while i > 0 and names[i - 1] == names[-1]:
        i -= 1
    now = tops.iloc[-1]
    second = ranks[(ranks["frame"] == frame) & (ranks["rank"] == 2)]
    margin = float(now["share"] - second.iloc[0]["share"]) if not second.empty else None
    return Leader(
        name=str(now["series"]), lab_name=str(now["lab_name"]), share=float(now["share"]),
        tokens=int(now["tokens"]), since=frames[i], periods_at_top=len(names) - i,
        previous=names[i - 1] if i > 0 else None, margin=margin,
    )
