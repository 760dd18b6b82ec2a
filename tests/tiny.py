"""A tiny snapshot whose every figure can be worked out by hand.

Days 2026-01-05 (Monday) to 2026-01-27 (Tuesday): three full ISO weeks (W1 = Jan 5-11,
W2 = Jan 12-18, W3 = Jan 19-25) and two days of W4 (Jan 26-27, incomplete).
Each model has the same daily tokens for every day of a week:

    permaslug                 lab/country     weights        W1   W2   W3   W4
    deepseek/deepseek-v3      DeepSeek CN     open          100  100  150  200
    qwen/qwen3-235b           Qwen CN         open           50  120  100  100
    openai/gpt-5              OpenAI US       closed        200  200  150  100
    openai/gpt-oss-120b       OpenAI US       open           10   10   20   20
    arcee-ai/trinity-large    Arcee US        open            -   20   30   40
    mistralai/mistral-medium  Mistral FR      closed         40   40   40   40
    sao10k/l3-euryale         (no lab) XX     open            -   10   10   10
    retired/old-model         (not in models) unclassified    5    5    5    5
    other                     outside top 50                 30   30   30   30

Per day, open = 160 / 260 / 310 / 370 and closed = 240 / 240 / 190 / 140, so the
open-weight share of named volume is 0.40, 0.52, 0.62 and 370/510 (W4, incomplete).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.layout import read_labs_csv
from tokenshare.data.snapshot.write import write_snapshot

FIRST_DAY = dt.date(2026, 1, 5)
LAST_DAY = dt.date(2026, 1, 27)
WEEKS = [dt.date(2026, 1, 5), dt.date(2026, 1, 12), dt.date(2026, 1, 19), dt.date(2026, 1, 26)]

DAILY = {
    "deepseek/deepseek-v3": (100, 100, 150, 200),
    "qwen/qwen3-235b": (50, 120, 100, 100),
    "openai/gpt-5": (200, 200, 150, 100),
    "openai/gpt-oss-120b": (10, 10, 20, 20),
    "arcee-ai/trinity-large": (0, 20, 30, 40),
    "mistralai/mistral-medium": (40, 40, 40, 40),
    "sao10k/l3-euryale": (0, 10, 10, 10),
    "retired/old-model": (5, 5, 5, 5),
    "other": (30, 30, 30, 30),
}


def _model(slug, name, author, open_weights, hf=None, basis=None, released=dt.date(2025, 6, 1),
           price=(0.3, 1.2)):
    return {
        "model_permaslug": slug, "model_id": slug, "name": name, "author": author,
        "released_at": released, "open_weights": open_weights,
        "open_weights_basis": basis or ("hugging_face_id" if hf else "override"),
        "hugging_face_id": hf, "context_length": 131072,
        "price_prompt_usd_per_mtok": price[0], "price_completion_usd_per_mtok": price[1],
    }


MODELS = [
    _model("deepseek/deepseek-v3", "DeepSeek: V3", "deepseek", True, "deepseek-ai/DeepSeek-V3"),
    _model("qwen/qwen3-235b", "Qwen: Qwen3 235B", "qwen", True, "Qwen/Qwen3-235B-A22B"),
    _model("openai/gpt-5", "OpenAI: GPT-5", "openai", False, price=(1.25, 10.0)),
    _model("openai/gpt-oss-120b", "OpenAI: gpt-oss-120b", "openai", True, "openai/gpt-oss-120b"),
    _model("arcee-ai/trinity-large", "Arcee: Trinity Large", "arcee-ai", True, "arcee-ai/Trinity-Large",
           released=dt.date(2026, 1, 12)),
    _model("mistralai/mistral-medium", "Mistral: Medium", "mistralai", False, price=(0.4, 2.0)),
    _model("sao10k/l3-euryale", "Sao10K: Euryale", "sao10k", True, "Sao10K/L3-Euryale"),
]


def daily_usage(daily: dict, first: dt.date, last: dt.date) -> list[dict]:
    """Usage rows from ``daily`` (model -> tokens a day in each week from ``first``):
    one row a model a day from ``first`` to ``last``, none on a day of 0 tokens."""
    rows = []
    day = first
    while day <= last:
        week = (day - first).days // 7
        for slug, per_week in daily.items():
            if per_week[week] > 0:
                rows.append({"date": day, "model_permaslug": slug, "total_tokens": per_week[week]})
        day += dt.timedelta(days=1)
    return rows


def tiny_usage() -> list[dict]:
    return daily_usage(DAILY, FIRST_DAY, LAST_DAY)


def build_tiny_snapshot(target: Path, **overrides):
    labs = [r for r in read_labs_csv(REFERENCE_LABS) if r["author"] != "sao10k"]
    kwargs = dict(
        usage=tiny_usage(), models=MODELS, labs=labs, source="tiny test fixture",
        synthetic=False, as_of="2026-01-28T02:00:00Z", start_date=FIRST_DAY, end_date=LAST_DAY,
    )
    kwargs.update(overrides)
    return write_snapshot(target, **kwargs)
