"""A tiny snapshot with a lab below the cut (issue 21): every bound the pages state for it
can be worked out by hand, and the truth the cut hides is known.

Days 2026-01-05 (Monday) to 2026-01-27 (Tuesday), as tests/tiny.py: three full ISO weeks
(W1 = Jan 5-11, W2 = Jan 12-18, W3 = Jan 19-25) and two days of W4 (incomplete). The
daily tokens of each entry, the truth before the Data API's cut:

    permaslug                 lab            weights   W1   W2   W3   W4
    deepseek/deepseek-v3      DeepSeek CN    open     100  100  100  100   ranked
    qwen/qwen3-235b           Qwen CN        open      50  120   50   50   ranked
    openai/gpt-5              OpenAI US      closed   200  200  200  200   ranked
    openai/gpt-oss-120b       OpenAI US      open      20   20   20   20   ranked: the cut
    mistralai/mistral-medium  Mistral FR     closed    40   40   40   40   ranked
    arcee-ai/trinity-large    Arcee AI US    open      10   60   12   12   ranked in W2 only
    moonshotai/kimi-k3        Moonshot CN    open       -    -    -    5   released Jan 26
    private/model             (no catalogue) -         18   18   18   18   never ranked
    other (what the API shows) = the absent rows:      28   18   30   35

So in W3 (the latest complete week) Arcee AI is below the cut: the snapshot has no row
for it, while it had 12 tokens a day. Per day of W3 the ranked named tokens are
100+50+200+20+40 = 410, the ranked open ones 170, the cut 20 (gpt-oss) and `other` 30.

- Arcee's true share of named tokens: 12 / 422 = 2.84%. The bound: at most
  min(cut 20, other 30) = 20 a day, so its share is at most 20 / (410 + 20) = 4.65%
  ("under 4.7%"), and at least 0 (no segment list says more).
- Of open-weight tokens: truly 12 / 182 = 6.6%; at most 20 / 190 = 10.5%.
- The race of open-weight labs in W3: DeepSeek 700, Qwen 350, OpenAI 140 (gpt-oss),
  Arcee [0, 140] (truly 84): DeepSeek and Qwen are surely above it, OpenAI may be (a tie
  at 140 would go to Arcee AI by name), so Arcee is between #3 and #4 (truly #4).
- Moonshot's only model was released on Jan 26: in W3 it truly had no tokens, and the
  catalogue says so; in W4 it may have had some (5 a day, below the cut)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.tiny import FIRST_DAY, LAST_DAY, _model, daily_usage
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.layout import read_labs_csv
from tokenshare.data.snapshot.write import write_snapshot

TRUTH = {
    "deepseek/deepseek-v3": (100, 100, 100, 100),
    "qwen/qwen3-235b": (50, 120, 50, 50),
    "openai/gpt-5": (200, 200, 200, 200),
    "openai/gpt-oss-120b": (20, 20, 20, 20),
    "mistralai/mistral-medium": (40, 40, 40, 40),
    "arcee-ai/trinity-large": (10, 60, 12, 12),
    "moonshotai/kimi-k3": (0, 0, 0, 5),
    "private/model": (18, 18, 18, 18),
}
CUT = 20  # gpt-oss, the smallest ranked entry every day
RANKED = {slug: daily for slug, daily in TRUTH.items()
          if slug not in ("arcee-ai/trinity-large", "moonshotai/kimi-k3", "private/model")}
RANKED["arcee-ai/trinity-large"] = (0, 60, 0, 0)  # ranked in W2 only
OTHER = tuple(sum(daily[w] for slug, daily in TRUTH.items() if RANKED.get(slug, (0,) * 4)[w] == 0)
              for w in range(4))
assert OTHER == (28, 18, 30, 35)

MODELS = [
    _model("deepseek/deepseek-v3", "DeepSeek: V3", "deepseek", True, "deepseek-ai/DeepSeek-V3"),
    _model("qwen/qwen3-235b", "Qwen: Qwen3 235B", "qwen", True, "Qwen/Qwen3-235B-A22B"),
    _model("openai/gpt-5", "OpenAI: GPT-5", "openai", False, price=(1.25, 10.0)),
    _model("openai/gpt-oss-120b", "OpenAI: gpt-oss-120b", "openai", True, "openai/gpt-oss-120b"),
    _model("mistralai/mistral-medium", "Mistral: Medium", "mistralai", False, price=(0.4, 2.0)),
    _model("arcee-ai/trinity-large", "Arcee: Trinity Large", "arcee-ai", True, "arcee-ai/Trinity-Large"),
    _model("moonshotai/kimi-k3", "MoonshotAI: Kimi K3", "moonshotai", True, "moonshotai/Kimi-K3",
           released=dt.date(2026, 1, 26)),
]


def tail_usage() -> list[dict]:
    return daily_usage({**RANKED, "other": OTHER}, FIRST_DAY, LAST_DAY)


def build_tail_snapshot(target: Path, **overrides):
    labs = read_labs_csv(REFERENCE_LABS)
    kwargs = dict(
        usage=tail_usage(), models=MODELS, labs=labs, source="tiny tail test fixture",
        synthetic=False, as_of="2026-01-28T02:00:00Z", start_date=FIRST_DAY, end_date=LAST_DAY,
    )
    kwargs.update(overrides)
    return write_snapshot(target, **kwargs)
