"""More hand-computable snapshots, built beside tests/tiny.py (whose numbers other tests
rely on and which stays as it is).

1. ``build_launch_snapshot``: 70 days, Monday 2026-02-02 (day 0) to Sunday 2026-04-12
   (day 69), with launches whose effects are known steps. Daily tokens:

    permaslug               lab        launch      daily tokens
    deepseek/deepseek-v3    DeepSeek   before data 100 on days 0-34, 80 on days 35-69
    deepseek/deepseek-v4    DeepSeek   day 21      by week after launch (days 21+7k..27+7k):
                                                   w0 50, w1 200, w2 150, w3 120, w4 100,
                                                   w5 100, w6 80
    qwen/qwen3-235b         Qwen       before data 50 every day
    qwen/qwen3-next         Qwen       day 10      released_at day 10, but first in the
                                                   usage data on day 17: 70 from day 17
    arcee-ai/trinity        Arcee AI   day 28      40 from day 28 (the lab's first model)
    openai/gpt-5            OpenAI     before data 200 every day
    openai/gpt-5.5          OpenAI     day 63      300 from day 63
    other                   -          -           30 every day

   Worked out by hand (lab mean daily tokens; "before" = days L-14..L-1, week k after =
   days L+7k..L+7k+6, L = launch day):

   DeepSeek V4 (L = 21, 2026-02-23):
     before = days 7-20: V3 only                       = 100
     w0 = days 21-27: 50 + 100                         = 150
     w1 = days 28-34: 200 + 100                        = 300
     w2 = days 35-41: 150 + 80                         = 230
     w3 = days 42-48: 120 + 80                         = 200
     w4 = days 49-55: 100 + 80                         = 180
     w5 = days 56-62: 100 + 80                         = 180
     w6 = days 63-69: 80 + 80                          = 160
     jump = 300 / 100 = 3.0; plateau = median(200, 180, 180, 160) = 180;
     peak = 300 (w1); hold = 180 / 300 = 0.6; share in w4 = 100 / 180 = 0.5556

   Qwen3 Next (L = 10, 2026-02-12: released_at, earlier than its first usage day 17):
     before = days -4..9: starts before the data (day 0)  -> too little history
     w0 = days 10-16: 50 (Qwen3 235B only); w1..w6 = 50 + 70 = 120
     jump = none; plateau = 120; peak = 120; hold = 1.0; share in w4 = 70 / 120

   Trinity (L = 28, 2026-03-02), Arcee's first model:
     before = days 14-27: 0 (the lab had no tokens) -> jump undefined (new lab)
     w0..w5 = 40; w6 = days 70-76 ends after the data -> plateau, peak, hold: none;
     share in w4 = 1.0

   GPT-5.5 (L = 63, 2026-04-06):
     before = days 49-62: 200; w0 = days 63-69: 200 + 300 = 500;
     w1 = days 70-76 is after the data -> jump, plateau, hold: too little history;
     share in w4: none

2. ``build_priced_snapshot``: tests/tiny.py's snapshot with Mistral Medium's prices
   removed (a classified model without a price) for the spend estimate.

3. ``build_restated_snapshot``: tests/tiny.py's snapshot as a later pull would have it:
   two more days, one figure restated, one model reclassified, one model added to the
   catalogue (see the function's docstring).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.tiny import MODELS, _model, build_tiny_snapshot, tiny_usage
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.layout import read_labs_csv
from tokenshare.data.snapshot.write import write_snapshot

L_FIRST_DAY = dt.date(2026, 2, 2)
L_DAYS = 70
L_LAST_DAY = L_FIRST_DAY + dt.timedelta(days=L_DAYS - 1)  # 2026-04-12


def day(n: int) -> dt.date:
    return L_FIRST_DAY + dt.timedelta(days=n)


V4_WEEKS = (50, 200, 150, 120, 100, 100, 80)


def _launch_daily(n: int) -> dict[str, int]:
    """Tokens of every model on day n (0-based)."""
    out = {
        "deepseek/deepseek-v3": 100 if n <= 34 else 80,
        "qwen/qwen3-235b": 50,
        "openai/gpt-5": 200,
        "other": 30,
    }
    if n >= 21:
        out["deepseek/deepseek-v4"] = V4_WEEKS[min((n - 21) // 7, 6)]
    if n >= 17:
        out["qwen/qwen3-next"] = 70
    if n >= 28:
        out["arcee-ai/trinity"] = 40
    if n >= 63:
        out["openai/gpt-5.5"] = 300
    return out


LAUNCH_MODELS = [
    _model("deepseek/deepseek-v3", "DeepSeek: V3", "deepseek", True, "deepseek-ai/DeepSeek-V3"),
    _model("deepseek/deepseek-v4", "DeepSeek: V4", "deepseek", True, "deepseek-ai/DeepSeek-V4", released=None),
    _model("qwen/qwen3-235b", "Qwen: Qwen3 235B", "qwen", True, "Qwen/Qwen3-235B-A22B"),
    _model("qwen/qwen3-next", "Qwen: Qwen3 Next", "qwen", True, "Qwen/Qwen3-Next", released=day(10)),
    _model("arcee-ai/trinity", "Arcee: Trinity", "arcee-ai", True, "arcee-ai/Trinity", released=day(28)),
    _model("openai/gpt-5", "OpenAI: GPT-5", "openai", False, price=(1.25, 10.0)),
    _model("openai/gpt-5.5", "OpenAI: GPT-5.5", "openai", False, released=day(63), price=(2.5, 15.0)),
]


def launch_usage() -> list[dict]:
    rows = []
    for n in range(L_DAYS):
        for slug, tokens in _launch_daily(n).items():
            rows.append({"date": day(n), "model_permaslug": slug, "total_tokens": tokens})
    return rows


def build_launch_snapshot(target: Path):
    return write_snapshot(
        target, usage=launch_usage(), models=LAUNCH_MODELS, labs=read_labs_csv(REFERENCE_LABS),
        source="launch test fixture", synthetic=False, as_of="2026-04-13T02:00:00Z",
        start_date=L_FIRST_DAY, end_date=L_LAST_DAY,
    )


# ------------------------------------------------------------------ spend fixture


def priced_models() -> list[dict]:
    """tests/tiny.py's models, with Mistral Medium's prices unknown."""
    out = []
    for m in MODELS:
        m = dict(m)
        if m["model_permaslug"] == "mistralai/mistral-medium":
            m["price_prompt_usd_per_mtok"] = None
            m["price_completion_usd_per_mtok"] = None
        out.append(m)
    return out


def build_priced_snapshot(target: Path):
    return build_tiny_snapshot(target, models=priced_models())


# ------------------------------------------------------------------ compare fixture

RESTATED_LAST_DAY = dt.date(2026, 1, 29)


def build_restated_snapshot(target: Path):
    """The tiny snapshot as a later pull: covers 2026-01-05 to 2026-01-29 (two days
    added, Jan 28 and 29, with W4's daily figures); DeepSeek V3 on 2026-01-27 restated
    from 200 to 210; Qwen3 235B on 2026-01-26 dropped (no longer in the top 50); the
    retired model on 2026-01-05 restated from 5 to 6; Mistral Medium reclassified closed
    -> open (hugging_face_id found); Sao10K Euryale's author changed to `sao10k-labs`;
    a new catalogue model `newlab/fresh` (no usage)."""
    usage = []
    for r in tiny_usage():
        r = dict(r)
        if r["date"] == dt.date(2026, 1, 27) and r["model_permaslug"] == "deepseek/deepseek-v3":
            r["total_tokens"] = 210
        if r["date"] == dt.date(2026, 1, 26) and r["model_permaslug"] == "qwen/qwen3-235b":
            continue
        if r["date"] == dt.date(2026, 1, 5) and r["model_permaslug"] == "retired/old-model":
            r["total_tokens"] = 6
        usage.append(r)
    for d in (dt.date(2026, 1, 28), RESTATED_LAST_DAY):
        for r in tiny_usage():
            if r["date"] == dt.date(2026, 1, 27):
                usage.append({**r, "date": d})
    models = []
    for m in MODELS:
        m = dict(m)
        if m["model_permaslug"] == "mistralai/mistral-medium":
            m.update(open_weights=True, open_weights_basis="hugging_face_id", hugging_face_id="mistralai/Medium")
        if m["model_permaslug"] == "sao10k/l3-euryale":
            m["author"] = "sao10k-labs"
        models.append(m)
    models.append(_model("newlab/fresh", "NewLab: Fresh", "newlab", False))
    return build_tiny_snapshot(
        target, usage=usage, models=models, as_of="2026-01-30T02:00:00Z", end_date=RESTATED_LAST_DAY,
    )


# ------------------------------------------------------------------ category fixture

# Weekly category estimates on tests/tiny.py's snapshot (weeks W1..W4 of tiny.py):
#   programming: deepseek-v3 60, gpt-5 40                          -> open share 0.60
#   roleplay:    sao10k euryale 50, deepseek-v3 30, mistral-medium 20,
#                retired/old-model 10 (unclassified), unknown/new 5 (not in the data)
#                                                                    -> open 80 / named 100 = 0.80
# the same every week, except programming in W3: deepseek-v3 90, gpt-5 10 -> 0.90.
CATEGORY_WEEKS = {
    "programming": {"deepseek/deepseek-v3": 60, "openai/gpt-5": 40},
    "roleplay": {"sao10k/l3-euryale": 50, "deepseek/deepseek-v3": 30, "mistralai/mistral-medium": 20,
                 "retired/old-model": 10, "unknown/new": 5},
}


def category_rows() -> list[dict]:
    from tests.tiny import WEEKS

    rows = []
    for i, week in enumerate(WEEKS):
        for cat, per_model in CATEGORY_WEEKS.items():
            for slug, tokens in per_model.items():
                if cat == "programming" and i == 2:
                    tokens = {"deepseek/deepseek-v3": 90, "openai/gpt-5": 10}[slug]
                rows.append({"week": week, "category": cat, "model_permaslug": slug, "total_tokens": tokens})
    return rows


def build_category_snapshot(target: Path):
    return build_tiny_snapshot(target, usage_by_category=category_rows())
