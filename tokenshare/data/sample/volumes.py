"""The sample's volumes: daily tokens for every model of the catalogue, and the day's
top rows (see ``tokenshare.data.sample.make`` for the story and the method).

``build(seed, scale)`` returns a ``Built``: the catalogue's columns for ``scale``
copies, the uncut (days x models) token counts, the same split into the API's entries
(each model, and its ``:free`` variant as an entry of its own), which entries are the
day's named rows (its top ``50 * scale``), and each day's ``other`` row: the sum of
every other entry. Everything is numpy, vectorised over days x models, and
deterministic: one random stream from ``seed``, drawn in a fixed order and in fixed
chunks, so the same seed and scale give the same integers on any machine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from tokenshare.data.sample.catalogue import Model, catalogue
from tokenshare.data.sample.variants import split_entries

START = dt.date(2025, 1, 1)
END = dt.date(2026, 11, 22)
HEADLINE_SHARE = 0.691
HEADLINE_WEEK = (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
TOP_N = 50
# tokens: counts are rounded to this grid so that every CPU gives the same integers
# (see tokenshare.data.sample.make)
QUANTUM = 100_000

# Market total tokens per day (weekly average level, `other` included): log-linear.
_TOTAL_KNOTS = (
    ("2025-01-01", 1.40e11), ("2025-03-01", 2.10e11), ("2025-05-01", 3.20e11),
    ("2025-07-01", 4.70e11), ("2025-09-01", 6.60e11), ("2025-11-25", 1.02e12),
    ("2026-02-12", 1.25e12), ("2026-05-01", 1.70e12), ("2026-08-01", 2.30e12),
    ("2026-11-22", 3.00e12),
)
# Open-weight share of all model volume (before the top-50 cut): logit-linear.
_OPEN_SHARE_KNOTS = (
    ("2025-01-01", 0.300), ("2025-04-01", 0.310), ("2025-07-01", 0.330),
    ("2025-10-01", 0.350), ("2025-11-15", 0.390), ("2025-12-20", 0.425),
    ("2026-01-20", 0.465), ("2026-02-12", 0.545), ("2026-03-01", 0.580),
    ("2026-04-01", 0.605),
    ("2026-07-01", 0.650), ("2026-11-22", 0.700),
)


# --------------------------------------------------------------------------- helpers


def sample_days() -> np.ndarray:
    """Every day of the sample, START to END."""
    return np.arange(np.datetime64(START), np.datetime64(END) + 1, dtype="datetime64[D]")


def _day_index(day: dt.date) -> int:
    return (day - START).days


def _interp_knots(knots, n_days: int, transform, inverse) -> np.ndarray:
    x = np.array([_day_index(dt.date.fromisoformat(d)) for d, _ in knots], dtype=np.float64)
    y = transform(np.array([v for _, v in knots], dtype=np.float64))
    return inverse(np.interp(np.arange(n_days, dtype=np.float64), x, y))


def _trailing_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last `window` values (fewer at the start) along axis 0."""
    pad = np.concatenate([np.zeros((1,) + x.shape[1:]), np.cumsum(x, axis=0)])
    idx = np.arange(x.shape[0])
    lo = np.maximum(idx + 1 - window, 0)
    width = (idx + 1 - lo).reshape((-1,) + (1,) * (x.ndim - 1))
    return (pad[idx + 1] - pad[lo]) / width


def _smooth(x: np.ndarray, window: int) -> np.ndarray:
    """Centred moving mean along axis 0, the window shrinking at the edges."""
    half = window // 2
    pad = np.concatenate([np.zeros((1,) + x.shape[1:]), np.cumsum(x, axis=0)])
    n = x.shape[0]
    idx = np.arange(n)
    lo = np.clip(idx - half, 0, n)
    hi = np.clip(idx + half + 1, 0, n)
    width = (hi - lo).reshape((-1,) + (1,) * (x.ndim - 1))
    return (pad[hi] - pad[lo]) / width


def _logit(p):
    return np.log(p / (1 - p))


def _expit(x):
    return 1 / (1 + np.exp(-x))


