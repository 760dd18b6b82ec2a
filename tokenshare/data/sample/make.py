"""Deterministic synthetic sample snapshot (``python -m tokenshare sample``).

The sample has the Data API's own shape (daily top-50 rows plus one ``other`` row) and
tells the public story in MARKET_FACTS.md. It is made as a fuller market first (476
models from 76 authors, most of them small: the long tail of Qwen, Meta, Mistral, Gemma
and Phi sizes, small labs such as Arcee AI, Ai2, Liquid or IBM Granite, community
fine-tunes) and only then cut as the API cuts it, so ``other`` is the real tail of that
market: about 4% of all tokens in January 2025, 8-14% a day from mid-2025 on. The story:
open-weight share of named volume rising from about 30% in early 2025 to 69.1% in the
last full week (2026-11-16 to 2026-11-22), one open-vs-closed crossing in 2026, and the
open-weight lead passing DeepSeek -> MiniMax / Moonshot (Kimi) -> Qwen -> Tencent ->
Xiaomi -> DeepSeek.

The models come from ``reference/sample_catalogue.csv`` (``sample_catalogue``). How
their volumes are made (``sample.volumes``; all numpy, vectorised over days x models):

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
5. Weekday rhythm (weekends ~20% lower), then integer tokens: the uncut market
   (``tokenshare.data.sample.market.uncut_market`` returns it, for tests).
6. The API's cut: ``:free`` variants split off some models' daily tokens as entries of
   their own (``sample.variants``; every model's daily total, base + free, stays as
   step 5 made it), and each day keeps its top ``50 * scale`` entries by tokens (ties
   broken on the permaslug); every other entry's tokens, summed, are the day's
   ``other`` row (nothing else is in it). Small labs drift across the cut: Arcee AI's
   first models (May 2025) stay below it until Trinity (January 2026), and by the last
   full week it is below the cut again with live models.

Floating point results may differ in the last bit between CPUs (SIMD ``exp``), so
token counts are quantised to a 10^5 grid before the low digits are filled in from the
integer random stream: the files are byte-identical for a seed and scale on any
machine, barring a one-in-a-billion rounding coincidence.

Two models publish their weights after launch (``sample.variants``).

This module turns the volumes into the snapshot's tables (usage, models, the weekly
category estimates, the segments of ``sample.segments``, the providers of
``sample_providers``) and writes them with ``write_snapshot``. Every list the API ranks
on its own (each segment, category and language type) is ranked here on the uncut market
with its own cut, so a model below the day's overall top 50 can be listed there.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

import tokenshare
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.layout import OTHER_PERMASLUG, Snapshot, read_labs_csv
from tokenshare.data.sample.segments import segment_table
from tokenshare.data.sample.extras import sample_extras
from tokenshare.data.sample.providers import sample_endpoints
from tokenshare.data.sample.variants import FREE_SUFFIX, FREE_VARIANTS, OPENED_LATER
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


def _usage_table(b: Built):
    """The Data API's rows: each day's top entries (a `:free` variant is an entry of its
    own) and one ``other`` row with every other entry's tokens (left out when zero)."""
    import pyarrow as pa

    days = sample_days()
    d_idx, e_idx = np.nonzero(b.top)
    o_idx = np.nonzero(b.other > 0)[0]
    slugs = b.entry_slug + [OTHER_PERMASLUG]
    slug_idx = np.concatenate([e_idx, np.full(len(o_idx), len(b.entry_slug))]).astype(np.int32)
    slug_col = pa.DictionaryArray.from_arrays(pa.array(slug_idx), pa.array(slugs, pa.string()))
    return pa.table({
        "date": pa.array(np.concatenate([days[d_idx], days[o_idx]]), pa.date32()),
        "model_permaslug": slug_col.cast(pa.string()),
        "total_tokens": pa.array(np.concatenate([b.entry_tokens[d_idx, e_idx], b.other[o_idx]]), pa.int64()),
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
    CATEGORY_TOP_N entries by their uncut tokens (each list its own cut, as the API's:
    an entry outside the day's top 50 can be listed)."""
    import pyarrow as pa

    days = sample_days()
    dow = (days.view("int64") - 4) % 7
    monday = days - dow.astype("timedelta64[D]")
    weeks, starts = np.unique(monday, return_index=True)
    n_weeks = len(weeks)
    bounds = list(starts) + [len(days)]
    n = b.entry_tokens.shape[1]
    weekly = np.empty((n_weeks, n), dtype=np.int64)
    for i in range(n_weeks):
        lo, hi = bounds[i], bounds[i + 1]
        weekly[i] = b.entry_tokens[lo:hi].sum(axis=0)
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
    mix = np.array([_KIND_MIX[x] for x in b.kind])[b.entry_base[m_idx]]
    # a sampled, up-sampled estimate: noisy, and not every token gets a category
    est = base[:, None] * mix * np.exp(rng.standard_normal((len(base), n_cat)) * 0.18) * 0.92
    # open-weight share of programming and roleplay moves between its start and end values
    span = max(1, int((weeks[-1] - weeks[0]).astype(np.int64)))
    frac = (weeks - weeks[0]).astype(np.int64) / span
    is_open = b.open_mask[b.entry_base[m_idx]]
    is_closed = b.closed_mask[b.entry_base[m_idx]]
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
    slugs = np.array(b.entry_slug, dtype=object)
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
    # providers, as `refresh --providers` picks them: the base models with ranked rows in
    # the last weeks (a model wholly below the cut then has none, as on real data)
    endpoints = sample_endpoints(
        models.filter(pc.invert(pc.ends_with(models["model_permaslug"], FREE_SUFFIX))), usage,
        {r["author"]: r["lab_name"] for r in _labs_rows()}, end=END, fetched_on=END + dt.timedelta(days=1),
        seed=seed, scale=scale)
    del b
    extra_tables, extras_record = sample_extras(models.to_pylist(), usage.to_pylist(), end=END, seed=seed, scale=scale)
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
        extra_manifest={"generator": {"seed": seed, "scale": scale}, "tool_version": tokenshare.__version__,
                        "extras": extras_record},
        extra_tables=extra_tables,
        overwrite=overwrite,
    )
