"""The sample's uncut market: every model's tokens every day, before the Data API's cut.

``sample_data/`` holds what the Data API would return for the synthetic market: each
day's top 50 entries and one ``other`` row. The market behind it (``uncut_market``) is
the ground truth the cut hides: tests use it to check that the snapshot's ``other`` is
exactly the tokens of the entries absent that day, and that every bound the app states
for a model, lab or country below the cut contains the true value.

An *entry* is what the API ranks: a model's own permaslug, or its ``:free`` variant (a
separate entry with its own tokens, ``tokenshare.data.sample.variants``). The uncut
table holds every entry-day with tokens; an entry without a row on a day had none (it
was not live: before its launch, after its end, or outside its free window).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tokenshare.data.sample.volumes import Built, build, sample_days


@dataclass(frozen=True)
class UncutMarket:
    """``usage``: date, model_permaslug, total_tokens (BIGINT > 0): every live entry-day
    of the market, ranked or not (no ``other`` row). ``catalogue``: one row per entry:
    model_permaslug, base_permaslug (the model a ``:free`` entry belongs to, else itself),
    author, released_at, weights (``O`` open, ``C`` closed, ``N`` unknown, ``R`` retired:
    in usage, not in models.parquet), in_models (whether models.parquet lists it)."""

    usage: object  # pyarrow.Table
    catalogue: object  # pyarrow.Table


def uncut_tables(b: Built) -> UncutMarket:
    """The uncut market of a built sample (see ``uncut_market``)."""
    import pyarrow as pa

    days = sample_days()
    d_idx, e_idx = np.nonzero(b.entry_tokens > 0)
    slugs = pa.DictionaryArray.from_arrays(pa.array(e_idx.astype(np.int32)), pa.array(b.entry_slug, pa.string()))
    usage = pa.table({
        "date": pa.array(days[d_idx], pa.date32()),
        "model_permaslug": slugs.cast(pa.string()),
        "total_tokens": pa.array(b.entry_tokens[d_idx, e_idx], pa.int64()),
    })
    base = [b.permaslug[i] for i in b.entry_base]
    weights = [str(b.weights[i]) for i in b.entry_base]
    catalogue = pa.table({
        "model_permaslug": pa.array(b.entry_slug, pa.string()),
        "base_permaslug": pa.array(base, pa.string()),
        "author": pa.array([s.split("/", 1)[0] for s in b.entry_slug], pa.string()),
        "released_at": pa.array([b.released[i] for i in b.entry_base], pa.date32()),
        "weights": pa.array(weights, pa.string()),
        "in_models": pa.array([w != "R" for w in weights], pa.bool_()),
    })
    return UncutMarket(usage=usage, catalogue=catalogue)


def uncut_market(seed: int = 42, scale: int = 1) -> UncutMarket:
    """The uncut daily market behind ``generate_sample(out, seed, scale)``: the same
    numbers (deterministic from the seed and scale), before the top-50 cut."""
    return uncut_tables(build(seed, scale))
