"""The figures the Race, Countries and Spend pages used to work out in pandas themselves,
now pure functions in tokenshare.analysis: checked on small frames worked out by hand."""

import datetime as dt

import pandas as pd
import pytest

from tokenshare.analysis import countries, race, spend

W1, W2, W3 = (pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-12"), pd.Timestamp("2026-01-19"))


def ranks_frame(rows):
    """lab_ranks rows from (period, lab, tokens, rank, partial)."""
    return pd.DataFrame([
        {"period": p, "period_end": p + pd.Timedelta(days=6), "is_partial": partial, "lab_name": lab,
         "tokens": tokens, "share": None, "rank": rank}
        for p, lab, tokens, rank, partial in rows
    ])


# Three weeks, W3 incomplete. Totals over the range: A 10+30+5 = 45, B 20+20+40 = 80,
# C 15+5 = 20, D 1 (W3 only).
RANKS = ranks_frame([
    (W1, "B", 20, 1, False), (W1, "C", 15, 2, False), (W1, "A", 10, 3, False),
    (W2, "A", 30, 1, False), (W2, "B", 20, 2, False), (W2, "C", 5, 3, False),
    (W3, "B", 40, 1, True), (W3, "A", 5, 2, True), (W3, "D", 1, 3, True),
])


def test_labs_by_tokens_is_one_ordering_for_every_n():
    assert race.labs_by_tokens(RANKS) == ["B", "A", "C", "D"]  # 80, 45, 20, 1
    assert race.labs_by_tokens(RANKS)[:2] == ["B", "A"]


def test_labs_by_tokens_keeps_name_order_on_a_tie():
    tied = ranks_frame([(W1, "Z", 10, 1, False), (W1, "M", 10, 2, False), (W1, "A", 10, 3, False)])
    assert race.labs_by_tokens(tied) == ["A", "M", "Z"]


def test_latest_board_skips_the_incomplete_period():
    period, board = race.latest_board(RANKS)
    assert period == W2  # W3 is incomplete
    assert board["lab_name"].tolist() == ["A", "B", "C"]


def test_latest_board_uses_an_incomplete_period_when_there_is_nothing_else():
    period, board = race.latest_board(RANKS[RANKS["period"] == W3])
    assert period == W3 and board["lab_name"].tolist() == ["B", "A", "D"]


def test_bump_rows_blank_a_lab_below_the_top():
    rows = race.bump_rows(RANKS, ["B", "A"], top=1)
    # 3 periods x 2 labs; only the #1 of each period keeps its numbers
    assert len(rows) == 6
    kept = rows.dropna(subset=["rank"]).sort_values("period")
    assert list(zip(kept["period"], kept["lab_name"])) == [(W1, "B"), (W2, "A"), (W3, "B")]


def test_bump_rows_fill_a_missing_period_with_a_gap():
    rows = race.bump_rows(RANKS, ["B", "D"], top=3)
    d = rows[rows["lab_name"] == "D"].sort_values("period")
    assert d["tokens"].isna().tolist() == [True, True, False]  # D only has W3


def test_share_line_rows_order_follows_the_list():
    lines = race.share_line_rows(RANKS, ["B", "A"])
    assert set(lines["series"]) == {"B", "A"}
    assert dict(zip(lines["series"], lines["series_order"])) == {"B": 0, "A": 1}


# ---------------------------------------------------------------- countries


def by_country(rows):
    """share_by_series rows by country from (period, series, tokens, partial)."""
    return pd.DataFrame([{"period": p, "is_partial": partial, "series": s, "tokens": t} for p, s, t, partial in rows])


def test_the_leading_pair_leaves_out_rest():
    # totals: China 10+30 = 40, US 25+20 = 45, Rest 100 (not a country), France 5
    df = by_country([(W1, "China", 10, False), (W1, "US", 25, False), (W1, "Rest", 50, False),
                     (W2, "China", 30, False), (W2, "US", 20, False), (W2, "Rest", 50, False),
                     (W2, "France", 5, False)])
    assert countries.leading_pair(df) == ["US", "China"]
    cross = countries.overtake_of_leaders(df)
    # US ahead in W1 (25 > 10), China ahead in W2 (30 > 20): China moved ahead in W2
    assert cross["ahead"] == "China" and cross["behind"] == "US" and cross["since"] == W2
    assert cross["crossings"] == 1 and not cross["from_start"]


def test_no_overtake_with_one_country():
    assert countries.overtake_of_leaders(by_country([(W1, "US", 5, False), (W1, "Rest", 9, False)])) is None


def test_labs_in_view_counts_lab_names():
    labs = pd.DataFrame({"author": ["meta", "meta-llama", "openai", "mistralai"],
                         "lab_name": ["Meta", "Meta", "OpenAI", "Mistral AI"],
                         "country_code": ["US", "US", "US", "FR"]})
    assert countries.labs_in_view(labs, ("US",), ()) == 2  # Meta is two authors, one lab
    assert countries.labs_in_view(labs, (), ("meta", "mistralai")) == 2
    assert countries.labs_in_view(labs, ("FR",), ("meta",)) == 1  # countries win when both are set


# ---------------------------------------------------------------- spend

BY_LAB = pd.DataFrame({
    "series": ["OpenAI", "DeepSeek", "Rest"], "series_order": [1, 2, 3],
    "tokens": [3_000_000, 1_000_000, 500_000], "priced_tokens": [3_000_000, 800_000, 0],
    "spend_usd": [6.0, 0.4, 0.0], "token_share": [3 / 4.5, 1 / 4.5, 0.5 / 4.5], "spend_share": [6 / 6.4, 0.4 / 6.4, 0.0],
    "unpriced_tokens": [0, 200_000, 500_000], "unpriced_models": [0, 1, 2], "models": [2, 3, 2],
})


def test_period_totals():
    t = spend.period_totals(BY_LAB)
    assert t.tokens == 4_500_000 and t.spend_usd == pytest.approx(6.4)
    assert t.unpriced_tokens == 700_000 and t.unpriced_models == 3
    assert t.unpriced_share == pytest.approx(700_000 / 4_500_000)
    assert spend.PeriodTotals(0, 0.0, 0, 0).unpriced_share == 0.0


def test_spend_per_million_priced_tokens():
    per_m = spend.per_million_tokens(BY_LAB["spend_usd"], BY_LAB["priced_tokens"])
    # OpenAI $6 over 3M priced tokens = $2/M; DeepSeek $0.40 over 0.8M = $0.50/M
    assert per_m.iloc[0] == pytest.approx(2.0) and per_m.iloc[1] == pytest.approx(0.5)


def test_lab_table():
    table = spend.lab_table(BY_LAB.iloc[::-1])
    assert list(table.columns) == spend.LAB_TABLE_COLUMNS
    first = table[table["Lab"] == "OpenAI"].iloc[0]
    assert first["Spend per M tokens (est.)"] == "$2.00"
    assert first["Estimated spend"] == "$6.00" and first["Tokens"] == "3M"
    assert table[table["Lab"] == "DeepSeek"].iloc[0]["Models without a price"] == "1 of 3"
    assert spend.series_order(BY_LAB.iloc[::-1]) == ["OpenAI", "DeepSeek", "Rest"]


def test_period_window_clips_to_the_range():
    row = {"period": dt.date(2026, 1, 5), "period_end": dt.date(2026, 1, 11)}
    assert spend.period_window(row, dt.date(2026, 1, 7), dt.date(2026, 1, 31)) == (dt.date(2026, 1, 7), dt.date(2026, 1, 11))


# ---------------------------------------------------------------- launches


def test_launch_picker_and_counts():
    from tokenshare.analysis import launches

    impact = pd.DataFrame({
        "model_permaslug": ["b/x", "a/y", "c/z"],
        "launch_day": [dt.date(2026, 1, 10), dt.date(2026, 1, 10), dt.date(2026, 1, 3)],
        "jump": [2.0, None, 1.5], "hold": [None, None, 0.8],
    })
    assert launches.newest_first(impact) == ["a/y", "b/x", "c/z"]  # same day: by permaslug
    assert launches.measured(impact) == 2
    assert launches.any_on_scatter(impact)  # c/z has both
    assert not launches.any_on_scatter(impact.iloc[:2])
    assert launches.launch_of(impact, "c/z")["hold"] == 0.8


def test_lead_change_count_says_it_counts_every_change():
    # US, China, US, China: three changes of lead in the range, the last (W4) included; the
    # sentence names W4 as the move ahead, so the count is "the last of 3", never "3 earlier"
    weeks = [W1, W2, W1 + dt.timedelta(days=14), W1 + dt.timedelta(days=21)]
    rows = []
    for w, (us, cn) in zip(weeks, [(30, 10), (10, 30), (30, 10), (10, 30)]):
        rows += [(w, "US", us, False), (w, "China", cn, False)]
    cross = countries.overtake_of_leaders(by_country(rows))
    assert cross["since"] == weeks[3] and cross["crossings"] == 3  # counted by hand: W2, W3, W4
    assert countries.lead_changes_words(cross["crossings"]) == "the last of 3 changes of lead between them in this range"
    one = countries.overtake_of_leaders(by_country(rows[:4]))  # US then China: one change, this one
    assert one["crossings"] == 1
    assert countries.lead_changes_words(1) == "the only change of lead between them in this range"
    assert "earlier" not in countries.lead_changes_words(3)
