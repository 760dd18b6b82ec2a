"""Every named query checked against figures worked out by hand on the tiny snapshot
(see tests/tiny.py for the table they come from)."""

import datetime as dt

import pytest

from tests.tiny import FIRST_DAY, LAST_DAY
from tokenshare.core import sql

BASE = dict(start=FIRST_DAY, end=LAST_DAY, grain="week", openness="all", countries=[], labs=[], top=3)
W = [dt.date(2026, 1, 5), dt.date(2026, 1, 12), dt.date(2026, 1, 19), dt.date(2026, 1, 26)]


def rows(df, *cols):
    return [tuple(r) for r in df[list(cols)].itertuples(index=False)]


def test_open_share_by_week(tiny_db):
    df = tiny_db.query("open_share_by_period", **BASE)
    assert [p.date() for p in df["period"]] == W
    # open per day 160/260/310/370, closed 240/240/190/140; 7 days a week, 2 in W4
    assert list(df["open_tokens"]) == [1120, 1820, 2170, 740]
    assert list(df["closed_tokens"]) == [1680, 1680, 1330, 280]
    assert list(df["open_share"].round(6)) == [0.4, 0.52, 0.62, round(370 / 510, 6)]
    assert list(df["is_partial"]) == [False, False, False, True]
    # retired/old-model (5 a day) is unclassified, `other` (30 a day) outside named volume
    assert list(df["unclassified_tokens"]) == [35, 35, 35, 10]
    assert list(df["other_tokens"]) == [210, 210, 210, 60]


def test_open_share_partial_at_the_start_of_a_range(tiny_db):
    # from Wednesday 7 Jan: W1 has only 5 days in range, so it is incomplete
    df = tiny_db.query("open_share_by_period", **{**BASE, "start": dt.date(2026, 1, 7)})
    assert list(df["is_partial"]) == [True, False, False, True]
    assert df["open_tokens"].iloc[0] == 160 * 5


def test_open_share_by_month_and_day(tiny_db):
    month = tiny_db.query("open_share_by_period", **{**BASE, "grain": "month"})
    assert len(month) == 1 and bool(month["is_partial"].iloc[0])
    assert month["open_tokens"].iloc[0] == 1120 + 1820 + 2170 + 740
    day = tiny_db.query("open_share_by_period", **{**BASE, "grain": "day"})
    assert len(day) == 23 and not day["is_partial"].any()
    assert day["open_share"].iloc[-1] == pytest.approx(370 / 510)


def test_open_share_filtered_to_a_country(tiny_db):
    df = tiny_db.query("open_share_by_period", **{**BASE, "countries": ["US"]})
    # US: gpt-5 closed 200/200/150/100, gpt-oss open 10/10/20/20, arcee open 0/20/30/40
    assert list(df["open_tokens"]) == [70, 210, 350, 120]
    assert list(df["closed_tokens"]) == [1400, 1400, 1050, 200]
    assert list(df["other_tokens"]) == [0, 0, 0, 0]  # a country filter leaves `other` out


def test_share_by_openness_named(tiny_db):
    df = tiny_db.query("share_by_series", **BASE, breakdown="openness", volume="named", share_of="selection")
    w3 = df[df["period"] == "2026-01-19"].set_index("series")
    assert set(w3.index) == {"Open weights", "Closed"}
    assert w3.loc["Open weights", "share"] == pytest.approx(0.62)


def test_share_by_openness_with_other_band(tiny_db):
    df = tiny_db.query("share_by_series", **BASE, breakdown="openness", volume="all", share_of="selection")
    w1 = df[df["period"] == "2026-01-05"].set_index("series")
    total = (160 + 240 + 5 + 30) * 7
    assert w1.loc["Outside the top 50", "tokens"] == 210
    assert w1.loc["Outside the top 50", "share"] == pytest.approx(210 / total)
    assert w1.loc["Unclassified", "tokens"] == 35
    # open share among everything is lower than among named volume: not spread pro rata
    assert w1.loc["Open weights", "share"] == pytest.approx(1120 / total)


def test_share_by_lab_top_and_rest(tiny_db):
    df = tiny_db.query("share_by_series", **BASE, breakdown="lab", volume="named", share_of="selection")
    # totals over the range (named): OpenAI 4370-0, DeepSeek 2850, Qwen 2090, Mistral 920, Arcee 430, sao10k 160
    labels = df.sort_values("series_order")["series"].drop_duplicates().tolist()
    assert labels == ["OpenAI", "DeepSeek", "Qwen (Alibaba)", "Rest"]
    w2 = df[df["period"] == "2026-01-12"].set_index("series")
    # Rest in W2: Mistral 280 + Arcee 140 + sao10k 70
    assert w2.loc["Rest", "tokens"] == 490
    assert w2["share"].sum() == pytest.approx(1.0)


def test_share_of_market_for_chosen_labs(tiny_db):
    df = tiny_db.query(
        "share_by_series", **{**BASE, "labs": ["arcee-ai"]}, breakdown="lab", volume="named", share_of="market"
    )
    w3 = df[df["period"] == "2026-01-19"].set_index("series")
    # Arcee 30/day of 500/day named volume
    assert w3.loc["Arcee AI", "share"] == pytest.approx(30 / 500)


