"""The Spend page's assumptions and their sources: ``reference/spend_assumptions.toml``.

The usage data counts prompt + completion tokens together, so a dollar estimate needs
an assumed prompt:completion split and an assumed share of prompt tokens read from a
cache. Both defaults, and the range the page's sensitivity covers, come from that file,
where each is derived from published figures that it cites (title, URL, date, what the
figure measures, the quote). Read with the standard library only."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tokenshare.core.settings import SPEND_ASSUMPTIONS

SOURCE_FIELDS = ("id", "title", "url", "published", "measures", "location", "quote", "figure", "used_for")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    published: str
    measures: str
    location: str
    quote: str
    figure: str
    used_for: str
    note: str = ""


@dataclass(frozen=True)
class SpendAssumptions:
    split_default: str  # "15:1"
    split_low: str
    split_high: str
    split_derivation: str
    cached_default: float  # share of prompt tokens read from cache, 0-1
    cached_low: float
    cached_high: float
    cached_derivation: str
    sources: tuple[Source, ...]


def ratio(split: str) -> float:
    """'15:1' -> 15.0 prompt tokens per completion token."""
    p, c = (float(x) for x in split.split(":"))
    if p <= 0 or c <= 0:
        raise ValueError(f"split {split!r}: both sides must be positive")
    return p / c


def _share(value, what: str, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"{path.name}: {what} must be a number from 0 to 1, got {value!r}")
    return float(value)


@lru_cache(maxsize=4)
def load(path: Path = SPEND_ASSUMPTIONS) -> SpendAssumptions:
    """Read and check the file (a ValueError names what is wrong)."""
    path = Path(path)
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    split, cached = doc["split"], doc["cached"]
    for key in ("default", "low", "high"):
        ratio(split[key])
    if not ratio(split["low"]) <= ratio(split["default"]) <= ratio(split["high"]):
        raise ValueError(f"{path.name}: split default must lie between low and high")
    c = {k: _share(cached[k], f"cached.{k}", path) for k in ("default", "low", "high")}
    if not c["low"] <= c["default"] <= c["high"]:
        raise ValueError(f"{path.name}: cached default must lie between low and high")
    sources = []
    for rec in doc.get("source", []):
        missing = [f for f in SOURCE_FIELDS if not str(rec.get(f, "")).strip()]
        if missing:
            raise ValueError(f"{path.name}: source {rec.get('id', '?')!r} lacks {missing}")
        sources.append(Source(**{f: str(rec[f]) for f in SOURCE_FIELDS}, note=str(rec.get("note", ""))))
    if not sources:
        raise ValueError(f"{path.name}: no [[source]]: every assumption needs its evidence")
    return SpendAssumptions(
        split_default=split["default"], split_low=split["low"], split_high=split["high"],
        split_derivation=split["derivation"].strip(),
        cached_default=c["default"], cached_low=c["low"], cached_high=c["high"],
        cached_derivation=cached["derivation"].strip(), sources=tuple(sources),
    )
