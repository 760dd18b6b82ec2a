"""The sample's `:free` variants and its models whose weights opened after launch.

**Free variants.** On OpenRouter many open-weight models (and a few closed ones, during
a promotion) are also served as ``<model>:free``, ranked as entries of their own. The
sample makes them by SPLITTING a base model's daily tokens in the uncut market
(``split_entries``): the free entry takes a share (per mille, with a small integer
wobble by day, so the files stay byte-identical on any machine) and the base entry keeps
the rest, so base + free is exactly the model's uncut daily total. The day's top 50 is
then ranked over these entries, as the Data API ranks them: a ``:free`` row counts as
one of the 50, and a model can be ranked while its free variant is in ``other`` (or the
other way round). The free variant's catalogue row is its base model's with zero prices.

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


def free_columns(permaslugs: list[str]) -> list[tuple[int, int, str, dt.date | None, dt.date | None, int]]:
    """The FREE_VARIANTS whose base model is in ``permaslugs``: (variant number, base
    column, free permaslug, first day, last day, per mille), in FREE_VARIANTS order."""
    index = {p: i for i, p in enumerate(permaslugs)}
    return [(no, index[slug], slug + FREE_SUFFIX, first, last, permille)
            for no, (slug, first, last, permille) in enumerate(FREE_VARIANTS) if slug in index]


def split_entries(days: np.ndarray, values: np.ndarray, permaslugs: list[str], *, day0: int = 0):
    """Split the (days x models) ``values`` of the models in FREE_VARIANTS into a paid
    column (the base model's own entry) and a free column of its own: the Data API
    ranks a ``:free`` variant as an entry of its own. ``days`` are the rows' dates and
    ``day0`` the first row's day index (the per-mille wobble follows the day index).
    Integer values are split with integer arithmetic (paid + free = the original,
    exactly); float values (the calibration's) in proportion.

    Returns (paid: a copy of ``values`` less the free parts, free: (days x variants),
    free permaslugs, each free column's base column)."""
    cols = free_columns(permaslugs)
    paid = values.copy()
    free = np.zeros((values.shape[0], len(cols)), dtype=values.dtype)
    day_index = np.arange(values.shape[0], dtype=np.int64) + day0
    for j, (no, mi, _, first, last, permille) in enumerate(cols):
        inside = np.ones(len(days), dtype=bool)
        if first:
            inside &= days >= np.datetime64(first)
        if last:
            inside &= days <= np.datetime64(last)
        pm = free_permille(day_index, no, permille) * inside
        if np.issubdtype(values.dtype, np.integer):
            free[:, j] = values[:, mi] * pm // 1000
        else:
            free[:, j] = values[:, mi] * (pm / 1000.0)
        paid[:, mi] -= free[:, j]
    return paid, free, [c[2] for c in cols], np.array([c[1] for c in cols], dtype=np.int64)
