"""The Race page's figures, from the ranks ``queries/pages/lab_ranks.sql`` returns (one
row per period and lab: period, period_end, is_partial, lab_name, rank, tokens, share):
the latest board, the labs with the most tokens over the range (one ordering, cut at
whatever N a chart names), and the rows the bump and share charts draw."""

from __future__ import annotations

import pandas as pd


def latest_board(ranks: pd.DataFrame):
    """(period, board): the latest complete period (the latest period when none is
    complete) and its labs, ranked."""
    complete = ranks[~ranks["is_partial"].astype(bool)]
    latest = complete if not complete.empty else ranks
    period = latest["period"].max()
    return period, latest[latest["period"] == period].sort_values("rank")


def labs_by_tokens(ranks: pd.DataFrame) -> list[str]:
    """Every lab, most tokens over the whole range first (ties keep name order). The
    first N of this list are "the N biggest labs", whatever N a chart takes."""
    totals = ranks.groupby("lab_name")["tokens"].sum()
    return totals.nlargest(len(totals)).index.tolist()


def complete_grid(df: pd.DataFrame, series_col: str, keep) -> pd.DataFrame:
    """Every (period, series) pair, with the numbers blanked where ``keep`` is false or
    the series has no row: Vega-Lite breaks a line at a blank instead of drawing a
    long straight (or curved) bridge across the gap."""
    periods = df[["period", "period_end", "is_partial"]].drop_duplicates()
    grid = periods.merge(pd.DataFrame({series_col: df[series_col].unique()}), how="cross")
    out = grid.merge(df, on=["period", "period_end", "is_partial", series_col], how="left")
    hidden = ~keep(out).fillna(False).astype(bool)
    for col in ("rank", "tokens", "share"):
        if col in out:
            out[col] = out[col].astype("float64").mask(hidden)
    return out


def bump_rows(ranks: pd.DataFrame, labs: list[str], top: int) -> pd.DataFrame:
    """The bump chart's rows: ``labs`` in every period, blanked where a lab ranks below
    ``top`` (its line breaks there instead of running off the chart)."""
    return complete_grid(ranks[ranks["lab_name"].isin(labs)], "lab_name", keep=lambda d: d["rank"] <= top)


def share_line_rows(ranks: pd.DataFrame, labs: list[str]) -> pd.DataFrame:
    """``labs``' rows as share-chart series (``series``, ``series_order`` in the order
    of ``labs``)."""
    lines = ranks[ranks["lab_name"].isin(labs)].rename(columns={"lab_name": "series"})
    order = {lab: i for i, lab in enumerate(labs)}
    return lines.assign(series_order=lines["series"].map(order))


def focus_standing(ranks: pd.DataFrame, focus_labs) -> pd.DataFrame:
    """Where each focused lab stands in the race over every lab ranked (not among the
    focus alone): its rank in the latest period of ``latest_board`` and how many labs
    were ranked then, its share then, its best rank and the first period it reached it.
    One row per focused lab that was ranked at all in the range, best-placed first;
    a lab without tokens in the latest period has rank_now NaN. Columns: lab_name,
    rank_now, ranked_now, share_now, tokens_now, best_rank, best_period, periods_ranked."""
    columns = ["lab_name", "rank_now", "ranked_now", "share_now", "tokens_now", "best_rank", "best_period",
               "periods_ranked"]
    mine = ranks[ranks["lab_name"].isin(list(focus_labs))]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    period, board = latest_board(ranks)
    now = board.set_index("lab_name")
    rows = []
    for lab, own in mine.groupby("lab_name"):
        best = own.sort_values(["rank", "period"]).iloc[0]
        rows.append({
            "lab_name": lab,
            "rank_now": now["rank"].get(lab, float("nan")),
            "ranked_now": len(board),
            "share_now": now["share"].get(lab, float("nan")),
            "tokens_now": now["tokens"].get(lab, 0),
            "best_rank": int(best["rank"]),
            "best_period": best["period"],
            "periods_ranked": int(own["period"].nunique()),
        })
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["rank_now", "best_rank", "lab_name"], na_position="last").reset_index(drop=True)


def focus_bump_rows(ranks: pd.DataFrame, labs: list[str], focus_labs, top: int) -> pd.DataFrame:
    """The bump chart's rows with a focus: ``labs`` (the biggest) blanked below ``top``
    as in ``bump_rows``, plus every focused lab at whatever rank it holds (its line
    breaks only where it has no tokens), with ``in_focus`` saying which is which."""
    focus = set(focus_labs)
    keep_labs = list(dict.fromkeys([*labs, *[lab for lab in labs_by_tokens(ranks) if lab in focus]]))
    rows = complete_grid(ranks[ranks["lab_name"].isin(keep_labs)], "lab_name",
                         keep=lambda d: (d["rank"] <= top) | d["lab_name"].isin(focus))
    return rows.assign(in_focus=rows["lab_name"].isin(focus))


def spell_table(spells: pd.DataFrame, grain: str) -> pd.DataFrame:
    """The "Who held #1" table from ``leader_spells`` rows: each spell's days are the
    data's (from_day, to_day, clipped to the range's days of data), and a spell whose
    first or last period the data cuts says so in words (a partial week is not a week)."""
    def note(row) -> str:
        cut = []
        if row["first_partial"]:
            cut.append(f"first {grain} partial (data from {pd.Timestamp(row['from_day']).date().isoformat()})")
        if row["last_partial"]:
            cut.append(f"last {grain} partial (data to {pd.Timestamp(row['to_day']).date().isoformat()})")
        return "; ".join(cut)

    def day(value) -> str:
        return "–" if pd.isna(value) else pd.Timestamp(value).date().isoformat()

    return pd.DataFrame({
        "#": spells["spell"], "Leader": spells["lab_name"],
        "From": spells["from_day"].map(day), "To": spells["to_day"].map(day),
        f"{grain.capitalize()}s at #1": spells["periods"], "Current": spells["is_current"],
        "Partial period": [note(r) for _, r in spells.iterrows()] if len(spells) else [],
    })
