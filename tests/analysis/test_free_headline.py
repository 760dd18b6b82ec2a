"""tokenshare.analysis.tiers.free_headline on hand-made free_share_by_period rows: the
latest complete period with named tokens, never an incomplete first or last one, and
the latest partial one (flagged) only when no period is complete."""

from __future__ import annotations

import math

import pandas as pd

from tokenshare.analysis.tiers import FreeHeadline, free_headline, free_share_lines

W = pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"])


def rows(*specs):
    """(week index, is_partial, open, closed, open_free, closed_free) -> query rows."""
    out = []
    for i, partial, open_t, closed_t, open_free, closed_free in specs:
        out.append({
            "period": W[i], "period_end": W[i] + pd.Timedelta(days=6), "is_partial": partial,
            "open_tokens": open_t, "closed_tokens": closed_t,
            "open_free_tokens": open_free, "closed_free_tokens": closed_free,
            "free_share_of_open": open_free / open_t if open_t else float("nan"),
            "free_share_of_closed": closed_free / closed_t if closed_t else float("nan"),
        })
    return pd.DataFrame(out)


def test_incomplete_first_and_last_weeks_are_skipped():
    # W0 and W3 are partial (the range starts and ends mid-week); W1, W2 are complete
    df = rows((0, True, 100, 100, 90, 90), (1, False, 200, 400, 20, 40), (2, False, 300, 100, 60, 5),
              (3, True, 50, 50, 50, 0))
    h = free_headline(df.sample(frac=1, random_state=3))  # the row order does not matter
    assert (h.period, h.period_end) == (W[2], W[2] + pd.Timedelta(days=6))
    assert (h.of_open, h.of_closed) == (60 / 300, 5 / 100)
    assert (h.open_free_tokens, h.closed_free_tokens, h.partial_used) == (60, 5, False)


def test_a_complete_week_without_named_tokens_is_passed_over():
    # W2 is complete but has no open or closed tokens; W1 has more closed than open
    df = rows((1, False, 100, 300, 10, 30), (2, False, 0, 0, 0, 0), (3, True, 40, 10, 4, 1))
    h = free_headline(df)
    assert h.period == W[1] and (h.of_open, h.of_closed) == (0.1, 0.1) and not h.partial_used


def test_only_closed_tokens_count_as_named():
    df = rows((1, False, 0, 50, 0, 10), (2, False, 0, 0, 0, 0))
    h = free_headline(df)
    assert h.period == W[1] and h.of_open is None and h.of_closed == 0.2


def test_no_complete_week_uses_the_latest_partial_one_and_says_so():
    df = rows((0, True, 10, 10, 1, 2), (1, True, 20, 40, 4, 8))
    h = free_headline(df)
    assert h.period == W[1] and h.partial_used and (h.of_open, h.of_closed) == (0.2, 0.2)
    assert (h.open_free_tokens, h.closed_free_tokens) == (4, 8)


def test_nothing_named_at_all_gives_an_empty_headline():
    assert free_headline(rows((1, False, 0, 0, 0, 0))) == FreeHeadline()
    assert free_headline(rows()) == FreeHeadline()


def test_free_share_lines_are_one_series_each():
    df = rows((1, False, 200, 400, 20, 40), (2, False, 300, 100, 60, 5))
    lines = free_share_lines(df)
    got = {(r.series, r.period): r for r in lines.itertuples()}
    assert math.isclose(got[("Open weights", W[2])].share, 0.2)
    assert math.isclose(got[("Closed", W[1])].share, 0.1)
    assert set(lines["series"]) == {"Open weights", "Closed"} and len(lines) == 4
