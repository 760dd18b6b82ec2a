"""Launch impact: what a model launch did to its lab's demand.

The figures come from ``queries/pages/launch_impact.sql``; this module words them for the page
(a number, or why there is none) and picks the answers the page leads with. It has no
Streamlit in it, so the tests call it directly."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from tokenshare.core.formatting import as_date, human_tokens, pct

BEFORE_DAYS = 14
WEEKS_AFTER = 6
# Days of data a window needs, relative to the launch day (L = day 0).
WINDOWS = {
    "before": (-BEFORE_DAYS, -1),
    **{f"w{k}": (7 * k, 7 * k + 6) for k in range(WEEKS_AFTER + 1)},
}
WINDOW_TITLES = {
    "before": "14 days before",
    "w0": "Launch week",
    **{f"w{k}": f"Week {k} after" for k in range(1, WEEKS_AFTER + 1)},
}

DEFINITIONS = {
    "Launch day": "the first day the model appears in the usage data, or its release date "
                  "(`released_at`) when that is earlier.",
    "Before": "the lab's mean daily tokens (all of its models) in the 14 days before the launch day.",
    "Launch week": "days 0 to 6 from the launch day; **week k after** is days 7k to 7k + 6.",
    "Jump": "week 1 after ÷ before: ×3.0 means the lab carried three times its pre-launch volume.",
    "Plateau": "the median of weeks 3, 4, 5 and 6 after: where demand settled.",
    "Hold": "plateau ÷ the peak week (the highest of the launch week and weeks 1 to 6): "
            "how much of the rise held.",
    "Share of lab, week 4": "the model's own tokens ÷ its lab's tokens in week 4 after.",
}

TOO_LITTLE = "too little history"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or pd.isna(x)


def window_in_data(row, window: str) -> bool:
    """Whether the window lies wholly inside the snapshot's days."""
    lo, hi = WINDOWS[window]
    launch = as_date(row["launch_day"])
    return (launch + dt.timedelta(days=lo) >= as_date(row["data_first_day"])
            and launch + dt.timedelta(days=hi) <= as_date(row["data_last_day"]))


def days_before_in_data(row) -> int:
    return (as_date(row["launch_day"]) - as_date(row["data_first_day"])).days


def days_after_in_data(row) -> int:
    """Days of data from the launch day on, launch day included."""
    return (as_date(row["data_last_day"]) - as_date(row["launch_day"])).days + 1


def why_missing(row, metric: str) -> str:
    """Why ``metric`` ('jump', 'plateau', 'hold', 'share_w4') has no number."""
    after = f"{TOO_LITTLE}: only {days_after_in_data(row)} days of data from the launch on"
    if metric == "jump":
        if not window_in_data(row, "before"):
            return f"{TOO_LITTLE}: only {days_before_in_data(row)} days of data before the launch (needs {BEFORE_DAYS})"
        if not window_in_data(row, "w1"):
            return after
        if not _missing(row["before"]) and row["before"] == 0:
            if row.get("lab_live_before"):  # the catalogue shows its earlier models live: the cut, not none
                return ("no measured level before: its lab's models were live but below the daily top 50 "
                        "(bounded, not none: the launch's own view gives the jump's lower bound)")
            return "no tokens before: the lab's first model in the data"
    needed = {"plateau": "w6", "hold": "w6", "share_w4": "w4"}.get(metric, "w1")
    if not window_in_data(row, needed):
        return after
    # the launched model is live after its launch: a lab with no ranked tokens then was
    # below the daily top 50 (issue 21), not without tokens
    if metric == "hold" and not _missing(row.get("peak")) and row["peak"] == 0:
        return "the lab had no model in the daily top 50 in any week after the launch (below the cut, not none)"
    if metric == "share_w4":
        return "the lab had no model in the daily top 50 in week 4 (below the cut, not none)"
    return "not available"


def short_reason(row, metric: str) -> str:
    """A few words for a table cell: why ``metric`` has no number."""
    reason = why_missing(row, metric)
    if reason.startswith(TOO_LITTLE):
        return TOO_LITTLE
    if reason.startswith("no tokens before"):
        return "lab's first model"
    if reason.startswith("no measured level before"):
        return "lab below the top 50"
    return "below the top 50"


def fmt_ratio(x) -> str:
    return "–" if _missing(x) else f"×{x:.2f}"


def metric_text(row, metric: str) -> str:
    """The figure as the page shows it, or the reason there is none."""
    value = row.get(metric)
    if _missing(value):
        return why_missing(row, metric)
    if metric == "jump":
        return fmt_ratio(value)
    if metric in ("hold", "share_w4"):
        return pct(value)
    return human_tokens(value)


