"""Deterministic synthetic sample snapshot (``python -m tokenshare sample``).

The sample has the Data API's own shape (daily top-50 rows plus one ``other`` row) and
tells the public story in MARKET_FACTS.md: open-weight share of named volume rising from
about 30% in early 2025 to 69.1% in the last full week (2026-11-16 to 2026-11-22), one
open-vs-closed crossing in 2026, and the open-weight lead passing DeepSeek -> MiniMax /
Moonshot (Kimi) -> Qwen -> Tencent -> Xiaomi -> DeepSeek.

The models come from ``reference/sample_catalogue.csv`` (``sample_catalogue``). How
their volumes are made (``sample_volumes``; all numpy, vectorised over days x models):

1. Every catalogue model has a launch curve: a ramp of a few days to its peak, a decay
   to a plateau at 60-80% of the peak, a long slow decay once the next model of its
   family launches, slow ageing, optional steps (a free promotion ending) and an end
   date for models that left the catalogue or the router.
2. Noise per model from ``numpy.random.default_rng(seed)``: a slow AR(1) wobble (on a
   weekly grid, interpolated) and a daily log-normal scatter.
3. Rescaling: the market total follows ``_TOTAL_KNOTS`` and the open-weight share of
   model volume follows ``_OPEN_SHARE_KNOTS``, except that a launch lifts its pool
   (open weights, or the rest) above the pool's own 4-week trailing mean for a while,
   so the split jumps at launches and settles back. All open models share one factor
   per day, so the race between open labs is the launch curves' own.
4. Calibration: a factor on closed volume, smoothed in over the last six weeks, is
   solved (a few fixed-point steps, re-ranking the top 50 every time) so that the
   open-weight share of named volume in the last full ISO week is 69.1%.
5. Weekday rhythm (weekends ~20% lower), then integer tokens. Each day keeps the top
   ``50 * scale`` live models; the rest and an unnamed tail go into ``other``.

Floating point results may differ in the last bit between CPUs (SIMD ``exp``), so
token counts are quantised to a 10^5 grid before the low digits are filled in from the
integer random stream: the files are byte-identical for a seed and scale on any
machine, barring a one-in-a-billion rounding coincidence.

6. `:free` variants split off some models' daily tokens (most of them open-weight), and
   two models publish their weights after launch (``sample_variants``): every base
   model's daily total stays exactly as steps 1-5 made it.

This module turns the volumes into the snapshot's tables (usage, models, the weekly
category estimates, the segments of ``sample_segments``) and writes them with ``write_snapshot``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

import tokenshare
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.layout import OTHER_PERMASLUG, Snapshot, read_labs_csv
from tokenshare.data.sample.segments import segment_table
from tokenshare.data.sample.providers import sample_endpoints
from tokenshare.data.sample.variants import FREE_SUFFIX, FREE_VARIANTS, OPENED_LATER, split_free
from tokenshare.data.sample.volumes import END, START, Built, build, sample_days
from tokenshare.data.snapshot.write import write_snapshot

AS_OF = "2026-11-23T02:00:00Z"
CATEGORY_TOP_N = 20

CATEGORIES = (
    "programming", "roleplay", "marketing", "technology", "science", "translation",
    "legal", "finance", "health", "trivia", "academia",
)
# Open-weight share of the top models' category estimates (start, end of the range).
_CATEGORY_OPEN_SHARE = {"programming": (0.45, 0.58), "roleplay": (0.76, 0.84)}

# Category mix by kind of model (programming ... academia, in CATEGORIES order).
_KIND_MIX = {
    "code": (0.62, 0.02, 0.04, 0.12, 0.05, 0.02, 0.02, 0.03, 0.02, 0.02, 0.04),
    "gen": (0.30, 0.14, 0.09, 0.10, 0.07, 0.07, 0.03, 0.05, 0.04, 0.06, 0.05),
    "rp": (0.05, 0.66, 0.04, 0.04, 0.02, 0.04, 0.01, 0.01, 0.02, 0.08, 0.03),
    "small": (0.12, 0.18, 0.16, 0.08, 0.04, 0.22, 0.03, 0.04, 0.03, 0.07, 0.03),
}


# --------------------------------------------------------------------------- tables


def _usage_table(b: Built, *, free: bool = True):
    import pyarrow as pa

    days = sample_days()
    n_days = len(days)
    d_idx, m_idx = np.nonzero(b.top)
    # `:free` variants: a share of some models' tokens moves to a row of its own
    if free:
        paid, f_d, f_v, f_tokens, free_slugs = split_free(days, d_idx, m_idx, b.tokens[d_idx, m_idx], b.permaslug)
    else:  # every base model's whole tokens (what the providers are drawn from)
        paid, free_slugs = b.tokens[d_idx, m_idx], []
        f_d = f_v = f_tokens = np.zeros(0, dtype=np.int64)
    n = len(b.permaslug)
    slugs = b.permaslug + [OTHER_PERMASLUG] + free_slugs
    slug_idx = np.concatenate([m_idx, np.full(n_days, n), n + 1 + f_v]).astype(np.int32)
    slug_col = pa.DictionaryArray.from_arrays(pa.array(slug_idx), pa.array(slugs, pa.string()))
    return pa.table({
        "date": pa.array(np.concatenate([days[d_idx], days, days[f_d]]), pa.date32()),
        "model_permaslug": slug_col.cast(pa.string()),
        "total_tokens": pa.array(np.concatenate([paid, b.other, f_tokens]), pa.int64()),
    })


def _models_table(b: Built):
    import pyarrow as pa

    keep = np.nonzero(b.weights != "R")[0]
    pick = lambda col: [col[i] for i in keep]  # noqa: E731
    w = b.weights[keep]
    hf = pick(b.hf_id)
    open_weights = [True if x == "O" else False if x == "C" else None for x in w]
    basis = [
        "unknown" if x == "N" else "override" if (x == "O" and not h) else "hugging_face_id"
        for x, h in zip(w, hf)
    ]
    slugs = pick(b.permaslug)
    cols = {
        "model_permaslug": slugs,
        "model_id": pick(b.model_id),
        "name": pick(b.name),
        "author": [s.split("/", 1)[0] for s in slugs],
        "released_at": pick(b.released),
        "open_weights": open_weights,
        "open_weights_basis": basis,
        "hugging_face_id": hf,
        "context_length": pick(b.context),
        "price_prompt_usd_per_mtok": pick(b.price_in),
        "price_completion_usd_per_mtok": pick(b.price_out),
        "price_input_cache_read_usd_per_mtok": pick(b.price_cache),
        "open_weights_since": [OPENED_LATER.get(s) for s in slugs],
    }
    # each `:free` variant: its base model's row, free (as the catalogue lists it)
    row_of = {s: i for i, s in enumerate(slugs)}
    for base, *_ in FREE_VARIANTS:
        i = row_of.get(base)
        if i is None:
            continue
        for c, values in cols.items():
            values.append(values[i])
        cols["model_permaslug"][-1] = base + FREE_SUFFIX
        for c in ("price_prompt_usd_per_mtok", "price_completion_usd_per_mtok"):
            cols[c][-1] = 0.0 if cols[c][-1] is not None else None
        cols["price_input_cache_read_usd_per_mtok"][-1] = None  # nothing to discount
    types = {
        "model_permaslug": pa.string(), "model_id": pa.string(), "name": pa.string(), "author": pa.string(),
        "released_at": pa.date32(), "open_weights": pa.bool_(), "open_weights_basis": pa.string(),
        "hugging_face_id": pa.string(), "context_length": pa.int64(), "price_prompt_usd_per_mtok": pa.float64(),
        "price_completion_usd_per_mtok": pa.float64(), "price_input_cache_read_usd_per_mtok": pa.float64(),
        "open_weights_since": pa.date32(),
    }
    return pa.table({c: pa.array(v, types[c]) for c, v in cols.items()})


def _category_table(b: Built, rng):
    """Weekly category estimates (ISO week, Monday start) for each week's top
    CATEGORY_TOP_N models by named tokens."""
    import pyarrow as pa

    days = sample_days()
    dow = (days.view("int64") - 4) % 7
    monday = days - dow.astype("timedelta64[D]")
    weeks, starts = np.unique(monday, return_index=True)
    n_weeks = len(weeks)
    bounds = list(starts) + [len(days)]
    n = b.tokens.shape[1]
    weekly = np.empty((n_weeks, n), dtype=np.int64)
    for i in range(n_weeks):
        lo, hi = bounds[i], bounds[i + 1]
        weekly[i] = (b.tokens[lo:hi] * b.top[lo:hi]).sum(axis=0)
    k = min(CATEGORY_TOP_N, n)
    key = weekly * n + (n - 1 - b.alpha_rank())  # unique: ties broken by permaslug
    part = np.argpartition(-key, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(part, np.argsort(-np.take_along_axis(key, part, axis=1), axis=1), axis=1)
    w_idx = np.repeat(np.arange(n_weeks), k)
    m_idx = order.reshape(-1)
    base = weekly[w_idx, m_idx].astype(np.float64)
    keep = base > 0
    w_idx, m_idx, base = w_idx[keep], m_idx[keep], base[keep]
    n_cat = len(CATEGORIES)
    mix = np.array([_KIND_MIX[x] for x in b.kind])[m_idx]
    # a sampled, up-sampled estimate: noisy, and not every token gets a category
    est = base[:, None] * mix * np.exp(rng.standard_normal((len(base), n_cat)) * 0.18) * 0.92
    # open-weight share of programming and roleplay moves between its start and end values
    span = max(1, int((weeks[-1] - weeks[0]).astype(np.int64)))
    frac = (weeks - weeks[0]).astype(np.int64) / span
    is_open = b.open_mask[m_idx]
    is_closed = b.closed_mask[m_idx]
    for cat, (lo, hi) in _CATEGORY_OPEN_SHARE.items():
        j = CATEGORIES.index(cat)
        target = lo + (hi - lo) * frac
        o = np.bincount(w_idx[is_open], weights=est[is_open, j], minlength=n_weeks)
        cl = np.bincount(w_idx[is_closed], weights=est[is_closed, j], minlength=n_weeks)
        both = (o > 0) & (cl > 0)
        f_open = np.where(both, target * (o + cl) / np.where(o > 0, o, 1), 1.0)
        f_closed = np.where(both, (1 - target) * (o + cl) / np.where(cl > 0, cl, 1), 1.0)
        est[is_open, j] *= f_open[w_idx[is_open]]
        est[is_closed, j] *= f_closed[w_idx[is_closed]]
    values = np.floor(est / 1e6).astype(np.int64) * 1_000_000  # estimates: whole millions
    slugs = np.array(b.permaslug, dtype=object)
    return pa.table({
        "week": pa.array(np.repeat(weeks[w_idx], n_cat), pa.date32()),
        "category": pa.array(np.tile(np.array(CATEGORIES, dtype=object), len(w_idx)), pa.string()),
        "model_permaslug": pa.array(np.repeat(slugs[m_idx], n_cat), pa.string()),
        "total_tokens": pa.array(values.reshape(-1), pa.int64()),
    })


def _labs_rows() -> list[dict]:
    return read_labs_csv(REFERENCE_LABS)


def generate_sample(out_dir: Path, seed: int = 42, scale: int = 1, *, overwrite: bool = False) -> Snapshot:
    """Build the synthetic sample and write it as a snapshot folder at ``out_dir``
    (atomically, through ``write_snapshot``; ``overwrite`` replaces an existing one).

    The same seed and scale give byte-identical data files."""
    import pyarrow.compute as pc

    b = build(seed, scale)
    usage = _usage_table(b)
    models = _models_table(b)
    categories = _category_table(b, np.random.default_rng([seed, scale, 1]))
    segments = segment_table(b, np.random.default_rng([seed, scale, 2]))
    # providers are drawn per base model, from its whole tokens: the `:free` split changes none
    endpoints = sample_endpoints(
        models.filter(pc.invert(pc.ends_with(models["model_permaslug"], FREE_SUFFIX))), _usage_table(b, free=False),
        {r["author"]: r["lab_name"] for r in _labs_rows()}, end=END, fetched_on=END + dt.timedelta(days=1),
        seed=seed, scale=scale)
    del b
    return write_snapshot(
        Path(out_dir),
        usage=usage,
        models=models,
        labs=_labs_rows(),
        usage_by_category=categories,
        usage_by_segment=segments,
        model_endpoints=endpoints,
        source=f"synthetic sample (tokenshare sample --seed {seed} --scale {scale})",
        synthetic=True,
        as_of=AS_OF,
        start_date=START,
        end_date=END,
        extra_manifest={"generator": {"seed": seed, "scale": scale}, "tool_version": tokenshare.__version__},
        overwrite=overwrite,
    )