def test_lab_ranks_open_scope(tiny_db):
    df = tiny_db.query("lab_ranks", **BASE, scope="open")
    w1 = rows(df[df["period"] == "2026-01-05"], "lab_name", "tokens", "rank")
    assert w1 == [("DeepSeek", 700, 1), ("Qwen (Alibaba)", 350, 2), ("OpenAI", 70, 3)]
    w2 = rows(df[df["period"] == "2026-01-12"], "lab_name", "rank")
    # Arcee 140, OpenAI (gpt-oss) 70 and sao10k 70: the tie breaks on lab name
    assert w2 == [("Qwen (Alibaba)", 1), ("DeepSeek", 2), ("Arcee AI", 3), ("OpenAI", 4), ("sao10k", 5)]


def test_lab_ranks_all_scope_counts_closed(tiny_db):
    df = tiny_db.query("lab_ranks", **BASE, scope="all")
    w1 = rows(df[df["period"] == "2026-01-05"], "lab_name", "tokens")
    assert w1[0] == ("OpenAI", 1470)


def test_leader_spells(tiny_db):
    df = tiny_db.query("leader_spells", **BASE, scope="open")
    assert rows(df, "lab_name", "periods") == [("DeepSeek", 1), ("Qwen (Alibaba)", 1), ("DeepSeek", 2)]
    assert df["from_period"].dt.date.tolist() == [W[0], W[1], W[2]]
    assert df["from_day"].dt.date.tolist() == [W[0], W[1], W[2]]
    # the data ends on Tuesday 27 January: the current spell ends there, not on Sunday 1 February,
    # and its last week is said to be partial
    assert df["to_day"].dt.date.tolist() == [dt.date(2026, 1, 11), dt.date(2026, 1, 18), LAST_DAY]
    assert df["is_current"].tolist() == [False, False, True]
    assert df["first_partial"].tolist() == [False, False, False]
    assert df["last_partial"].tolist() == [False, False, True]


def test_leader_spells_start_mid_week(tiny_db):
    # a range from Wednesday 7 January: the first week is cut, so the first spell starts that
    # Wednesday (not Monday 5 January) and says its first week is partial
    start = dt.date(2026, 1, 7)
    df = tiny_db.query("leader_spells", **{**BASE, "start": start}, scope="open")
    assert df["from_period"].dt.date.tolist()[0] == W[0]
    assert df["from_day"].dt.date.tolist()[0] == start
    assert df["first_partial"].tolist() == [True] + [False] * (len(df) - 1)
    assert df["to_day"].dt.date.tolist()[-1] == LAST_DAY and df["last_partial"].tolist()[-1]
    # a range ending on a Sunday: the last period is whole
    whole = tiny_db.query("leader_spells", **{**BASE, "end": dt.date(2026, 1, 25)}, scope="open")
    assert whole["to_day"].dt.date.tolist()[-1] == dt.date(2026, 1, 25) and not whole["last_partial"].any()


def test_models_of_labs_us(tiny_db):
    df = tiny_db.query("models_of_labs", **{**BASE, "countries": ["US"]}, limit=10)
    assert df["model_permaslug"].tolist() == ["openai/gpt-5", "arcee-ai/trinity-large", "openai/gpt-oss-120b"]
    arcee = df.set_index("model_permaslug").loc["arcee-ai/trinity-large"]
    assert arcee["tokens"] == 20 * 7 + 30 * 7 + 40 * 2
    assert arcee["first_seen"].date() == dt.date(2026, 1, 12)
    gpt5 = df.set_index("model_permaslug").loc["openai/gpt-5"]
    assert gpt5["share_of_lab"] == pytest.approx(4050 / (4050 + 320))


def test_unknown_author_and_unmatched_model_are_kept(tiny_db):
    labs = tiny_db.query("filter_options_labs").set_index("author")
    assert labs.loc["sao10k", "country_code"] == "XX"
    assert labs.loc["sao10k", "country_name"] == "Unknown country"
    unclassified = tiny_db.query("unclassified_models")
    assert unclassified["model_permaslug"].tolist() == ["retired/old-model"]
    assert unclassified["tokens"].iloc[0] == 5 * 23


def test_snapshot_summary(tiny_db):
    s = tiny_db.query("snapshot_summary").iloc[0]
    assert s["usage_rows"] == 7 * 7 + 9 * 7 + 9 * 7 + 9 * 2  # W1 lacks arcee and sao10k
    assert s["days"] == 23
    assert s["models_in_usage"] == 8
    assert s["unclassified_models"] == 1
    assert s["countries"] == 4  # CN (DeepSeek, Qwen), US (OpenAI, Arcee), FR (Mistral), XX (sao10k)
    assert s["total_tokens"] == sum(
        per_day * days for per_day, days in zip((435, 535, 535, 545), (7, 7, 7, 2))
    )


def test_every_query_file_documents_itself():
    for name in sql.all_query_names():
        header = sql.query_header(name)
        assert header.startswith(name + ":"), f"{name}.sql must start with '-- {name}: what it returns'"
        assert "Parameters" in header, f"{name}.sql must list its parameters"
