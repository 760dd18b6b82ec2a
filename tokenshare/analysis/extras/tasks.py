"""Task tags (``task_model_shares``): which tasks go to open-weight models.

OpenRouter lists, per 7-day window and task tag, the tag's top models with each one's
share of the tag's tokens. Those listed models cover only part of a tag (the coverage);
the rest of the tag's tokens went to models it does not name. So the open-weight share
here is of the *listed* models' tokens in the tag (open ÷ (open + closed)), always stated
with the coverage; a listed model the catalogue cannot place (no openness) is in neither
side and counted. A macro-category (code, agent, ...) weighs its tags by their share of
classified tokens."""

from __future__ import annotations

import pandas as pd

from tokenshare.core.formatting import pct

TAG_KEYS = ["window_end", "tag"]


def _sum_where(df: pd.DataFrame, mask) -> pd.Series:
    return df["tag_token_share"].where(mask, 0.0).groupby([df[k] for k in TAG_KEYS]).sum()


def tag_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per window and tag: ``token_share`` (the tag's share of classified tokens),
    ``coverage`` (the listed models' share of the tag), ``open`` / ``closed`` /
    ``unplaced`` (the listed open-weight, closed and unplaceable models' shares of the
    tag), ``models`` listed, and ``open_share`` = open ÷ (open + closed) (NaN when the
    tag lists no placeable model)."""
    cols = TAG_KEYS + ["display_name", "macro_category", "token_share", "coverage", "open", "closed", "unplaced",
                       "models", "open_share"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    listed = rows["model_rank"] > 0
    shares = rows.assign(tag_token_share=rows["tag_token_share"].fillna(0.0))
    out = rows.groupby(TAG_KEYS, sort=True).agg(display_name=("display_name", "first"),
                                                macro_category=("macro_category", "first"),
                                                token_share=("token_share", "first"))
    out["coverage"] = _sum_where(shares, listed)
    out["open"] = _sum_where(shares, listed & (rows["openness"] == "open"))
    out["closed"] = _sum_where(shares, listed & (rows["openness"] == "closed"))
    out["unplaced"] = _sum_where(shares, listed & rows["openness"].isna())
    out["models"] = listed.groupby([rows[k] for k in TAG_KEYS]).sum().astype(int)
    placed = out["open"] + out["closed"]
    out["open_share"] = (out["open"] / placed.where(placed > 0)).astype(float)
    return out.reset_index()[cols]


def macro_shares(tags: pd.DataFrame) -> pd.DataFrame:
    """One row per window and macro-category: its tags' summed ``token_share``, the
    ``coverage`` (listed models' share of the category's tokens, tags weighed by their
    token share) and ``open_share`` = Σ token_share × open ÷ Σ token_share × (open + closed)."""
    cols = ["window_end", "macro_category", "tags", "token_share", "coverage", "open_share"]
    if tags.empty:
        return pd.DataFrame(columns=cols)
    w = tags["token_share"].fillna(0.0)
    weighed = tags.assign(w=w, w_cov=w * tags["coverage"], w_open=w * tags["open"],
                          w_placed=w * (tags["open"] + tags["closed"]))
    out = weighed.groupby(["window_end", "macro_category"], sort=True).agg(
        tags=("tag", "count"), token_share=("w", "sum"), w_cov=("w_cov", "sum"), w_open=("w_open", "sum"),
        w_placed=("w_placed", "sum"))
    out["coverage"] = out["w_cov"] / out["token_share"].where(out["token_share"] > 0)
    out["open_share"] = out["w_open"] / out["w_placed"].where(out["w_placed"] > 0)
    return out.reset_index()[cols]


def moves(shares: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per ``key`` (tag or macro_category): its open share in the latest kept window, in
    the window before it and in the first kept window, with the changes in points (NaN
    where a window lacks it)."""
    windows = sorted(shares["window_end"].unique())
    cols = [key, "latest", "previous", "first", "change_previous", "change_first"]
    if not windows:
        return pd.DataFrame(columns=cols)
    wide = shares.pivot_table(index=key, columns="window_end", values="open_share", aggfunc="first", dropna=False)
    wide = wide.reindex(columns=windows)
    out = pd.DataFrame({key: wide.index, "latest": wide[windows[-1]].to_numpy(),
                        "previous": wide[windows[-2]].to_numpy() if len(windows) > 1 else float("nan"),
                        "first": wide[windows[0]].to_numpy()})
    out["change_previous"] = out["latest"] - out["previous"]
    out["change_first"] = out["latest"] - out["first"]
    return out.sort_values("latest", ascending=False, na_position="last", kind="stable").reset_index(drop=True)[cols]


def _change(delta) -> str:
    if pd.isna(delta):
        return "no earlier figure"
    return f"{delta * 100:+.1f} points"


def headline_words(tags: pd.DataFrame, macros: pd.DataFrame, window_end, first_window, name=str) -> str:
    """The latest window in words: the most and least open-weight tags (among those with a
    figure) with their coverage, and the macro-categories' shares with the change since the
    first kept window. ``name`` makes a tag's or category's name (data) safe to show."""
    latest = tags[(tags["window_end"] == window_end) & tags["open_share"].notna()]
    if latest.empty:
        return "No task tag in this window lists a model the catalogue can place as open-weight or closed."
    ranked = latest.sort_values(["open_share", "tag"], ascending=[False, True], kind="stable")
    top, low = ranked.iloc[0], ranked.iloc[-1]
    words = (f"In the 7 days to {window_end:%Y-%m-%d}, **{name(top['display_name'])}** went most to open-weight models: "
             f"**{pct(top['open_share'])}** of its listed models' tokens (they carry {pct(top['coverage'])} of the "
             f"tag); **{name(low['display_name'])}** least: {pct(low['open_share'])} (coverage {pct(low['coverage'])}).")
    mac = macros[macros["window_end"] == window_end].sort_values("macro_category")
    first = macros[macros["window_end"] == first_window].set_index("macro_category")["open_share"]
    parts = []
    for _, m in mac.iterrows():
        if pd.isna(m["open_share"]):
            continue
        since = (f", {_change(m['open_share'] - first.get(m['macro_category'], float('nan')))} since "
                 f"{first_window:%Y-%m-%d}" if first_window != window_end else "")
        parts.append(f"{name(m['macro_category'])} {pct(m['open_share'])} (coverage {pct(m['coverage'])}{since})")
    if parts:
        words += " By macro-category: " + "; ".join(parts) + "."
    return words


def opened_later_words(rows: pd.DataFrame, name=str) -> str:
    """What the openness in force over each window means here: the listed models counted
    as closed in a window because their weights were published (``open_weights_since``)
    after its first day, named with that day. ``rows`` are task_model_shares rows."""
    rule = ("Openness is the one in force over each window: a model whose weights were published after a "
            "window's first day counts as closed in it, open from the first window that starts on or after that day "
            "(as the weekly segment estimates count it). The catalogue knows that day only for models whose weights "
            "opened after their launch (`open_weights_since`); the others count as they are classified now.")
    later = rows[(rows["model_rank"] > 0) & (rows["openness_now"] == "open") & (rows["openness"] == "closed")]
    if later.empty:
        return rule + " No listed model in these windows counts as closed for that reason."
    firsts = later.groupby("model_name", sort=True)["open_weights_since"].first()
    named = ", ".join(f"{name(m)} (open from {pd.Timestamp(d):%Y-%m-%d})" for m, d in firsts.items())
    return rule + f" {len(later)} listed model row(s) count as closed for that reason: {named}."
