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
- **context** (a partition): the bucket named by its upper bound (``1K`` = up to 1K
  tokens, ``10K`` = 1K-10K, ``100K`` = 10K-100K, ``1M`` = 100K-1M, ``10M`` = 1M-10M).
  Coding models sit in 10K-1M, roleplay in 1K-10K, small models below 10K; every mix
  moves up a bucket by 40% over the range (longer agent sessions), and a model gets no
  tokens in a bucket past its context length (that mass goes to its largest bucket).
  **The sample's buckets partition each day's tokens**: every entry-day's five buckets
  add up to its tokens exactly (floored to the grid, the remainder in its largest
  bucket), so each day's bucket totals, their ``other`` rows included, add up to the
  day's total in usage.parquet. Whether the real API's buckets do is not documented
  (OpenRouter's Data API docs say nothing of it); the sample chooses the partition so
  that code relying on it can be tested, and code must check it on real data.
- **language** (weekly estimates, like categories): programming vs natural by kind of
  model, with the category estimates' noise and whole millions, for each week's top
  ``LANGUAGE_TOP_N`` models.

Every list is ranked on the uncut market (``tokenshare.data.sample.market``) over the
API's entries, a ``:free`` variant being an entry of its own (its base model's
fractions): daily series keep, per day and segment, the top ``SEGMENT_TOP_N`` (50, as
the API) entries by the segment's tokens plus an ``other`` row with the segment's part
of every other entry. Each list has its own cut, so an entry below the day's overall
top 50 can be listed in a segment (the niche ones, audio or image output, list every
model that has any), and a segment's ``other`` is not the usage's. The weekly language
estimates rank each week's top ``LANGUAGE_TOP_N`` entries the same way. Modality counts
are floored to the sample's 10^5 grid, so a segment never exceeds its entry-day's tokens
and the bytes are the same on any machine.
"""

from __future__ import annotations

import numpy as np

from tokenshare.data.snapshot.layout import OTHER_PERMASLUG, SEGMENTS
from tokenshare.data.sample.volumes import QUANTUM, Built, sample_days

SEGMENT_TOP_N = 50
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


def _partition(tokens: np.ndarray, mix: np.ndarray) -> np.ndarray:
    """Integer context buckets (days, entries, 5) that add up to ``tokens`` (days,
    entries) exactly: each bucket floored to the grid, the remainder to the entry's
    largest bucket."""
    parts = _floor_q(tokens[..., None] * mix)
    parts = np.minimum(parts, tokens[..., None])
    rest = tokens - parts.sum(axis=-1)
    big = np.argmax(mix, axis=-1)[..., None]
    np.put_along_axis(parts, big, np.take_along_axis(parts, big, axis=-1) + rest[..., None], axis=-1)
    return parts


_CHUNK = 64  # days per chunk (fixed: the random stream depends on it)


def daily_segments(b: Built, rng):
    """The modality and context series: for each day and segment, the top
    SEGMENT_TOP_N entries of the uncut market by the segment's tokens (an entry below
    the day's overall top 50 can be listed: each list has its own cut) and ``other``
    (every other entry's tokens in that segment); rows with tokens only. The context
    buckets partition each entry-day's tokens, so each day's buckets, their ``other``
    rows included, add up to the day's total in usage.parquet."""
    import pyarrow as pa

    days = sample_days()
    n_days, n_e = b.entry_tokens.shape
    base = b.entry_base
    mod_m, rise_m, ctx_m = _model_fractions(b)
    mod0, rise, ctx0 = mod_m[base], rise_m[base], ctx_m[base]
    context_len = np.array([b.context[i] or 0 for i in base], dtype=np.float64)
    k = min(SEGMENT_TOP_N, n_e)
    tiebreak = (n_e - 1 - b.alpha_rank()).astype(np.float64) / n_e  # ties broken by permaslug
    slug_arr = np.array(b.entry_slug + [OTHER_PERMASLUG], dtype=object)
    out = {seg: ([], [], []) for seg in (("modality", x) for x in MODALITY)}
    out.update({seg: ([], [], []) for seg in (("context", x) for x in CONTEXT)})
    for a in range(0, n_days, _CHUNK):
        z = min(a + _CHUNK, n_days)
        tokens = b.entry_tokens[a:z]
        frac_t = np.arange(a, z) / max(1, n_days - 1)
        mod = np.broadcast_to(mod0, (z - a, n_e, len(MODALITY))).copy()
        mod[..., 4] = np.minimum(0.9, mod[..., 4] * (1 + rise * frac_t[:, None]))
        mod[..., 1:] *= np.exp(rng.standard_normal((z - a, n_e, len(MODALITY) - 1)) * 0.08)
        mod = np.clip(mod, 0.0, 1.0)
        ctx = _context_at(np.broadcast_to(ctx0, (z - a, n_e, len(CONTEXT))), frac_t,
                          np.broadcast_to(context_len, (z - a, n_e)))
        ctx *= np.exp(rng.standard_normal(ctx.shape) * 0.08)
        ctx /= ctx.sum(axis=-1, keepdims=True)
        per_dim = (("modality", MODALITY, np.minimum(_floor_q(tokens[..., None] * mod), tokens[..., None])),
                   ("context", CONTEXT, _partition(tokens, ctx)))
        for dim, names, seg_all in per_dim:
            for j, seg in enumerate(names):
                seg_tok = seg_all[..., j]
                top_idx = np.argsort(-(seg_tok + tiebreak), axis=1, kind="stable")[:, :k]
                top_tok = np.take_along_axis(seg_tok, top_idx, axis=1)
                other = seg_tok.sum(axis=1) - top_tok.sum(axis=1)
                t = np.concatenate([top_tok, other[:, None]], axis=1)
                m = np.concatenate([top_idx, np.full((z - a, 1), n_e)], axis=1)
                d_i, c_i = np.nonzero(t > 0)
                dates, slugs, toks = out[(dim, seg)]
                dates.append(days[a:z][d_i])
                slugs.append(slug_arr[m[d_i, c_i]])
                toks.append(t[d_i, c_i])
    dims, segs, dates, slugs, toks = [], [], [], [], []
    for (dim, seg), (d, sl, t) in out.items():
        n_rows = sum(len(x) for x in d)
        dims += [dim] * n_rows
        segs += [seg] * n_rows
        dates += d
        slugs += sl
        toks += t
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
    LANGUAGE_TOP_N entries of the uncut market: whole millions, noisy, ~92% of tokens classified."""
    import pyarrow as pa

    days = sample_days()
    monday = days - ((days.view("int64") - 4) % 7).astype("timedelta64[D]")
    weeks, starts = np.unique(monday, return_index=True)
    bounds = list(starts) + [len(days)]
    n = b.entry_tokens.shape[1]
    weekly = np.stack([b.entry_tokens[lo:hi].sum(axis=0) for lo, hi in zip(bounds[:-1], bounds[1:])])
    k = min(LANGUAGE_TOP_N, n)
    key = weekly * n + (n - 1 - b.alpha_rank())
    top_idx = np.argsort(-key, axis=1, kind="stable")[:, :k]
    base = np.take_along_axis(weekly, top_idx, axis=1).astype(np.float64)
    prog = np.array([_PROGRAMMING.get(x, 0.2) for x in b.kind])[b.entry_base[top_idx]]
    prog = np.clip(prog * np.exp(rng.standard_normal(prog.shape) * 0.15), 0, 0.95)
    est = np.stack([base * (1 - prog), base * prog], axis=-1) * 0.92
    values = (np.floor(est / 1e6) * 1_000_000).astype(np.int64)
    w_i, c_i, s_i = np.nonzero(values > 0)
    return pa.table({
        "dimension": pa.array(["language"] * len(w_i), pa.string()),
        "segment": pa.array(np.array(LANGUAGE, dtype=object)[s_i], pa.string()),
        "date": pa.array(weeks[w_i], pa.date32()),
        "model_permaslug": pa.array(np.array(b.entry_slug, dtype=object)[top_idx[w_i, c_i]], pa.string()),
        "total_tokens": pa.array(values[w_i, c_i, s_i], pa.int64()),
        "is_estimate": pa.array(np.ones(len(w_i), dtype=bool), pa.bool_()),
    })


def segment_table(b: Built, rng):
    """The whole ``usage_by_segment`` table of the sample."""
    import pyarrow as pa

    return pa.concat_tables([daily_segments(b, rng), language_segments(b, rng)])
