"""The Value page's figures on a fixture worked out by hand (tokenshare.analysis.value).

    model  side    score  price  tokens   by hand
    A      open     62    1.0     100     on (nothing scoring >= 62 is cheaper)
    B      closed   70    5.0     300     on (the top score; tied with J)
    C      closed   62    2.0     200     off: A scores as high for 1.0; 2.0 > 1.5 x 1.0, not near
    D      open     50    0.2     400     on (the cheapest model of all)
    E      open     45    0.3      50     off: D scores higher for 0.2; 0.3 = 1.5 x 0.2, near
    F      closed   55    0.5     150     on (nothing scoring >= 55 costs 0.5 or less)
    J      closed   70    5.0      10     on (an exact tie with B: both on)
    G      closed   -     1.0      80     not drawn: no benchmark
    H      open     -     0.4      60     not drawn: benchmarked, no score on this index
    I      open     30    0.0      20     not drawn: no price above zero

Open placed tokens: A + D + E = 550; on the frontier A + D = 500 (90.9%), on or near 550 (100%).
Closed placed: B + C + F + J = 660; on B + F + J = 460 (69.7%), on or near the same 460.
Bands: 60 or more A, B, C, J: 610 tokens, open 100 (16.4%, 1 of 4 models); 50 to 60 D, F:
550, open 400 (72.7%); 40 to 50 E: 50, all open (100%); under 40: none placed (I is not).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tokenshare.analysis import value

ROWS = [  # name, openness, has_benchmark, score, price, tokens
    ("A", "open", True, 62.0, 1.0, 100), ("B", "closed", True, 70.0, 5.0, 300),
    ("C", "closed", True, 62.0, 2.0, 200), ("D", "open", True, 50.0, 0.2, 400),
    ("E", "open", True, 45.0, 0.3, 50), ("F", "closed", True, 55.0, 0.5, 150),
    ("J", "closed", True, 70.0, 5.0, 10), ("G", "closed", False, None, 1.0, 80),
    ("H", "open", True, None, 0.4, 60), ("I", "open", True, 30.0, 0.0, 20),
]


def models(rows=ROWS) -> pd.DataFrame:
    return pd.DataFrame([{"model_permaslug": f"lab/{n.lower()}", "model_name": n, "openness": o, "has_benchmark": b,
                          "score": s, "price": p, "tokens": t, "ranked_days": 7, "live_days": 7}
                         for n, o, b, s, p, t in rows]).astype({"score": float})


def by_name(df: pd.DataFrame) -> dict:
    return df.set_index("model_name").to_dict("index")


def test_the_frontier_by_hand():
    m = by_name(value.mark_frontier(models()))
    assert {n for n, r in m.items() if r["on_frontier"]} == {"A", "B", "D", "F", "J"}
    assert {n for n, r in m.items() if r["near_frontier"]} == {"A", "B", "D", "E", "F", "J"}
    assert {n for n, r in m.items() if not r["placed"]} == {"G", "H", "I"}
    assert m["C"]["frontier_price"] == 1.0 and m["E"]["frontier_price"] == 0.2
    line = value.frontier_line(value.mark_frontier(models()))
    assert list(line["model_name"]) == ["D", "F", "A", "B", "J"]


def test_near_is_inclusive_and_stops_past_the_factor():
    rows = [r if r[0] != "E" else ("E", "open", True, 45.0, 0.31, 50) for r in ROWS]
    m = by_name(value.mark_frontier(models(rows)))
    assert not m["E"]["near_frontier"]  # 0.31 > 1.5 x 0.2
    m = by_name(value.mark_frontier(models(), near=1.0))
    assert not m["E"]["near_frontier"] and m["A"]["near_frontier"]


def test_shares_on_and_near_the_frontier_by_side():
    s = value.frontier_shares(value.mark_frontier(models())).set_index("openness")
    assert s.loc["open", "tokens"] == 550 and s.loc["closed", "tokens"] == 660
    assert s.loc["open", "on_share"] == pytest.approx(500 / 550)
    assert s.loc["open", "near_share"] == pytest.approx(1.0)
    assert s.loc["closed", "on_share"] == pytest.approx(460 / 660)
    assert s.loc["closed", "near_share"] == pytest.approx(460 / 660)
    words = value.frontier_words(value.frontier_shares(value.mark_frontier(models())))
    assert words.startswith("**100.0%** of open-weight tokens went to models on or near the frontier (90.9% on it)")
    assert "**69.7%** of closed tokens went to models on or near the frontier (69.7% on it)" in words


def test_capability_bands_by_hand():
    b = value.band_shares(value.mark_frontier(models())).set_index("band")
    assert b.loc["60 or more", "tokens"] == 610 and b.loc["60 or more", "open_share"] == pytest.approx(100 / 610)
    assert b.loc["50 to 60", "open_share"] == pytest.approx(400 / 550)
    assert b.loc["40 to 50", "open_share"] == 1.0
    assert b.loc["under 40", "models"] == 0 and math.isnan(b.loc["under 40", "open_share"])
    words = value.band_words(value.band_shares(value.mark_frontier(models())))
    assert words == ("Among models scoring 60 or more, open-weight models carried **16.4%** of tokens (1 of 4 "
                     "models). Open-weight share in the lower bands: 50 to 60: 72.7%; 40 to 50: 100.0%.")


@pytest.mark.parametrize("score, band", [(60.0, "60 or more"), (59.99, "50 to 60"), (50.0, "50 to 60"),
                                         (49.9, "40 to 50"), (40.0, "40 to 50"), (39.9, "under 40"), (0.0, "under 40")])
def test_both_sides_of_each_band_edge(score, band):
    assert value.band_of(score) == band


def test_a_top_band_without_tokens_gives_way_to_the_next():
    rows = [r for r in ROWS if r[3] is None or r[3] < 60]
    words = value.band_words(value.band_shares(value.mark_frontier(models(rows))))
    assert words.startswith("Among models scoring 50 to 60, open-weight models carried **72.7%**")


def test_models_not_drawn_are_counted_and_named():
    words = value.unplaced_words(models(), "Intelligence index")
    # G 80 + H 60 + I 20 = 160 of 1,370 tokens
    assert words.startswith("3 of 10 models with ranked tokens are not drawn (11.7% of their tokens)")
    assert "no benchmark (1): G" in words and "no score on this index (1): H" in words
    assert "no price above zero (1): I" in words
    assert value.unplaced_words(models(ROWS[:7]), "Coding index").startswith("Every model with ranked tokens")


def test_what_the_cut_hides():
    m = models()
    m.loc[m["model_name"] == "E", "ranked_days"] = 3
    words = value.cut_words(m, 0.08, ["Unranked One", "Unranked Two"])
    assert "the `other` row, 8.0% of all tokens in the range, belongs to no model" in words
    assert "1 drawn model(s) were live but below the cut on some days" in words
    assert "2 benchmarked model(s) had no ranked tokens in the range and are not drawn: Unranked One and Unranked Two" in words


def test_a_model_matched_on_price_by_a_better_one_is_off_the_frontier():
    # X and Y cost the same, Y scores higher: X is the cheapest of the models scoring at
    # least 50 (a tie at 1.0) but Y gives more for that price, so only Y is on it; Z,
    # cheaper and lower, is on it too
    m = by_name(value.mark_frontier(models([("X", "open", True, 50.0, 1.0, 10), ("Y", "closed", True, 60.0, 1.0, 10),
                                            ("Z", "open", True, 40.0, 0.5, 10)])))
    assert {n for n, r in m.items() if r["on_frontier"]} == {"Y", "Z"}
    assert m["X"]["frontier_price"] == 1.0 and m["X"]["near_frontier"]
