"""Task-tag open shares and app-ranking figures (tokenshare/analysis/extras), each worked
out by hand on the rows of tests/tiny_extras.py (openness written in, as the named
query would match it):

Tasks, 2026-01-18: Generation coverage 0.5 + 0.2 + 0.1 = 0.8, open 0.5, closed 0.2,
unplaced 0.1, open share 0.5 / 0.7 = 71.4%; Debugging coverage 0.4, open share 0%;
Roleplay lists no model (coverage 0, no share). Code (tags 0.6 + 0.2 = 0.8): coverage
(0.6 x 0.8 + 0.2 x 0.4) / 0.8 = 0.7, open share 0.6 x 0.5 / (0.6 x 0.7 + 0.2 x 0.4) = 0.3 / 0.5 = 60%.
2026-01-25: both code tags 50% (a tie: Debugging first by tag), code 0.25 / 0.5 = 50%,
coverage (0.5 x 0.6 + 0.5 x 0.4) / 1 = 50%, -10.0 points since 2026-01-18.

Apps, popular overall, 2026-01-27: 1,000 listed tokens, Beta 50%, tokens per request
20 / 50 / 10 (median 20); Beta 2 -> 1, Alpha 1 -> 2, Delta new, Gamma left."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from tests.tiny_extras import APP_ROWS, DELTA, TASK_ROWS
from tokenshare.analysis.extras import apps, tasks

OPEN = {"deepseek/deepseek-v3": "open", "qwen/qwen3-235b": "open", "openai/gpt-5": "closed",
        "mistralai/mistral-medium": "closed"}
W1, W2 = pd.Timestamp(2026, 1, 18), pd.Timestamp(2026, 1, 25)


@pytest.fixture
def task_rows():
    df = pd.DataFrame(TASK_ROWS)
    df["openness"] = df["model_permaslug"].map(OPEN)
    df["window_end"] = pd.to_datetime(df["window_end"])
    return df


def test_tag_shares(task_rows):
    t = tasks.tag_shares(task_rows).set_index(["window_end", "tag"])
    gen = t.loc[(W1, "code:gen")]
    assert gen["coverage"] == pytest.approx(0.8) and gen["open"] == pytest.approx(0.5)
    assert gen["closed"] == pytest.approx(0.2) and gen["unplaced"] == pytest.approx(0.1)
    assert gen["open_share"] == pytest.approx(0.5 / 0.7) and gen["models"] == 3
    assert t.loc[(W1, "code:debug"), "open_share"] == 0.0
    rp = t.loc[(W1, "chat:rp")]
    assert rp["coverage"] == 0 and rp["models"] == 0 and math.isnan(rp["open_share"])
    assert t.loc[(W2, "code:debug"), "open_share"] == pytest.approx(0.5)


def test_macro_shares_weigh_tags_by_their_token_share(task_rows):
    m = tasks.macro_shares(tasks.tag_shares(task_rows)).set_index(["window_end", "macro_category"])
    assert m.loc[(W1, "code"), "token_share"] == pytest.approx(0.8)
    assert m.loc[(W1, "code"), "coverage"] == pytest.approx(0.7)
    assert m.loc[(W1, "code"), "open_share"] == pytest.approx(0.6)
    assert math.isnan(m.loc[(W1, "general"), "open_share"]) and m.loc[(W1, "general"), "coverage"] == 0
    assert m.loc[(W2, "code"), "open_share"] == pytest.approx(0.5)
    assert m.loc[(W2, "code"), "coverage"] == pytest.approx(0.5)


def test_moves_across_windows(task_rows):
    mv = tasks.moves(tasks.tag_shares(task_rows), "tag").set_index("tag")
    assert mv.loc["code:debug", "change_previous"] == pytest.approx(0.5)
    assert mv.loc["code:gen", "change_first"] == pytest.approx(0.5 - 0.5 / 0.7)
    assert math.isnan(mv.loc["chat:rp", "latest"])
    assert list(mv.index)[-1] == "chat:rp", "no figure: last"


def test_headline_words_with_a_tie_and_the_change(task_rows):
    t = tasks.tag_shares(task_rows)
    m = tasks.macro_shares(t)
    words = tasks.headline_words(t, m, W2, W1)
    assert words == ("In the 7 days to 2026-01-25, **Debugging** went most to open-weight models: **50.0%** of its "
                     "listed models' tokens (they carry 40.0% of the tag); **Generation** least: 50.0% (coverage "
                     "60.0%). By macro-category: code 50.0% (coverage 50.0%, -10.0 points since 2026-01-18).")
    one = tasks.headline_words(t, m, W1, W1)
    assert "code 60.0% (coverage 70.0%)" in one and "since" not in one and "general" not in one
    assert tasks.headline_words(t[t["tag"] == "chat:rp"], m, W1, W1).startswith("No task tag")


@pytest.fixture
def history():
    df = pd.DataFrame([r for r in APP_ROWS if r["sort"] == "popular" and r["category"] == ""])
    df["tokens_per_request"] = df["total_tokens"] / df["total_requests"]
    return df


def test_latest_app_table(history):
    t = apps.latest_table(history).set_index("app_name")
    assert list(t.index) == ["Beta", "Alpha", DELTA]
    assert t.loc["Beta", "token_share"] == pytest.approx(0.5)
    assert list(t["tokens_per_request"]) == [20, 50, 10]
    assert apps.median_tokens_per_request(t) == 20
    assert t.loc["Beta", "climb"] == 1 and t.loc["Alpha", "climb"] == -1 and math.isnan(t.loc[DELTA, "climb"])
    assert t.loc["Beta", "first_rank"] == 2
    assert list(apps.dropped(history)["app_name"]) == ["Gamma"]


def test_movement_words(history):
    assert apps.movement_words(history, name=str.upper) == (
        "In the fetch for the 30 days to 2026-01-27, **BETA** leads with 500 tokens (50.0% of the 3 listed apps' "
        "tokens). Since the fetch to 2026-01-20, BETA climbed most (2 → 1). ALPHA fell most (1 → 2). New to the "
        "list: *DELTA* [X](HTTP://E.COM). Left it (below the cut now): GAMMA.")
    latest = history[history["end_date"] == dt.date(2026, 1, 27)]
    assert apps.movement_words(latest).endswith("Only one fetch is kept, so there is no movement to show yet.")
    same = pd.concat([latest, latest.assign(end_date=dt.date(2026, 2, 3))])
    assert apps.movement_words(same).endswith("No listed app changed rank since the fetch to 2026-01-27.")
    assert apps.movement_words(history.iloc[0:0]) == "No kept fetch of this ranking."


def test_moves_are_highest_latest_share_first():
    # by hand: latest a 40%, b 90%, c none; the window before a 10%, b 20%, c 30%
    shares = pd.DataFrame({"tag": ["a", "b", "c"] * 2, "window_end": [W1] * 3 + [W2] * 3,
                           "open_share": [0.1, 0.2, 0.3, 0.4, 0.9, float("nan")]})
    mv = tasks.moves(shares, "tag")
    assert list(mv["tag"]) == ["b", "a", "c"]  # 90%, 40%, no figure last
    assert list(mv["change_previous"][:2]) == pytest.approx([0.7, 0.3])


def test_dropped_apps_need_two_fetches(history):
    # two fetches: Gamma, listed on 2026-01-20, is gone on 2026-01-27; one fetch: nothing
    # to compare with, so no app has dropped
    assert list(apps.dropped(history)["app_name"]) == ["Gamma"]
    latest = history[history["end_date"] == dt.date(2026, 1, 27)]
    out = apps.dropped(latest)
    assert out.empty and list(out.columns) == list(history.columns)


def test_movement_words_break_equal_moves_by_the_better_rank():
    # by hand: fetch 1 ranks A 1, B 2, C 3, D 4; fetch 2 ranks C 1, D 2, A 3, B 4. C and D
    # both climb 2 places, A and B both fall 2: the one ranked better now is named, so C
    # climbed most (3 -> 1) and A fell most (1 -> 3), not D (4 -> 2) or B (2 -> 4).
    rows = [(dt.date(2026, 1, 20), ["A", "B", "C", "D"]), (dt.date(2026, 1, 27), ["C", "D", "A", "B"])]
    history = pd.DataFrame([{"end_date": end, "rank": r + 1, "app_id": a.lower(), "app_name": a,
                             "total_tokens": 100 * (4 - r), "total_requests": 10, "tokens_per_request": 10.0 * (4 - r)}
                            for end, order in rows for r, a in enumerate(order)])
    words = apps.movement_words(history)
    assert "Since the fetch to 2026-01-20, C climbed most (3 → 1). A fell most (1 → 3)." in words


def test_opened_later_words_name_the_models_counted_closed_for_a_window():
    # by hand: DeepSeek V3 (open now, weights from 2026-01-19) is closed in two windows'
    # rows; Qwen3 is open in its window, GPT-5 closed now too, and the rank-0 row lists no
    # model: two rows count as closed for that reason, one model named with its day
    since = pd.Timestamp(2026, 1, 19)
    rows = pd.DataFrame({
        "model_rank": [1, 1, 2, 1, 0],
        "model_name": ["DeepSeek: V3", "DeepSeek: V3", "OpenAI: GPT-5", "Qwen: Qwen3", None],
        "openness_now": ["open", "open", "closed", "open", None],
        "openness": ["closed", "closed", "closed", "open", None],
        "open_weights_since": [since, since, pd.NaT, pd.NaT, pd.NaT]})
    words = tasks.opened_later_words(rows, name=str.upper)
    assert words.startswith("Openness is the one in force over each window: ")
    assert words.endswith(" 2 listed model row(s) count as closed for that reason: DEEPSEEK: V3 (open from 2026-01-19).")
    assert tasks.opened_later_words(rows.iloc[2:]).endswith(
        " No listed model in these windows counts as closed for that reason.")


def test_movement_words_when_apps_fell_and_none_climbed():
    # by hand: fetch 1 ranks A 1, B 2; fetch 2 ranks C 1 (new), A 2, B 3. A and B each
    # fell one place and nothing climbed, so A (the better rank now) fell most and the
    # ranking did change: no "No listed app changed rank" sentence.
    rows = [(dt.date(2026, 1, 20), ["A", "B"]), (dt.date(2026, 1, 27), ["C", "A", "B"])]
    history = pd.DataFrame([{"end_date": end, "rank": r + 1, "app_id": a.lower(), "app_name": a,
                             "total_tokens": 100 * (3 - r), "total_requests": 10, "tokens_per_request": 10.0 * (3 - r)}
                            for end, order in rows for r, a in enumerate(order)])
    words = apps.movement_words(history)
    assert "A fell most (1 → 2)." in words and "climbed most" not in words
    assert "No listed app changed rank" not in words
    assert words.endswith("New to the list: C.")