def _smoothstep(x):
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _base_curves(models: list[Model], n_days: int, rng) -> np.ndarray:
    """Launch curves, shape (days, models), before noise and rescaling."""
    n = len(models)
    launch = np.array([_day_index(m.released) for m in models], dtype=np.float64)
    # a steeper spread than the catalogue's numbers: fewer tokens in the long tail
    peak = np.array([m.peak for m in models]) ** 1.15
    # per-model shape parameters: fixed where the catalogue says, drawn otherwise
    plateau_draw = rng.uniform(0.62, 0.78, n)
    ramp_draw = rng.integers(3, 8, n)
    settle_draw = rng.uniform(14.0, 28.0, n)
    plateau = np.array([m.plateau if m.plateau is not None else plateau_draw[i] for i, m in enumerate(models)])
    ramp = np.array([m.ramp if m.ramp is not None else ramp_draw[i] for i, m in enumerate(models)], dtype=np.float64)
    # the next launch in the same family (same copy): start of the long slow decay
    successor = np.full(n, np.inf)
    by_family: dict[str, list[int]] = {}
    for i, m in enumerate(models):
        by_family.setdefault(m.family, []).append(i)
    for members in by_family.values():
        for i in members:
            later = [launch[j] for j in members if launch[j] > launch[i]]
            if later:
                successor[i] = min(later)
    end = np.array([_day_index(m.end) if m.end else n_days + 1 for m in models], dtype=np.float64)

    t = np.arange(n_days, dtype=np.float64)[:, None]
    d = t - launch[None, :]
    rise = _smoothstep((d + 1) / (ramp[None, :] + 1))
    after_peak = np.maximum(d - ramp[None, :], 0.0)
    settle = plateau + (1 - plateau) * np.exp(-after_peak / settle_draw[None, :])
    succ = np.exp(-np.maximum(t - successor[None, :], 0.0) / 75.0)
    ageing = np.exp(-np.maximum(d - 60.0, 0.0) / 260.0)
    curve = peak[None, :] * rise * settle * succ * ageing
    for i, m in enumerate(models):
        for day, factor in m.steps:
            s = _day_index(day)
            curve[:, i] *= 1 + (factor - 1) * _smoothstep((t[:, 0] - s + 1) / 3.0)
    live = (d >= 0) & (t <= end[None, :])
    return np.where(live, curve, 0.0)


def _wobble_knots(rng, n_weeks: int, n: int, sd: float, phi: float) -> np.ndarray:
    """A slow AR(1) wobble per model on a weekly grid, shape (weeks, models)."""
    knots = rng.standard_normal((n_weeks, n)) * (sd * np.sqrt(1 - phi * phi))
    knots[0] *= 1 / np.sqrt(1 - phi * phi)
    for k in range(1, n_weeks):
        knots[k] += phi * knots[k - 1]
    return knots


def _top_of_day(key: np.ndarray, top: int) -> np.ndarray:
    """Mask of the `top` largest keys per row (keys unique within a row; negative
    keys are not live and never kept)."""
    n = key.shape[1]
    if top >= n:
        return key >= 0
    kth = np.partition(key, n - top, axis=1)[:, n - top]
    return (key >= kth[:, None]) & (key >= 0)


