"""The measured session cost (tokenshare.analysis.value: session_pairs, session_summary,
session_words) on cells worked out by hand:

    harness  turns   model   side    tokens  cost
    H One    1       o1      open      100   0.10
    H One    1       o2      open      300   0.20   top open (most tokens)
    H One    1       c1      closed    500   1.00   top closed (ties c2 on tokens; lab/c1 < lab/c2)
    H One    1       c2      closed    500   0.50
    H One    10-49   o2      open      300   2.00
    H One    10-49   c2      closed    500   6.00
    H Two    1       o1      open      100   0.05   no closed model: no pair
    H Three  2-9     c1      closed    500   3.00
    H Three  2-9     x       (none)      0   0.10   matches no named model: counted, never a side
    H Three  2-9     o3      open        0   0.30   the only open model (no ranked tokens): top open

Pairs (open vs closed): H One 1-turn 0.20 vs 1.00 (5x), H One 10-49 2.00 vs 6.00 (3x),
H Three 2-9 0.30 vs 3.00 (10x). Medians: open 0.30, closed 3.00, ratio 5x; 3 pairs in 2 of
the 3 harnesses; 1 cell unmatched."""

from __future__ import annotations

import pandas as pd
import pytest

from tokenshare.analysis import value

CELLS = [("h1", "H One", "1-turn", "o1", "open", 100, 0.10), ("h1", "H One", "1-turn", "o2", "open", 300, 0.20),
         ("h1", "H One", "1-turn", "c1", "closed", 500, 1.00), ("h1", "H One", "1-turn", "c2", "closed", 500, 0.50),
         ("h1", "H One", "10-49-turns", "o2", "open", 300, 2.00),
         ("h1", "H One", "10-49-turns", "c2", "closed", 500, 6.00),
         ("h2", "H Two", "1-turn", "o1", "open", 100, 0.05),
         ("h3", "H Three", "2-9-turns", "c1", "closed", 500, 3.00),
         ("h3", "H Three", "2-9-turns", "x", None, 0, 0.10), ("h3", "H Three", "2-9-turns", "o3", "open", 0, 0.30)]


def cells() -> pd.DataFrame:
    return pd.DataFrame([{"app_slug": a, "app_name": n, "turn_range": t, "model_permaslug": f"lab/{m}",
                          "model_name": m.upper(), "openness": o, "tokens": k, "median_session_cost_usd": c}
                         for a, n, t, m, o, k, c in CELLS])


def test_pairs_by_hand():
    p = value.session_pairs(cells())
    assert [tuple(r) for r in p[["app_name", "turn_range", "open_model", "open_cost", "closed_model", "closed_cost"]]
            .itertuples(index=False)] == [("H One", "1-turn", "O2", 0.20, "C1", 1.00),
                                          ("H One", "10-49-turns", "O2", 2.00, "C2", 6.00),
                                          ("H Three", "2-9-turns", "O3", 0.30, "C1", 3.00)]
    assert list(p["ratio"]) == pytest.approx([5.0, 3.0, 10.0])


def test_summary_and_words_by_hand():
    s = value.session_summary(cells(), value.session_pairs(cells()))
    assert (s["pairs"], s["harnesses"], s["all_harnesses"], s["unmatched_cells"]) == (3, 2, 3, 1)
    assert (s["median_open"], s["median_closed"], s["median_ratio"]) == pytest.approx((0.30, 3.00, 5.0))
    assert value.session_words(s) == (
        "In the same harness and turn range, a session on the harness's top open-weight model cost a median "
        "**$0.30** against **$3.00** on its top closed model (closed ÷ open: median 5.0×), over 3 harness × "
        "turn-range pairs in 2 of the 3 published harnesses.")


def test_no_pair_is_said_plainly():
    only_open = cells()[cells()["openness"] == "open"]
    s = value.session_summary(only_open, value.session_pairs(only_open))
    assert s["pairs"] == 0 and value.session_words(s).startswith("No published harness lists both")


@pytest.mark.parametrize("x, text", [(0.099, "$0.099"), (0.1, "$0.10"), (12.5, "$12.50"), (float("nan"), "–")])
def test_usd_per_session(x, text):
    assert value.usd_per_session(x) == text
