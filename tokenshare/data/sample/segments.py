"""The sample's segment series (``usage_by_segment.parquet``): synthetic, deterministic,
shaped after how the models are used, never OpenRouter figures.

Each model-day's tokens (``sample_volumes``) are split by fixed per-model fractions
that drift slowly over the two years, with a little daily noise:

- **modality** (overlapping, each at most the model-day's total): ``text`` (output) is
  everything but ``image_output``; ``image`` (input) only for vision models (every
  closed general or coding model; the open VL, Gemma 3+ and Llama 4 models and the
  natively multimodal 2026 releases), a few percent of their tokens (a quarter for the
  VL specialists); ``image_output`` only for
  Gemini Flash models, 1-3%; ``audio`` only for Gemini and GPT-4o models, 1-2%;
  ``tool_calling`` by kind of model (coding ~55%, general ~25%, small ~12%, roleplay
  ~1%), rising by half over the range as agents take over. Judgement: a coding model
  is used in agent loops whether open or closed, so the kind of model decides; closed
  volume leans to coding models (Claude, Gemini Pro), open volume to general and
  roleplay use, so a larger share of closed tokens is tool calling (about 50% vs 35% at
  the end) and of open tokens is short context. Vision, image output and audio are
  mostly closed.
- **context** (a partition: the buckets add up to the total, at most): the bucket
  named by its upper bound (``1K`` = up to 1K tokens, ``10K`` = 1K-10K, ``100K`` =
  10K-100K, ``1M`` = 100K-1M, ``10M`` = 1M-10M). Coding models sit in 10K-1M, roleplay
  in 1K-10K, small models below 10K; every mix moves up a bucket by 40% over the range
  (longer agent sessions), and a model gets no tokens in a bucket past its context
  length (that mass goes to its largest bucket).
- **language** (weekly estimates, like categories): programming vs natural by kind of
  model, with the category estimates' noise and whole millions, for each week's top
  ``LANGUAGE_TOP_N`` models.

Daily series keep, per day and segment, the top ``SEGMENT_TOP_N`` named models by the
segment's tokens (the Data API returns the top 50; the sample keeps fewer to stay
small) plus an ``other`` row with the segment's part of everything else (so ``other``
may exceed the usage's ``other``, as a segment's top list differs from the day's). Segments are per base model: the usage's ``:free`` variants are
not split out as rows of their own here (the API ranks them separately), so a base
model's segment is bounded by its base and ``:free`` tokens together. Counts are floored
to the sample's 10^5 grid, so a segment never exceeds its model-day's total and the bytes are the same on
any machine.
"""

from __future__ import annotations

import numpy as np

from tokenshare.data.snapshot.layout import OTHER_PERMASLUG, SEGMENTS
from tokenshare.data.sample.volumes import QUANTUM, Built, sample_days

SEGMENT_TOP_N = 20
LANGUAGE_TOP_N = 20
MODALITY = SEGMENTS["modality"][1]  # text, image, image_output, audio, tool_calling
CONTEXT = SEGMENTS["context"][1]  # 1K, 10K, 100K, 1M, 10M
LANGUAGE = SEGMENTS["language"][1]  # natural, programming
_LOWER = np.array([0, 1_000, 10_000, 100_000, 1_000_000])  # each context bucket's lower bound

_TOOL = {"code": 0.55, "gen": 0.25, "small": 0.12, "rp": 0.01}
_CONTEXT_MIX = {
    "code": (0.01, 0.09, 0.45, 0.43, 0.02),
    "gen": (0.06, 0.38, 0.44, 0.11, 0.01),
    "rp": (0.05, 0.70, 0.24, 0.01, 0.00),
    "small": (0.25, 0.55, 0.18, 0.02, 0.00),
}
_PROGRAMMING = {"code": 0.72, "gen": 0.30, "small": 0.15, "rp": 0.02}
# open models taking image input: Gemma 3+, Llama 4, the VL models, and the natively
# multimodal 2026 releases (Qwen 3.5, Kimi K2.5, MiMo V2.5)
_VISION_OPEN = ("gemma-3-", "gemma-4", "llama-4", "-vl", "vl-", "qwen3.5", "kimi-k2.5", "mimo-v2.5")


