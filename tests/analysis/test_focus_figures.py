"""The focus's figures (tokenshare.analysis): its share of the whole market, its place
in the race over every lab, the animated race's bars with a focus, and lines drawn on
every period. Frames worked out by hand."""

import datetime as dt

import pandas as pd
import pytest

from tokenshare.analysis import race, race_frames as rf
from tokenshare.analysis.metrics import focus_headline, on_every_period, own_open_words

W = [pd.Timestamp("2026-01-05") + pd.Timedelta(weeks=i) for i in range(6)]


def focus_frame(rows):
    """focus_share_by_period rows from (focus_open, focus_closed, market_open, market_closed, partial)."""
    out = []
    for p, (fo, fc, mo, mc, partial) in zip(W, rows):
        out.append({"period": p, "period_end": p + pd.Timedelta(days=6), "is_partial": partial,
                    "focus_open_tokens": fo, "focus_closed_tokens": fc, "focus_named_tokens": fo + fc,
                    "market_open_tokens": mo, "market_closed_tokens": mc, "market_named_tokens": mo + mc,
                    "share_of_named": (fo + fc) / (mo + mc), "share_of_open": fo / mo,
                    "own_open_share": fo / (fo + fc) if fo + fc else float("nan"),
                    "market_open_share": mo / (mo + mc)})
    return pd.DataFrame(out)


def test_focus_headline_latest_complete_period_and_change():
    df = focus_frame([(0, 0, 50, 50, False), (10, 0, 50, 50, False), (0, 0, 60, 40, False),
                      (20, 0, 60, 40, False), (30, 10, 80, 120, False), (99, 0, 100, 100, True)])
    h = focus_headline(df)
    assert h.period == W[4] and h.skipped_partial == W[5]
    assert h.share_of_named == pytest.approx(40 / 200)
    assert h.share_of_open == pytest.approx(30 / 80)
    assert h.own_open_share == pytest.approx(30 / 40)
    # 4 complete periods earlier is W1, where the focus had nothing: a true 0%
    assert h.share_of_named_before == 0 and h.delta_named == pytest.approx(0.2)
    assert h.focus_tokens == 40 and h.market_tokens == 200 and h.present


def test_focus_headline_when_the_focus_is_absent():
    h = focus_headline(focus_frame([(0, 0, 50, 50, False), (0, 0, 60, 40, False)]))
    assert not h.present and h.share_of_named == 0.0 and h.own_open_share is None


def test_own_open_words_say_what_100_and_0_mean():
    assert own_open_words("Arcee AI", 1.0, "week of 16 Nov 2026") == \
        "All of Arcee AI's tokens in the week of 16 Nov 2026 were open-weight models."
    assert own_open_words("Arcee AI", 0.0, "week").startswith("None of Arcee AI's tokens")
    assert own_open_words("US labs", 0.25, "week") == "25.0% of US labs' own tokens in the week were open-weight models."
    assert "no open or closed tokens" in own_open_words("Arcee AI", None, "week")


def series_frame(rows):
    return pd.DataFrame([{"period": W[i], "period_end": W[i] + pd.Timedelta(days=6), "is_partial": False,
                          "series": s, "series_order": o, "tokens": t, "share": sh} for i, s, o, t, sh in rows])


PERIODS = pd.DataFrame({"period": W[:4], "period_end": [p + pd.Timedelta(days=6) for p in W[:4]],
                        "is_partial": [False] * 4})


def test_on_every_period_zero_for_market_shares():
    # A has rows in W1 and W4 only, B in W1 only: W2 and W3 have no rows at all
    df = series_frame([(0, "A", 1, 10, 0.1), (0, "B", 2, 5, 0.05), (3, "A", 1, 20, 0.2)])
    out = on_every_period(df, PERIODS, absent="zero")
    a = out[out["series"] == "A"]
    assert list(a["share"]) == [0.1, 0.0, 0.0, 0.2]  # not a straight line from 0.1 to 0.2
    assert len(out) == 8


def test_on_every_period_gap_for_shares_of_the_selection():
    df = series_frame([(0, "A", 1, 10, 0.5), (0, "B", 2, 10, 0.5), (3, "A", 1, 20, 1.0)])
    out = on_every_period(df, PERIODS, absent="gap").set_index(["series", "period"])
    assert out.loc[("B", W[3]), "share"] == 0.0  # W4 had A's tokens: B's 0 is true
    assert out.loc[("A", W[1]), "share"] != out.loc[("A", W[1]), "share"]  # W2: no tokens at all, a blank
    assert out.loc[("A", W[2]), "tokens"] != out.loc[("A", W[2]), "tokens"]


def ranks_frame(rows):
    return pd.DataFrame([{"period": W[i], "period_end": W[i] + pd.Timedelta(days=6), "is_partial": partial,
                          "lab_name": lab, "tokens": t, "share": sh, "rank": r}
                         for i, lab, t, sh, r, partial in rows])


# W1: X 50, Y 30, F 20; W2: X 40, F 35, Y 25; W3 (partial): F 60, X 40
RANKS = ranks_frame([
    (0, "X", 50, 0.5, 1, False), (0, "Y", 30, 0.3, 2, False), (0, "F", 20, 0.2, 3, False),
    (1, "X", 40, 0.4, 1, False), (1, "F", 35, 0.35, 2, False), (1, "Y", 25, 0.25, 3, False),
    (2, "F", 60, 0.6, 1, True), (2, "X", 40, 0.4, 2, True),
])


def test_focus_standing_ranks_among_every_lab():
    s = race.focus_standing(RANKS, ["F"]).iloc[0]
    # "now" is the latest complete period, W2 (W3 is incomplete): F #2 of 3
    assert (s["rank_now"], s["ranked_now"], s["share_now"]) == (2, 3, 0.35)
    # best: #1, first in W3 (incomplete periods count for the best rank)
    assert s["best_rank"] == 1 and s["best_period"] == W[2] and s["periods_ranked"] == 3


def test_focus_standing_of_a_lab_missing_now_and_of_none():
    s = race.focus_standing(RANKS[~((RANKS["lab_name"] == "F") & (RANKS["period"] == W[1]))], ["F"]).iloc[0]
    assert s["rank_now"] != s["rank_now"] and s["best_rank"] == 1
    assert race.focus_standing(RANKS, ["nobody"]).empty


def test_focus_bump_rows_keep_the_focus_below_top_n():
    rows = race.focus_bump_rows(RANKS, ["X"], ["F"], top=1)
    f = rows[rows["lab_name"] == "F"].set_index("period")
    assert list(f["rank"]) == [3, 2, 1]  # drawn at its rank although below the top 1
    x = rows[rows["lab_name"] == "X"].set_index("period")
    assert x.loc[W[2], "rank"] != x.loc[W[2], "rank"]  # X is #2 in W3: below top 1, blanked
    assert set(rows.loc[rows["in_focus"], "lab_name"]) == {"F"}


def test_focus_frame_bars_add_the_focus_below_the_top():
    ranks = rf.with_series(RANKS, "labs")
    bars = rf.focus_frame_bars(ranks, "2026-01-05", 1, ["F"])
    assert list(bars["series"]) == ["X", "F"] and list(bars["in_focus"]) == [False, True]
    assert rf.focus_ranks_at(ranks, "2026-01-05", ["F"]) == [("F", 3, 3)]
