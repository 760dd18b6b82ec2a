"""How the pages and the digest word a figure the daily top-50 cut leaves uncertain: a
share as one figure or a range rounded outwards ("under 4.7%", "between 2.7% and 5.1%"),
a rank or rank range, a count of weeks, and the note under a chart. Plain strings, no
Streamlit: the app (``tokenshare.app.tail``) and the command-line digest
(``tokenshare.analysis.digest``) word their figures the same way."""

from __future__ import annotations

import math

import pandas as pd

BELOW = "below the daily top 50"


def _floor(x: float, digits: int) -> float:
    return math.floor(x * 10 ** (digits + 2) + 1e-9) / 10 ** (digits + 2)


def _ceil(x: float, digits: int) -> float:
    return math.ceil(x * 10 ** (digits + 2) - 1e-9) / 10 ** (digits + 2)


def _p(x: float, digits: int) -> str:
    return f"{100 * x:.{digits}f}%"


def share_words(known, lo, hi, digits: int = 1) -> str:
    """A share as the pages state it: one figure when the bounds agree at the precision
    shown, else a range rounded outwards ("under 4.7%", "between 2.7% and 5.1%"), so the
    truth is inside what is said."""
    if hi is None or pd.isna(hi):
        return "–"
    lo = 0.0 if lo is None or pd.isna(lo) else float(lo)
    if _p(lo, digits) == _p(float(hi), digits) and not (lo == 0 < hi):  # every value is said the same
        return _p(lo, digits)
    lo_r, hi_r = _floor(lo, digits), _ceil(float(hi), digits)
    if lo_r <= 0:
        return f"under {_p(max(hi_r, 10 ** -(digits + 2)), digits)}"
    return f"between {_p(lo_r, digits)} and {_p(hi_r, digits)}"


def is_range(lo, hi, digits: int = 1) -> bool:
    """True when ``share_words`` states a range for these bounds."""
    return share_words(0, lo, hi, digits).startswith(("under", "between"))


def rank_words(best, worst, *, short: bool = False) -> str:
    """'#4', or 'between #3 and #14' ('#3–#14' when ``short``: a metric's value)."""
    if pd.isna(best) or pd.isna(worst):
        return "–"
    best, worst = int(best), int(worst)
    if best == worst:
        return f"#{best}"
    return f"#{best}–#{worst}" if short else f"between #{best} and #{worst}"


def weeks_word(n: int, grain: str) -> str:
    return f"{n} {grain}{'' if n == 1 else 's'}"


def below_cut_note(periods: pd.DataFrame, grain: str) -> str:
    """How much of the range the focus spent (partly) below the cut, for a caption:
    "In 3 of 4 weeks it was below the daily top 50 on some days (3 wholly)"; "" when
    never."""
    censored = int((periods["days_censored"] > 0).sum())
    if not censored:
        return ""
    fully = int(((periods["days_ranked"] == 0) & (periods["days_censored"] > 0)).sum())
    return (f"In {censored} of {weeks_word(len(periods), grain)} it was {BELOW} on some days"
            + (f" ({fully} wholly)" if fully else ""))


def wide_rank_note(best, worst, live: int, of_what: str = "") -> str:
    """Why a rank range is wide, in words, when it spans more than five places: the labs
    surely ahead, and that every other lab with a live model may have been, because the
    lab's own tokens below the cut may have been close to 0 (its worst rank is then last
    of the ``live`` labs that can have had tokens). "" for a narrow range."""
    if pd.isna(best) or pd.isna(worst) or int(worst) - int(best) <= 5:
        return ""
    best, worst = int(best), int(worst)
    ahead = f"{best - 1} lab{'s' if best != 2 else ''} surely had more" if best > 1 else "none surely had more"
    last = " (last of them)" if worst >= live else ""
    return (f"{ahead}; any of the other {worst - best} of the {live} labs with live {of_what}models may have, "
            f"since its own tokens below the cut may have been close to 0{last}")