@dataclass
class Built:
    """Every model of every copy (copy-major: copy k is columns k*nb .. (k+1)*nb-1)."""

    permaslug: list
    model_id: list
    name: list
    released: list
    weights: np.ndarray  # "O", "C", "N", "R"
    hf_id: list
    context: list
    price_in: list
    price_out: list
    price_cache: list
    kind: list
    tokens: np.ndarray  # (days, models) int64: each model's uncut daily total (free variant included), 0 where not live
    entry_slug: list  # the ranked entries: every model, then each `:free` variant
    entry_base: np.ndarray  # (entries,) the model column of each entry
    entry_tokens: np.ndarray  # (days, entries) int64: the uncut market per entry (paid and free apart)
    top: np.ndarray  # (days, entries) bool: the day's named rows (the top 50 entries)
    other: np.ndarray  # (days,) int64: the tokens of every entry outside the day's top
    closed_factor: float

    @property
    def open_mask(self) -> np.ndarray:
        return self.weights == "O"

    @property
    def closed_mask(self) -> np.ndarray:
        return self.weights == "C"

    def alpha_rank(self) -> np.ndarray:
        """Rank of each entry's permaslug in alphabetical (code point) order."""
        order = np.argsort(np.array(self.entry_slug), kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank


def _copy_columns(base: list[Model], scale: int) -> dict:
    """Catalogue columns for `scale` copies: copy 0 as is, copy k with -s{k} suffixes."""
    cols: dict[str, list] = {k: [] for k in (
        "permaslug", "model_id", "name", "released", "weights", "hf_id", "context",
        "price_in", "price_out", "price_cache", "kind",
    )}
    for k in range(scale):
        sfx = f"-s{k}" if k else ""
        cols["permaslug"] += [m.permaslug + sfx for m in base]
        cols["model_id"] += [m.model_id + sfx for m in base]
        cols["name"] += [f"{m.name} (s{k})" if k else m.name for m in base]
        cols["hf_id"] += [None if m.hf_id is None else m.hf_id + sfx for m in base]
        for key, attr in (("released", "released"), ("weights", "weights"), ("context", "context"),
                          ("price_in", "price_in"), ("price_out", "price_out"), ("price_cache", "price_cache"),
                          ("kind", "kind")):
            cols[key] += [getattr(m, attr) for m in base]
    cols["weights"] = np.array(cols["weights"])
    return cols


_CHUNK = 32  # days per chunk in the big passes (fixed: the random streams depend on it)


def build(seed: int, scale: int) -> Built:
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = np.random.default_rng(seed)
    days = sample_days()
    n_days = len(days)
    base = catalogue()
    nb = len(base)
    n = nb * scale
    cols = _copy_columns(base, scale)
    weights = cols["weights"]
    open_mask = weights == "O"
    closed_mask = weights == "C"
    # copy volume factors: copy 0 = 1, others log-normal; mean 1, then shared by K copies
    copy_factor = np.ones(scale)
    if scale > 1:
        copy_factor[1:] = np.exp(rng.standard_normal(scale - 1) * 0.35)
    copy_factor = copy_factor / copy_factor.mean() / scale

    curves = _base_curves(base, n_days, rng)  # (days, base models)
    base_live = curves > 0

    # raw volume = curve x copy factor x exp(slow wobble + daily scatter)
    n_weeks = n_days // 7 + 2
    wob = _wobble_knots(rng, n_weeks, n, sd=0.06, phi=0.56)
    raw = np.empty((n_days, n))
    for a in range(0, n_days, _CHUNK):
        b = min(a + _CHUNK, n_days)
        pos = np.arange(a, b) / 7.0
        k = np.floor(pos).astype(np.int64)
        w = (pos - k)[:, None]
        ln = wob[k] * (1 - w) + wob[k + 1] * w
        ln += rng.standard_normal((b - a, n), dtype=np.float32) * np.float32(0.045)
        np.exp(ln, out=ln)
        ln.reshape(b - a, scale, nb)[:] *= curves[a:b, None, :] * copy_factor[None, :, None]
        raw[a:b] = ln
    del wob

    total = _interp_knots(_TOTAL_KNOTS, n_days, np.log, np.exp)
    share = _interp_knots(_OPEN_SHARE_KNOTS, n_days, _logit, _expit)
    total = _smooth(total[:, None], 15)[:, 0]
    share = _smooth(share[:, None], 15)[:, 0]
    modelled = total  # every token belongs to a catalogue model: the tail is the small models

    open_raw = raw @ open_mask.astype(np.float64)
    rest_raw = raw @ (~open_mask).astype(np.float64)  # closed, unknown and retired
    # launches lift a pool above its own 4-week trailing mean for a while: the split
    # between the pools moves with them, the market total stays on its knots
    open_pull = share * open_raw / _trailing_mean(open_raw, 28)
    rest_pull = (1 - share) * rest_raw / _trailing_mean(rest_raw, 28)
    split = open_pull / (open_pull + rest_pull)
    open_factor = split * modelled / open_raw
    rest_factor = (1 - split) * modelled / rest_raw

    dow = (days.view("int64") - 4) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    weekday_factor = np.where(dow >= 5, 0.8, 1.0) * (7 / 6.6)  # weekends 20% lower, mean 1
    day_factor = weekday_factor * np.exp(rng.standard_normal(n_days) * 0.02)

    # calibration: closed volume times (1 + (c - 1) * ramp), the ramp going 0 -> 1
    # over the six weeks before the headline week and flat through it
    w0, w1 = _day_index(HEADLINE_WEEK[0]), _day_index(HEADLINE_WEEK[1])
    ramp = _smoothstep((np.arange(n_days) - (w0 - 42)) / 42.0)
    top_n = TOP_N * scale

    def volumes(a: int, b: int, c: float) -> np.ndarray:
        f_rest = rest_factor[a:b] * (1 + (c - 1) * ramp[a:b])
        f = np.where(open_mask[None, :], open_factor[a:b, None], f_rest[:, None])
        f *= day_factor[a:b, None]
        return raw[a:b] * f

    def live_rows(a: int, b: int) -> np.ndarray:
        return np.broadcast_to(base_live[a:b, None, :], (b - a, scale, nb)).reshape(b - a, n)

    # the ranked entries: every model, plus its `:free` variant as an entry of its own
    perms = cols["permaslug"]
    _, _, free_slugs, free_base = split_entries(days[:1], np.zeros((1, n)), perms)
    entry_slug = perms + free_slugs
    entry_base = np.concatenate([np.arange(n), free_base]).astype(np.int64)
    n_e = len(entry_slug)
    e_open = open_mask[entry_base]
    e_closed = closed_mask[entry_base]

    def entries(a: int, b: int, v: np.ndarray) -> np.ndarray:
        paid, free, _, _ = split_entries(days[a:b], v, perms, day0=a)
        return np.concatenate([paid, free], axis=1)

    # fixed-point steps on c (a fixed count, so every machine takes the same path);
    # each step re-ranks the week's top entries, since c moves models across the cut
    target_ratio = (1 - HEADLINE_SHARE) / HEADLINE_SHARE  # closed / open
    c = 1.0
    for _ in range(6):
        v = entries(w0, w1 + 1, volumes(w0, w1 + 1, c))
        live = live_rows(w0, w1 + 1)[:, entry_base] & (v > 0)
        top = _top_of_day(np.where(live, v, -1.0), top_n)
        o = (v * (top & e_open[None, :])).sum()
        cl = (v * (top & e_closed[None, :])).sum()
        c = c * target_ratio * o / cl

    # integer tokens, quantised (machine independent) with low digits from the integer
    # stream; each day's top entries by tokens, ties impossible: the key appends the
    # permaslug's reverse alphabetical rank
    alpha = np.empty(n_e, dtype=np.int64)
    alpha[np.argsort(np.array(entry_slug), kind="stable")] = np.arange(n_e)
    tiebreak = (n_e - 1 - alpha)
    tokens = np.empty((n_days, n), dtype=np.int64)
    entry_tokens = np.empty((n_days, n_e), dtype=np.int64)
    top = np.empty((n_days, n_e), dtype=bool)
    for a in range(0, n_days, _CHUNK):
        b = min(a + _CHUNK, n_days)
        v = volumes(a, b, c)
        live = live_rows(a, b)
        tok = np.floor(v / QUANTUM).astype(np.int64)
        tok *= QUANTUM
        tok += rng.integers(0, QUANTUM, size=tok.shape, dtype=np.int64)
        tok[~live] = 0
        if tok.max() >= (1 << 62) // n_e:
            raise OverflowError("token counts too large for the ranking key")
        e_tok = entries(a, b, tok)
        key = e_tok * n_e + tiebreak
        key[(e_tok <= 0) | ~live[:, entry_base]] = -1
        tokens[a:b] = tok
        entry_tokens[a:b] = e_tok
        top[a:b] = _top_of_day(key, top_n)
    del raw
    # the API's `other`: every entry outside the day's top, summed (nothing else)
    other = entry_tokens.sum(axis=1) - (entry_tokens * top).sum(axis=1)
    return Built(tokens=tokens, entry_slug=entry_slug, entry_base=entry_base, entry_tokens=entry_tokens,
                 top=top, other=other, closed_factor=float(c), **cols)