def impact_table(df: pd.DataFrame) -> pd.DataFrame:
    """The launch-impact table as shown, largest jump first (launches without a jump
    last, newest first). Each figure is text: the number, or in a few words why there is
    none; ``Note`` gives the detail (how many days of data there are)."""
    d = df.assign(_has_jump=df["jump"].notna()).sort_values(
        ["_has_jump", "jump", "launch_day"], ascending=[False, False, False])
    rows = []
    for r in d.to_dict("records"):  # plain dicts: a Series per row (iterrows) cost 0.15 s at 2,000 rows
        by_reason: dict[str, list[str]] = {}
        cells = {}
        for metric, label in (("jump", "jump"), ("plateau", "plateau"), ("hold", "hold"), ("share_w4", "week-4 share")):
            if _missing(r[metric]):
                by_reason.setdefault(why_missing(r, metric), []).append(label)
                cells[metric] = short_reason(r, metric)
            elif metric == "jump":
                cells[metric] = fmt_ratio(r[metric])
            elif metric == "plateau":
                cells[metric] = human_tokens(r[metric])
            else:
                cells[metric] = pct(r[metric], 0)
        notes = [", ".join(labels) + ": " + reason for reason, labels in by_reason.items()]
        rows.append({
            "Launch day": as_date(r["launch_day"]),
            "Model": r["model_name"],
            "Lab": r["lab_name"],
            "Country": r["country_code"],
            "Weights": r["openness"],
            # 0 in the ranked lists while its lab's models were live: below the cut, not none (issue 21)
            "Before": "–" if _missing(r["before"]) else (
                "below the top 50" if r["before"] == 0 and r.get("lab_live_before") else human_tokens(r["before"])),
            "Launch week": "–" if _missing(r["w0"]) else human_tokens(r["w0"]),
            "Week 1": "–" if _missing(r["w1"]) else human_tokens(r["w1"]),
            "Jump": cells["jump"],
            "Plateau": cells["plateau"],
            "Hold": cells["hold"],
            "Share of lab, week 4": cells["share_w4"],
            "Note": "; ".join(notes),
            "model_permaslug": r["model_permaslug"],
        })
    return pd.DataFrame(rows)


def largest_jump(df: pd.DataFrame):
    """The launch with the largest jump (ties: the earlier launch, then the model with
    the larger share of its lab in week 4), or None."""
    # sorting only the three keys, then taking the one row: a copy of every column of
    # tens of thousands of launches cost 0.1 s at 10M rows
    d = df.loc[df["jump"].notna(), ["jump", "launch_day", "share_w4"]]
    if d.empty:
        return None
    d = d.assign(_share=d["share_w4"].fillna(-1.0))
    d = d.sort_values(["jump", "launch_day", "_share"], ascending=[False, True, False])
    return df.loc[d.index[0]]


def levels(row) -> pd.DataFrame:
    """The before / week 1 (jump) / plateau levels as horizontal segments on a chart
    whose x axis is days from the launch. Missing levels are left out."""
    segs = []
    if not _missing(row["before"]):
        segs.append(("Before (14-day mean)", -BEFORE_DAYS, 0, row["before"]))
    if not _missing(row["w1"]):
        segs.append(("Week 1 after (jump)", 7, 14, row["w1"]))
    if not _missing(row["plateau"]):
        segs.append(("Plateau (median of weeks 3-6)", 21, 49, row["plateau"]))
    out = pd.DataFrame(segs, columns=["level", "from_day", "to_day", "tokens"])
    out["tokens_label"] = out["tokens"].map(human_tokens)
    launch = pd.Timestamp(as_date(row["launch_day"]))
    out["from_date"] = launch + pd.to_timedelta(out["from_day"], unit="D")
    out["to_date"] = launch + pd.to_timedelta(out["to_day"], unit="D")
    return out


def launch_label(row) -> str:
    return f"{row['model_name']} · {as_date(row['launch_day']).isoformat()}"


LAUNCH_CAP = 2000  # points on the scatter, options in the picker: far below the 5,000 budget


def largest_launches(impact: pd.DataFrame, cap: int = LAUNCH_CAP, keep: str | None = None) -> pd.DataFrame:
    """The ``cap`` launches that added the most tokens per day to their lab (week 1 after
    minus the 14 days before; launches without both figures after those with them),
    plus the launch ``keep`` (the one in the URL) if it would fall outside. A snapshot
    with tens of thousands of launches would otherwise draw them all."""
    if len(impact) <= cap:
        return impact
    added = (impact["w1"] - impact["before"]).fillna(float("-inf"))
    keys = pd.DataFrame({"_added": added, "model_permaslug": impact["model_permaslug"]})
    order = keys.sort_values(["_added", "model_permaslug"], ascending=[False, True]).index[:cap]
    top = impact.loc[order]  # the keys sorted alone, then the rows taken once
    if keep is not None and keep not in set(top["model_permaslug"]):
        top = pd.concat([top, impact[impact["model_permaslug"] == keep]])
    return top


def measured(impact: pd.DataFrame) -> int:
    """How many launches have a jump figure (the others have too little history)."""
    return int(impact["jump"].notna().sum())


def any_on_scatter(impact: pd.DataFrame) -> bool:
    """Whether any launch has both a jump and a hold (a point on the scatter)."""
    return bool((impact["jump"].notna() & impact["hold"].notna()).any())


def newest_first(launches: pd.DataFrame) -> list[str]:
    """The launches' permaslugs, newest launch first (same day: by permaslug)."""
    ordered = launches.sort_values(["launch_day", "model_permaslug"], ascending=[False, True])
    return ordered["model_permaslug"].tolist()


def launch_of(impact: pd.DataFrame, permaslug: str):
    """The launch_impact row of one model."""
    return impact[impact["model_permaslug"] == permaslug].iloc[0]
