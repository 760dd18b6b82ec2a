"""The sample's `:free` variants and its models whose weights opened after launch.

**Free variants.** On OpenRouter many open-weight models (and a few closed ones, during
a promotion) are also served as ``<model>:free``, ranked as entries of their own. The
sample makes them by SPLITTING a base model's daily tokens: the free row takes a share
(per mille, with a small integer wobble by day, so the files stay byte-identical on any
machine) and the base row keeps the rest. Every base model's daily total, and so every
figure computed per base model, is exactly what it was without the split; the day
simply has more rows than the top 50 plus ``other`` (the free rows sit beside their
base model, as they do in the Data API's ranking). The free variant's catalogue row is
its base model's with zero prices.

**Opened later.** A model listed in ``OPENED_LATER`` launched API-only and published its
weights on the given day: its ``open_weights_since``. The views count its tokens closed
before that day and open from it. Both are before the last full week, so the latest-week
headline (69.1%) does not move; the open share of the weeks before each day is a little
lower than with the model open all along.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

# permaslug, first free day (None: the model's first day), last free day (None: to the
# end), free share of the model's tokens in per mille. Realistic, not real: most are
# open-weight models, three are closed models on a free promotion.
FREE_VARIANTS: tuple[tuple[str, dt.date | None, dt.date | None, int], ...] = (
    ("deepseek/deepseek-chat-v3-0324", None, None, 450),
    ("deepseek/deepseek-r1", None, None, 400),
    ("deepseek/deepseek-r1-0528", None, None, 350),
    ("deepseek/deepseek-chat-v3.1", None, dt.date(2026, 3, 31), 300),
    ("deepseek/deepseek-v4-flash-20260908", None, None, 300),
    ("qwen/qwen3-coder-480b-a35b-07-25", None, None, 300),
    ("qwen/qwen3.5-122b-a10b-20260302", None, None, 350),
    ("moonshotai/kimi-k2", None, None, 250),
    ("z-ai/glm-4.5-air-20250728", None, None, 500),
    ("openai/gpt-oss-20b", None, None, 350),
    ("openai/gpt-oss-120b", None, None, 200),
    ("meta-llama/llama-3.3-70b-instruct", None, None, 250),
    ("mistralai/mistral-nemo", None, None, 300),
    ("minimax/minimax-m2-20251027", None, dt.date(2025, 11, 15), 600),  # the free promotion
    ("tencent/hy3-preview-20260421", None, None, 350),
    ("deepseek/deepseek-v4-20260908", None, None, 250),
    ("xiaomi/mimo-v2.5-pro-20260630", None, None, 250),
    ("qwen/qwen3.5-397b-a17b-20260302", None, None, 250),
    ("moonshotai/kimi-k2.5-20260127", None, None, 200),
    ("xiaomi/mimo-v2.5-flash-20260630", None, None, 400),
    ("arcee-ai/trinity-large-preview-20260127", None, dt.date(2026, 5, 4), 500),
    ("nvidia/nemotron-3-nano-30b-a3b-20251215", None, None, 450),
    # closed, for a while
    ("google/gemini-2.0-flash-exp", None, None, 600),
    ("x-ai/grok-4-fast", dt.date(2025, 9, 19), dt.date(2025, 12, 3), 500),
    ("x-ai/grok-4.1-fast-20251119", None, None, 150),
)
FREE_SUFFIX = ":free"

# permaslug -> the day its weights were published (it launched API-only).
OPENED_LATER: dict[str, dt.date] = {
    "stepfun/step-3.5-flash-20260202": dt.date(2026, 3, 2),
    "tencent/hy3-mini-20260421": dt.date(2026, 5, 18),
}

WOBBLE = 61  # the daily wobble spans -30..+30 per mille


def free_permille(day_index: np.ndarray, model_no: int, permille: int) -> np.ndarray:
    """The free share of one model's tokens on each day, in per mille (integers only)."""
    wobble = (day_index.astype(np.int64) * 37 + model_no * 11) % WOBBLE - WOBBLE // 2
    return np.clip(permille + wobble, 0, 1000)


def split_free(days: np.ndarray, d_idx: np.ndarray, m_idx: np.ndarray, tokens: np.ndarray,
               permaslugs: list[str]):
    """Split the (day, model, tokens) rows of the models in FREE_VARIANTS into a paid
    and a free row. Returns (tokens of the given rows, now paid only; the free rows'
    day indices; their variant numbers (index into ``free_slugs``); their tokens;
    free_slugs). Only positive free rows are kept; paid + free = the original tokens."""
    tokens = tokens.copy()
    index = {p: i for i, p in enumerate(permaslugs)}
    out_d, out_v, out_t, slugs = [], [], [], []
    for no, (slug, first, last, permille) in enumerate(FREE_VARIANTS):
        mi = index.get(slug)
        if mi is None:  # not in this catalogue (a test's small one)
            continue
        lo = np.datetime64(first) if first else days[0]
        hi = np.datetime64(last) if last else days[-1]
        rows = np.nonzero((m_idx == mi) & (days[d_idx] >= lo) & (days[d_idx] <= hi))[0]
        free = tokens[rows] * free_permille(d_idx[rows], no, permille) // 1000
        tokens[rows] -= free
        keep = free > 0
        out_d.append(d_idx[rows][keep])
        out_v.append(np.full(int(keep.sum()), len(slugs), dtype=np.int64))
        out_t.append(free[keep])
        slugs.append(slug + FREE_SUFFIX)
    cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)  # noqa: E731
    return tokens, cat(out_d), cat(out_v), cat(out_t), slugs
