"""Every page query that takes the country, lab and date filters, checked another way:
the query filtered on the whole tiny snapshot returns what the same query returns
unfiltered on a snapshot that only ever had the filtered rows (built from tests/tiny.py
and tests/tiny_segments.py with the other models', or days', rows left out).

So a filter dropped from any one part of a query (a total, a denominator, a CTE) shows,
whatever the figure. A country or lab filter leaves out `other` and models without a lab
(tokenshare's rule), so the built snapshot has neither. Queries whose figures are of the
whole market by design (a focus against the market, a segment's leaders as a share of
the whole segment) are listed in MARKET_WIDE with the reason, and checked elsewhere."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.tiny import FIRST_DAY, LAST_DAY, MODELS, build_tiny_snapshot, tiny_usage
from tests.tiny_segments import segment_rows
from tokenshare.core import sql
from tokenshare.engine.db import SnapshotDB

S = 0.9375  # prompt share (15:1), as tests/analysis/test_providers.py
EXTRA = {
    "claims_movers": dict(breakdown="lab", grain="week"),
    "claims_week_launches": dict(openness="all"),
    "free_share_by_period": dict(grain="week"),
    "lab_ranks": dict(grain="week", scope="all"),
    "launch_impact": dict(openness="all"),
    "launch_markers": dict(openness="all", limit=50),
    "launches": dict(openness="all"),
    "leader_spells": dict(grain="week", scope="all"),
    "model_ranks": dict(grain="week", scope="all", top=50),
    "models_of_labs": dict(openness="all", limit=50),
    "open_share_by_period": dict(grain="week"),
    "segment_mix": dict(dimension="modality"),
    "segment_open_share": dict(dimension="modality", grain="week"),
    "share_by_series": dict(breakdown="model", grain="week", volume="named", openness="all", top=50,
                            share_of="selection"),
    "spend_by_series": dict(pricing="catalogue", rank_prompt_share=S, prompt_share=S, cached_share=0.0,
                            breakdown="model", openness="all", top=50),
    "spend_open_by_period": dict(pricing="catalogue", rank_prompt_share=S, prompt_share=S, cached_share=0.0,
                                 grain="week"),
    "unpriced_models": dict(openness="all"),
    "provider_endpoints": dict(openness="all", prompt_share=S),
}
MARKET_WIDE = {
    "focus_share_by_period": "the focus's share of the whole market (tests/engine/test_focus_queries.py)",
    "segment_leaders": "a lab's share of the whole segment (tests/engine/test_segment_filters.py)",
    "launches_before_data": "no date range; its country and lab filters are in the launches case",
    "value_models": "countries and labs mark the focus (in_focus), every model is kept "
                    "(tests/engine/test_value_queries.py)",
}
# Columns that are of the whole market by design (the filtered rows are still compared
# on every other column), and internal keys that depend on the models table's order.
MARKET_COLUMNS = {"claims_movers": {"share"}}
KEYS = {"model_key"}
# Launch figures read the data around each launch (weeks before and after), so a date
# range chooses the launches, not the days read; first_seen is the model's first day in
# all the data.
DATE_WIDE = {"claims_week_launches": "launches in range, data around them", "launch_impact": "the same",
             "launch_markers": "the same", "launches": "the same"}
DATE_COLUMNS = {"models_of_labs": {"first_seen"}}
FILTERED = sorted(q for q, p in ((q, sql.query_parameters(q)) for q in sql.query_paths())
                  if sql.query_kind(q) == "pages" and "countries" in p and q not in MARKET_WIDE)
US = {"openai", "arcee-ai"}  # tests/tiny.py's US labs (labs.csv)


def test_every_filtered_page_query_is_covered_here():
    assert set(FILTERED) == set(EXTRA), "a new page query with filters: add its parameters to EXTRA"


def _snapshot(path, keep_model=None, first=FIRST_DAY, last=LAST_DAY):
    """tests/tiny.py's snapshot (with tests/tiny_segments.py's segments) holding only the
    models ``keep_model`` keeps (every row, `other` included, when None) and the days in
    [first, last]."""
    models = [m for m in MODELS if keep_model is None or keep_model(m)]
    slugs = {m["model_permaslug"] for m in models}

    def kept(r):
        return (keep_model is None or r["model_permaslug"] in slugs) and first <= r["date"] <= last
    usage = [r for r in tiny_usage() if kept(r)]
    segs = [r for r in segment_rows() if kept(r)]
    return build_tiny_snapshot(path, usage=usage, models=models, usage_by_segment=segs,
                               start_date=min(r["date"] for r in usage), end_date=max(r["date"] for r in usage))


def _everything(path):
    return build_tiny_snapshot(path, usage_by_segment=segment_rows())


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    root = tmp_path_factory.mktemp("filters")
    d1, d2 = dt.date(2026, 1, 12), dt.date(2026, 1, 22)
    built = {
        "all": _everything(root / "all"),
        "US": _snapshot(root / "us", lambda m: m["author"] in US),
        "openai": _snapshot(root / "openai", lambda m: m["author"] == "openai"),
        # the date filter: every model, the days from a Monday to a Thursday
        "dates": _snapshot(root / "dates", None, d1, d2),
    }
    out = {k: SnapshotDB(s, derived=False) for k, s in built.items()}
    out["window"] = (d1, d2)
    yield out
    for k, db in out.items():
        if k != "window":
            db.close()


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(list(df.columns), ignore_index=True) if len(df) else df.reset_index(drop=True)


def _same(a: pd.DataFrame, b: pd.DataFrame, what: str, leave_out=frozenset()) -> None:
    drop = [c for c in a.columns if c in KEYS or c in leave_out]
    a, b = a.drop(columns=drop), b.drop(columns=drop)
    pd.testing.assert_frame_equal(_frame(a), _frame(b), check_dtype=False, check_exact=False, rtol=1e-12,
                                  obj=what)


@pytest.mark.parametrize("query", FILTERED)
def test_a_country_filter_equals_a_snapshot_of_that_country_only(dbs, query):
    p = dict(EXTRA[query], start=FIRST_DAY, end=LAST_DAY)
    filtered = dbs["all"].query(query, **p, countries=["US"], labs=[])
    built = dbs["US"].query(query, **p, countries=[], labs=[])
    assert len(built) > 0 or query in ("unpriced_models", "provider_endpoints", "launch_impact")
    _same(filtered, built, f"{query}, countries=[US]", MARKET_COLUMNS.get(query, set()))


@pytest.mark.parametrize("query", FILTERED)
def test_a_lab_filter_equals_a_snapshot_of_that_lab_only(dbs, query):
    p = dict(EXTRA[query], start=FIRST_DAY, end=LAST_DAY)
    _same(dbs["all"].query(query, **p, countries=[], labs=["openai"]),
          dbs["openai"].query(query, **p, countries=[], labs=[]), f"{query}, labs=[openai]",
          MARKET_COLUMNS.get(query, set()))


@pytest.mark.parametrize("query", [q for q in FILTERED if q not in DATE_WIDE])
def test_a_date_range_equals_a_snapshot_of_those_days_only(dbs, query):
    d1, d2 = dbs["window"]
    p = dict(EXTRA[query], countries=[], labs=[])
    _same(dbs["all"].query(query, **p, start=d1, end=d2),
          dbs["dates"].query(query, **p, start=d1, end=d2), f"{query}, {d1} to {d2}",
          DATE_COLUMNS.get(query, set()))
