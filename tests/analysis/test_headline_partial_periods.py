"""Every headline over a range whose first and last periods are incomplete (a range that
starts and ends mid-week): the headline is the latest complete period, its "before" is
a complete period too, and the partial first period is never the comparison. Hand-made
rows; five weeks P0 (partial) .. P4 (partial), the complete ones P1-P3 with figures
chosen so that picking any wrong week gives another number."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tokenshare.analysis import digest, metrics, race, segments, spend, tiers

P = pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02"])
PARTIAL = [True, False, False, False, True]


def frame(**cols):
    return pd.DataFrame({"period": P, "period_end": P + pd.Timedelta(days=6), "is_partial": PARTIAL, **cols})


OPEN = [90, 30, 40, 60, 95]
CLOSED = [10, 70, 60, 40, 5]


def test_open_share_headline():
    df = frame(open_tokens=OPEN, closed_tokens=CLOSED, named_tokens=[100] * 5,
               open_share=[o / 100 for o in OPEN])
    h = metrics.open_share_headline(df.iloc[::-1], lookback=2)  # in any order
    assert (h.period, h.share, h.skipped_partial) == (P[3], 0.6, P[4])
    assert (h.previous_period, h.previous_share) == (P[1], 0.3)
    # P0 (90% open) is partial: open first passes closed in P3, not P0
    assert h.first_passed == P[3] and h.above_since == P[3]
    # three complete weeks: no week 3 periods before the latest (P0 does not count)
    assert metrics.open_share_headline(df, lookback=3).previous_period is None


def test_focus_headline():
    df = frame(focus_named_tokens=[50, 10, 20, 30, 45], market_named_tokens=[100] * 5,
               share_of_named=[0.5, 0.1, 0.2, 0.3, 0.45], share_of_open=[0.9, 0.1, 0.2, 0.3, 0.9],
               own_open_share=[1.0, 0.5, 0.5, 0.5, 1.0], market_open_share=[0.9, 0.3, 0.4, 0.6, 0.95])
    h = metrics.focus_headline(df, lookback=2)
    assert (h.period, h.share_of_named, h.share_of_named_before, h.previous_period) == (P[3], 0.3, 0.1, P[1])
    assert (h.skipped_partial, h.partial_used, h.focus_tokens) == (P[4], False, 30)
    assert metrics.focus_headline(df, lookback=3).share_of_named_before is None


def test_spend_latest_complete():
    df = frame(open_tokens=OPEN, closed_tokens=CLOSED, spend_share=[0.9, 0.1, 0.2, 0.3, 0.95])
    row, partial = spend.latest_complete(df.iloc[::-1])
    assert row["period"] == P[3] and row["spend_share"] == 0.3 and not partial


def test_digest_latest_two_weeks():
    df = frame(named_tokens=[100] * 5)
    assert digest.latest_two_weeks(df) == (dt.date(2026, 1, 26), dt.date(2026, 2, 1), dt.date(2026, 1, 19))
    only_one = df.assign(is_partial=[True, True, True, False, True])
    # the week before the only complete one is partial: there is no week before
    assert digest.latest_two_weeks(only_one) == (dt.date(2026, 1, 26), dt.date(2026, 2, 1), None)



def test_digest_launches_are_those_of_the_latest_complete_week():
    # the latest complete week is P3 = Jan 26 - Feb 1. By hand: the launches inside it are
    # the ones on Jan 26 (its first day) and Feb 1 (its last day); Jan 25 is the week
    # before and Feb 2 opens the partial week P4, so both stay out. Largest first week first.
    trend = frame(named_tokens=[100] * 5, open_share=[o / 100 for o in OPEN])
    launches = pd.DataFrame({
        "launch_day": [dt.date(2026, 1, 25), dt.date(2026, 1, 26), dt.date(2026, 2, 1), dt.date(2026, 2, 2)],
        "model_permaslug": ["lab/before", "lab/first-day", "lab/last-day", "lab/partial-week"],
        "first_week_tokens": [400, 100, 200, 300]})
    d = digest.build(trend, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), launches)
    assert (d.week, d.week_end) == (dt.date(2026, 1, 26), dt.date(2026, 2, 1))
    assert [r["model_permaslug"] for r in d.launches] == ["lab/last-day", "lab/first-day"]


def test_race_latest_board():
    ranks = pd.concat([frame(lab_name=[lab] * 5, rank=[i + 1] * 5, tokens=[10 - i] * 5) for i, lab in
                       enumerate(["A", "B"])], ignore_index=True)
    period, board = race.latest_board(ranks)
    assert period == P[3] and board["lab_name"].tolist() == ["A", "B"]


def test_segments_latest_period():
    assert segments.latest_period(frame(named_tokens=[5] * 5)) == (P[3], False)


def test_free_headline():
    df = frame(open_tokens=OPEN, closed_tokens=CLOSED, open_free_tokens=[9, 3, 4, 6, 19],
               closed_free_tokens=[1, 7, 6, 4, 1], free_share_of_open=[0.1, 0.1, 0.1, 0.1, 0.2],
               free_share_of_closed=[0.1, 0.1, 0.1, 0.1, 0.2])
    h = tiers.free_headline(df)
    assert (h.period, h.open_free_tokens, h.closed_free_tokens, h.partial_used) == (P[3], 6, 4, False)


def test_digest_lists_eight_launches_and_counts_the_rest():
    # nine launches in the latest complete week (Jan 26 - Feb 1), first-week tokens 900 down
    # to 100: by hand the line names the eight largest (m1 .. m8) and says "and 1 more"
    trend = frame(named_tokens=[100] * 5, open_share=[o / 100 for o in OPEN])
    launches = pd.DataFrame({
        "launch_day": [dt.date(2026, 1, 26)] * 9, "model_permaslug": [f"lab/m{i}" for i in range(1, 10)],
        "model_name": [f"m{i}" for i in range(1, 10)], "lab_name": ["Lab"] * 9,
        "first_week_tokens": [100 * (10 - i) for i in range(1, 10)], "days_counted": [7] * 9})
    d = digest.build(trend, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), launches)
    md = digest.markdown(d, citation="c", as_of="now", synthetic=False, link=lambda page, params: "/" + page)
    line = next(x for x in md.splitlines() if x.startswith("- **Launches in the week**"))
    assert line.startswith("- **Launches in the week** (9): [m1](/launches)")
    assert [f"[m{i}]" in line for i in range(1, 10)] == [True] * 8 + [False]
    assert line.endswith("and 1 more.")


def test_digest_leader_note_only_when_the_bounds_leave_the_lead_open():
    # by hand: DeepSeek leads the latest complete week (Jan 26) in the ranked rows. Bounds
    # that decide DeepSeek too: no note; bounds that leave the week undecided (None): the
    # "Not decided" note follows the leader.
    from tokenshare.analysis.tail.digest import DigestBounds

    trend = frame(named_tokens=[100] * 5, open_share=[o / 100 for o in OPEN])
    ranks = pd.DataFrame({"period": [P[3], P[3]], "rank": [1, 2], "lab_name": ["DeepSeek", "Qwen"],
                          "share": [0.6, 0.4]})
    d = digest.build(trend, ranks, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    assert d.leader == "DeepSeek"

    def leader_line(leader):
        d.bounds = DigestBounds(leader={P[3]: leader})
        md = digest.markdown(d, citation="c", as_of="now", synthetic=False, link=lambda page, params: "/" + page)
        return next(x for x in md.splitlines() if x.startswith("- **Open-weight leader**"))

    assert "Not decided" not in leader_line("DeepSeek")
    assert "Not decided: a lab with models" in leader_line(None)
