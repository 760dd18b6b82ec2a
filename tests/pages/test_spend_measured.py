"""The Spend page's measured session cost through AppTest, on the tiny snapshot with a
session-cost table worked out by hand (tokens over the whole range: DeepSeek V3 2,850,
Qwen 2,090, GPT-5 4,050, Mistral Medium 920):

    harness      turns   model            side    median $
    Harness One  1       DeepSeek V3      open    0.10   top open (more tokens than Qwen)
    Harness One  1       Qwen3 235B       open    0.05
    Harness One  1       GPT-5            closed  0.80   top closed
    Harness One  1       Mistral Medium   closed  0.30
    Harness Two  10-49   DeepSeek V3      open    1.00
    Harness Two  10-49   Mistral Medium   closed  3.00
    Harness Two  10-49   acme/never       -       0.20   no such model: counted, left out
    Harness Three 1      GPT-5            closed  0.50   no open model: no pair

Pairs: 0.10 vs 0.80 (8x) and 1.00 vs 3.00 (3x): medians $0.55 against $1.90, 5.5x, over 2
pairs in 2 of the 3 harnesses."""

import datetime as dt

import pytest

from tests.pages.apprun import open_page, text_of
from tests.tiny import build_tiny_snapshot
from tokenshare.data.snapshot.extra_tables import SESSION_COST_FILE

CELLS = [("h1", "Harness One", "1-turn", "deepseek/deepseek-v3", 0.10), ("h1", "Harness One", "1-turn",
         "qwen/qwen3-235b", 0.05), ("h1", "Harness One", "1-turn", "openai/gpt-5", 0.80),
         ("h1", "Harness One", "1-turn", "mistralai/mistral-medium", 0.30),
         ("h2", "Harness Two", "10-49-turns", "deepseek/deepseek-v3", 1.00),
         ("h2", "Harness Two", "10-49-turns", "mistralai/mistral-medium", 3.00),
         ("h2", "Harness Two", "10-49-turns", "acme/never", 0.20), ("h3", "Harness Three", "1-turn", "openai/gpt-5", 0.50)]


@pytest.fixture(scope="module")
def cost_snapshot(tmp_path_factory):
    rows = [{"app_slug": a, "app_name": n, "model_permaslug": m, "turn_range": t, "median_session_cost_usd": c,
             "window_days": 30, "window_end_date": dt.date(2026, 1, 25), "fetched_on": dt.date(2026, 1, 28)}
            for a, n, t, m, c in CELLS]
    return build_tiny_snapshot(tmp_path_factory.mktemp("cost-app") / "snap", extra_tables={SESSION_COST_FILE: rows},
                               extra_manifest={"extras": {"session_cost": {"meta": {"as_of": "2026-01-26T02:00:00Z"}}}})


MEASURED = {"section": "Measured cost"}  # the Spend page's tab with the section


def test_measured_cost_beside_the_estimate(cost_snapshot, on_snapshot):
    on_snapshot(cost_snapshot)
    at = open_page("views/spend.py", MEASURED)
    text = text_of(at)
    assert ("a session on the harness's top open-weight model cost a median **\\$0.55** against **\\$1.90** on its "
            "top closed model (closed ÷ open: median 5.5×), over 2 harness × turn-range pairs in 2 of the 3 "
            "published harnesses.") in text
    assert "1 cell(s) name a model the snapshot cannot classify" in text
    assert "the 30 days to 2026-01-25" in text and "as of 2026-01-26 02:00 UTC" in text
    table = next(d.value for d in at.dataframe if "Top closed model" in d.value.columns)
    assert list(table["Top open-weight model"]) == ["DeepSeek: V3", "DeepSeek: V3"]
    assert list(table["Top closed model"]) == ["OpenAI: GPT-5", "Mistral: Medium"]
    assert list(table["Closed ÷ open"]) == pytest.approx([8.0, 3.0])
    # the filters' lab focus does not change the measured section
    assert "median **\\$0.55** against **\\$1.90**" in text_of(open_page("views/spend.py", {"lab": "openai", **MEASURED}))


def test_spend_page_says_when_there_is_no_session_cost(on_tiny):
    at = open_page("views/spend.py", MEASURED)
    assert "This snapshot has no session-cost table" in text_of(at)


def test_claims_objection_a_carries_the_measured_cost(cost_snapshot, on_snapshot):
    """The Claims page's objection A card: the same hand-worked medians as a second piece
    of evidence, with its window and source; a snapshot without the table shows none."""
    on_snapshot(cost_snapshot)
    card = [m.value for m in open_page("views/claims.py").markdown if m.value.startswith("**Measured, not estimated.**")]
    assert len(card) == 1 and "median **\\$0.55** against **\\$1.90**" in card[0] and "2 of the 3" in card[0]


def test_claims_without_session_cost_has_no_measured_line(on_tiny):
    assert not [m for m in open_page("views/claims.py").markdown if "Measured, not estimated" in m.value]