def _model_fractions(b: Built) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per model: modality fractions (n, 5) at the start, the tool-calling rise, and the
    context mix (n, 5) at the start."""
    n = len(b.permaslug)
    mod = np.zeros((n, len(MODALITY)))
    ctx = np.zeros((n, len(CONTEXT)))
    for i, (slug, kind, w) in enumerate(zip(b.permaslug, b.kind, b.weights)):
        name = slug.split("/", 1)[1]
        vision = (w == "C" and kind in ("gen", "code")) or any(t in name for t in _VISION_OPEN)
        specialist = "-vl" in name or "vl-" in name
        img_out = 0.02 if ("gemini" in name and "flash" in name) else 0.0
        mod[i] = (1.0 - img_out, (0.25 if specialist else 0.05) if vision else 0.0, img_out,
                  0.015 if ("gemini" in name or "gpt-4o" in name) else 0.0, _TOOL.get(kind, 0.1))
        ctx[i] = _CONTEXT_MIX.get(kind, _CONTEXT_MIX["gen"])
    return mod, np.full(n, 0.5), ctx


def _context_at(ctx: np.ndarray, frac: np.ndarray, context_len: np.ndarray) -> np.ndarray:
    """Context mixes (days, models, 5) at time ``frac`` (days,), capped by context length."""
    up = np.concatenate([np.zeros(ctx.shape[:-1] + (1,)), ctx[..., :-1]], axis=-1)
    up[..., -1] += ctx[..., -1]
    mix = ctx * (1 - 0.4 * frac)[:, None, None] + up * (0.4 * frac)[:, None, None]
    allowed = _LOWER[None, None, :] < context_len[..., None]
    allowed[..., 0] = True
    spill = (mix * ~allowed).sum(axis=-1)
    mix = mix * allowed
    top = allowed.shape[-1] - 1 - np.argmax(allowed[..., ::-1], axis=-1)
    np.put_along_axis(mix, top[..., None], np.take_along_axis(mix, top[..., None], axis=-1) + spill[..., None], axis=-1)
    return mix


def _floor_q(x: np.ndarray) -> np.ndarray:
    return (np.floor(x / QUANTUM) * QUANTUM).astype(np.int64)


def daily_segments(b: Built, rng):
    """The modality and context series: for each day and segment, the top
    SEGMENT_TOP_N named models by the segment's tokens and ``other`` (everything
    else of the day in that segment); rows with tokens only."""
    import pyarrow as pa

    days = sample_days()
    n_days, n = b.tokens.shape
    named = np.where(b.top, b.tokens, 0).astype(np.float64)
    frac_t = np.arange(n_days) / max(1, n_days - 1)
    mod0, rise, ctx0 = _model_fractions(b)
    context_len = np.array([c or 0 for c in b.context], dtype=np.float64)
    mod = np.broadcast_to(mod0, (n_days, n, len(MODALITY))).copy()
    mod[..., 4] = np.minimum(0.9, mod[..., 4] * (1 + rise * frac_t[:, None]))
    mod[..., 1:] *= np.exp(rng.standard_normal((n_days, n, len(MODALITY) - 1)) * 0.08)
    mod = np.clip(mod, 0.0, 1.0)
    ctx = _context_at(np.broadcast_to(ctx0, (n_days, n, len(CONTEXT))), frac_t,
                      np.broadcast_to(context_len, (n_days, n)))
    ctx *= np.exp(rng.standard_normal(ctx.shape) * 0.08)
    ctx /= np.maximum(ctx.sum(axis=-1, keepdims=True), 1.0)  # never more than the total
    # the unnamed tail (usage's `other`): the smaller models' mix
    tail_mod = np.tile([0.995, 0.03, 0.005, 0.005, 0.15], (n_days, 1))
    tail_mod[:, 4] *= 1 + 0.5 * frac_t
    tail_mix = (np.array(_CONTEXT_MIX["small"]) + np.array(_CONTEXT_MIX["gen"])) / 2
    tail_ctx = _context_at(np.broadcast_to(tail_mix, (n_days, 1, len(CONTEXT))), frac_t,
                           np.full((n_days, 1), 2e6))[:, 0, :]
    k = min(SEGMENT_TOP_N, n)
    tiebreak = (n - 1 - b.alpha_rank()).astype(np.float64) / n  # ties broken by permaslug
    slug_arr = np.array(b.permaslug + [OTHER_PERMASLUG], dtype=object)
    dims, segs, dates, slugs, toks = [], [], [], [], []
    for dim, names, shares, tail in (("modality", MODALITY, mod, tail_mod), ("context", CONTEXT, ctx, tail_ctx)):
        for j, seg in enumerate(names):
            seg_tok = _floor_q(named * shares[..., j])
            top_idx = np.argsort(-(seg_tok + tiebreak), axis=1, kind="stable")[:, :k]
            top_tok = np.take_along_axis(seg_tok, top_idx, axis=1)
            other = seg_tok.sum(axis=1) - top_tok.sum(axis=1) + _floor_q(b.other * tail[:, j])
            t = np.concatenate([top_tok, other[:, None]], axis=1)
            m = np.concatenate([top_idx, np.full((n_days, 1), n)], axis=1)
            d_i, c_i = np.nonzero(t > 0)
            dates.append(days[d_i])
            slugs.append(slug_arr[m[d_i, c_i]])
            toks.append(t[d_i, c_i])
            dims += [dim] * len(d_i)
            segs += [seg] * len(d_i)
    return pa.table({
        "dimension": pa.array(dims, pa.string()),
        "segment": pa.array(segs, pa.string()),
        "date": pa.array(np.concatenate(dates), pa.date32()),
        "model_permaslug": pa.array(np.concatenate(slugs), pa.string()),
        "total_tokens": pa.array(np.concatenate(toks), pa.int64()),
        "is_estimate": pa.array(np.zeros(len(dims), dtype=bool), pa.bool_()),
    })


def language_segments(b: Built, rng):
    """Weekly language-type estimates (ISO weeks, Monday start) for each week's top
    LANGUAGE_TOP_N named models: whole millions, noisy, ~92% of tokens classified."""
    import pyarrow as pa

    days = sample_days()
    monday = days - ((days.view("int64") - 4) % 7).astype("timedelta64[D]")
    weeks, starts = np.unique(monday, return_index=True)
    bounds = list(starts) + [len(days)]
    n = b.tokens.shape[1]
    weekly = np.stack([(b.tokens[lo:hi] * b.top[lo:hi]).sum(axis=0) for lo, hi in zip(bounds[:-1], bounds[1:])])
    k = min(LANGUAGE_TOP_N, n)
    key = weekly * n + (n - 1 - b.alpha_rank())
    top_idx = np.argsort(-key, axis=1, kind="stable")[:, :k]
    base = np.take_along_axis(weekly, top_idx, axis=1).astype(np.float64)
    prog = np.array([_PROGRAMMING.get(x, 0.2) for x in b.kind])[top_idx]
    prog = np.clip(prog * np.exp(rng.standard_normal(prog.shape) * 0.15), 0, 0.95)
    est = np.stack([base * (1 - prog), base * prog], axis=-1) * 0.92
    values = (np.floor(est / 1e6) * 1_000_000).astype(np.int64)
    w_i, c_i, s_i = np.nonzero(values > 0)
    return pa.table({
        "dimension": pa.array(["language"] * len(w_i), pa.string()),
        "segment": pa.array(np.array(LANGUAGE, dtype=object)[s_i], pa.string()),
        "date": pa.array(weeks[w_i], pa.date32()),
        "model_permaslug": pa.array(np.array(b.permaslug, dtype=object)[top_idx[w_i, c_i]], pa.string()),
        "total_tokens": pa.array(values[w_i, c_i, s_i], pa.int64()),
        "is_estimate": pa.array(np.ones(len(w_i), dtype=bool), pa.bool_()),
    })


def segment_table(b: Built, rng):
    """The whole ``usage_by_segment`` table of the sample."""
    import pyarrow as pa

    return pa.concat_tables([daily_segments(b, rng), language_segments(b, rng)])
