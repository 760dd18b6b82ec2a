"""The sample's model catalogue: ``reference/sample_catalogue.csv``, one row per model.

Columns: ``permaslug``, ``model_id``, ``name``, ``released`` (YYYY-MM-DD), ``weights``,
``hugging_face_id``, ``context_length``, ``price_prompt_usd_per_mtok``,
``price_completion_usd_per_mtok`` (USD per million tokens), ``family``, ``peak``,
``kind``, ``extras``, and optionally ``price_cache_read_usd_per_mtok`` (the price of a
prompt token read from cache, set for the labs whose APIs bill cache reads: a tenth to
a half of the prompt price). An empty cell is empty (no hugging face id, no price).

- ``weights``: O open, C closed, N unknown (open_weights NULL), R retired (in usage,
  not in models.parquet). An open model without a hugging face id is classified open
  by override.
- ``family``: models of one family succeed each other (a launch starts the long slow
  decay of the family's earlier models).
- ``peak``: relative to the other models of the same pool (open-weight vs the rest).
- ``kind``: code, gen, rp or small: the model's category mix.
- ``extras``: space-separated ``q=`` plateau fraction, ``r=`` ramp days, ``end=`` last
  day live, ``step=YYYY-MM-DD:factor`` (a change of level, e.g. a free promotion ending).

The rows' order matters: the generator draws its random numbers in it, so reordering
the file changes the sample.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tokenshare.core.settings import SAMPLE_CATALOGUE

COLUMNS = (
    "permaslug", "model_id", "name", "released", "weights", "hugging_face_id", "context_length",
    "price_prompt_usd_per_mtok", "price_completion_usd_per_mtok", "family", "peak", "kind", "extras",
)


@dataclass(frozen=True)
class Model:
    permaslug: str
    model_id: str
    name: str
    released: dt.date
    weights: str  # O, C, N, R
    hf_id: str | None
    context: int
    price_in: float | None
    price_out: float | None
    family: str
    peak: float
    kind: str
    plateau: float | None = None
    ramp: int | None = None
    end: dt.date | None = None
    steps: tuple = ()
    price_cache: float | None = None  # USD per million cached prompt tokens; None: no cache price


def _opt(text: str) -> str | None:
    text = text.strip()
    return None if text in ("", "-") else text


def _price(text: str) -> float | None:
    text = _opt(text)
    return None if text is None else float(text)


def catalogue(path: Path = SAMPLE_CATALOGUE) -> list[Model]:
    """The scale-1 catalogue, in file order."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{Path(path).name}: missing columns {missing}")
        return [_model(rec, lineno, Path(path).name) for lineno, rec in enumerate(reader, start=2)]


def _model(rec: dict, lineno: int, fname: str) -> Model:
    if None in rec or any(rec[c] is None for c in COLUMNS):
        raise ValueError(f"{fname} line {lineno}: expected {len(COLUMNS)} columns")
    extras = {}
    steps = []
    for item in rec["extras"].split():
        key, _, value = item.partition("=")
        if key == "step":
            day, _, factor = value.partition(":")
            steps.append((dt.date.fromisoformat(day), float(factor)))
        else:
            extras[key] = value
    return Model(
        permaslug=rec["permaslug"].strip(),
        model_id=rec["model_id"].strip(),
        name=rec["name"].strip(),
        released=dt.date.fromisoformat(rec["released"].strip()),
        weights=rec["weights"].strip(),
        hf_id=_opt(rec["hugging_face_id"]),
        context=int(rec["context_length"]),
        price_in=_price(rec["price_prompt_usd_per_mtok"]),
        price_out=_price(rec["price_completion_usd_per_mtok"]),
        family=rec["family"].strip(),
        peak=float(rec["peak"]),
        kind=rec["kind"].strip(),
        plateau=float(extras["q"]) if "q" in extras else None,
        ramp=int(extras["r"]) if "r" in extras else None,
        end=dt.date.fromisoformat(extras["end"]) if "end" in extras else None,
        steps=tuple(steps),
        price_cache=_price(rec.get("price_cache_read_usd_per_mtok") or ""),
    )
