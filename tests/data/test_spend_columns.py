"""The optional models.parquet columns for the spend estimate: the cache-read price (from
the catalogue's pricing.input_cache_read) and a per-model prompt share. Snapshots
without them still validate and read as NULL; bad values are refused."""

from __future__ import annotations

import csv

import pyarrow.parquet as pq
import pytest

from tokenshare.core.settings import SAMPLE_CATALOGUE, SAMPLE_DIR
from tokenshare.data.refresh.catalogue import model_row
from tokenshare.data.snapshot.layout import MODELS_FILE, SnapshotError
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.engine.db import SnapshotDB
from tests.tiny import MODELS, build_tiny_snapshot


def test_the_refresh_carries_the_cache_read_price():
    model = {"id": "anthropic/claude-sonnet-4", "name": "Claude Sonnet 4", "created": 1747872000,
             "pricing": {"prompt": "0.000003", "completion": "0.000015", "input_cache_read": "0.0000003"}}
    row = model_row("anthropic/claude-4-sonnet-20250522", model, [])
    assert row["price_input_cache_read_usd_per_mtok"] == pytest.approx(0.3)  # 0.0000003 x 1e6
    model["pricing"].pop("input_cache_read")
    assert model_row("anthropic/claude-4-sonnet-20250522", model, [])["price_input_cache_read_usd_per_mtok"] is None
    assert model_row("gone/model", None, [])["price_input_cache_read_usd_per_mtok"] is None


def test_a_snapshot_without_the_columns_validates_and_reads_null(tiny_snapshot, tiny_db):
    names = pq.read_schema(tiny_snapshot.path / MODELS_FILE).names
    assert "price_input_cache_read_usd_per_mtok" not in names and "prompt_token_share" not in names
    load_snapshot(tiny_snapshot.path, use_stamp=False)
    cur = tiny_db.cursor()
    try:
        rows = cur.execute("SELECT count(*), count(price_input_cache_read_usd_per_mtok), count(prompt_token_share) "
                           "FROM dim_model").fetchone()
    finally:
        cur.close()
    assert rows[0] > 0 and rows[1:] == (0, 0)


def _with(models_change):
    models = [dict(m) for m in MODELS]
    models_change(models)
    return models


@pytest.mark.parametrize("column,value,message", [
    ("prompt_token_share", 1.5, "is not a share from 0 to 1"),
    ("prompt_token_share", float("nan"), "is not a share from 0 to 1"),
    ("price_input_cache_read_usd_per_mtok", -0.1, "negative value -0.1"),
])
def test_bad_optional_values_are_refused(tmp_path, column, value, message):
    def change(models):
        for m in models:
            m.setdefault(column, None)
        models[0][column] = value
    with pytest.raises(SnapshotError, match=message) as err:
        build_tiny_snapshot(tmp_path / "bad", models=_with(change))
    assert err.value.column == column and err.value.file == MODELS_FILE


def test_good_optional_values_are_kept(tmp_path):
    def change(models):
        for m in models:
            m["price_input_cache_read_usd_per_mtok"] = None
            m["prompt_token_share"] = None
        models[0]["price_input_cache_read_usd_per_mtok"] = 0.03
        models[0]["prompt_token_share"] = 0.9
    snap = build_tiny_snapshot(tmp_path / "good", models=_with(change))
    db = SnapshotDB(snap)
    try:
        cur = db.cursor()
        got = cur.execute("SELECT price_input_cache_read_usd_per_mtok, prompt_token_share FROM dim_model "
                          "WHERE model_permaslug = ?", [MODELS[0]["model_permaslug"]]).fetchone()
        cur.close()
    finally:
        db.close()
    assert got == pytest.approx((0.03, 0.9))


def test_the_sample_prices_cache_reads_for_some_models():
    with open(SAMPLE_CATALOGUE, newline="", encoding="utf-8") as fh:
        expected = {r["permaslug"]: float(r["price_cache_read_usd_per_mtok"]) for r in csv.DictReader(fh)
                    if r["price_cache_read_usd_per_mtok"].strip() and r["weights"] != "R"}
    table = pq.read_table(SAMPLE_DIR / MODELS_FILE).to_pylist()
    got = {r["model_permaslug"]: r["price_input_cache_read_usd_per_mtok"] for r in table
           if r["price_input_cache_read_usd_per_mtok"] is not None}
    assert got == pytest.approx(expected)
    assert 0 < len(got) < len(table)  # some models, not all
    sonnet = next(r for r in table if r["model_permaslug"] == "anthropic/claude-4-sonnet-20250522")
    assert sonnet["price_input_cache_read_usd_per_mtok"] == pytest.approx(0.1 * sonnet["price_prompt_usd_per_mtok"])
    assert all(r["price_input_cache_read_usd_per_mtok"] < r["price_prompt_usd_per_mtok"] for r in table
               if r["price_input_cache_read_usd_per_mtok"] is not None)
