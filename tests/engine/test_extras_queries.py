"""The task split's and the Apps page's named queries (task_model_shares,
app_ranking_options, app_ranking_history) on the tiny snapshot with a task table and app
rankings (tests/tiny_extras.py), checked against its rows by hand: openness from the
catalogue (DeepSeek V3 and Qwen3 open, GPT-5 and Mistral Medium closed, acme/unknown no
model: NULL), windows and fetches picked by their last day, tokens per request."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.tiny import MODELS, build_tiny_snapshot
from tests.tiny_extras import DELTA, OPENED, build_extras_snapshot, task
from tokenshare.data.snapshot.extra_tables import TASKS_FILE
from tokenshare.engine.db import SnapshotDB

D = dt.date


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = SnapshotDB(build_extras_snapshot(tmp_path_factory.mktemp("extras-q") / "snap"), derived=False)
    yield d
    d.close()


def test_task_model_shares(db):
    rows = db.query("task_model_shares", start=D(2026, 1, 5), end=D(2026, 1, 27))
    assert len(rows) == 9
    w1 = rows[rows["window_end"].dt.date == D(2026, 1, 18)].set_index("model_rank")
    gen = w1[w1["tag"] == "code:gen"]
    assert list(gen["openness"].fillna("none")) == ["open", "closed", "none"]
    assert list(gen["model_name"]) == ["DeepSeek: V3", "OpenAI: GPT-5", "acme/unknown"]
    rp = rows[rows["tag"] == "chat:rp"]
    assert len(rp) == 1 and rp["model_rank"].iloc[0] == 0 and rp["openness"].isna().all()
    later = db.query("task_model_shares", start=D(2026, 1, 19), end=D(2026, 1, 27))
    assert set(later["window_end"].dt.date) == {D(2026, 1, 25)} and len(later) == 4
    assert list(later.sort_values(["tag", "model_rank"])["openness"]) == ["closed", "open", "open", "closed"]


def test_app_ranking_options_and_history(db):
    opts = db.query("app_ranking_options", start=D(2026, 1, 5), end=D(2026, 1, 27))
    got = {(r.sort, r.category, r.subcategory): r.fetches for r in opts.itertuples()}
    assert got == {("popular", "", ""): 2, ("popular", "coding", ""): 1, ("trending", "", ""): 1}
    hist = db.query("app_ranking_history", start=D(2026, 1, 5), end=D(2026, 1, 27), sort="popular", category="",
                    subcategory="")
    assert len(hist) == 6
    last = hist[hist["end_date"].dt.date == D(2026, 1, 27)]
    assert list(last["app_name"]) == ["Beta", "Alpha", DELTA]
    assert list(last["tokens_per_request"]) == [20.0, 50.0, 10.0]
    only_last = db.query("app_ranking_history", start=D(2026, 1, 21), end=D(2026, 1, 27), sort="popular",
                         category="", subcategory="")
    assert len(only_last) == 3
    none = db.query("app_ranking_history", start=D(2026, 1, 5), end=D(2026, 1, 27), sort="popular",
                    category="coding' OR '1'='1", subcategory="")
    assert none.empty, "a bound value, never SQL"
    assert not math.isnan(hist["tokens_per_request"].iloc[0])


def test_task_openness_is_the_one_in_force_over_each_window(tmp_path):
    """DeepSeek V3's weights published 2026-01-19, Qwen3's 2026-01-20 (tests/tiny_extras.py
    OPENED): the window 01-12..01-18 ends before DeepSeek opened (closed), the window
    01-19..01-25 starts on its day (open) and Qwen3 opened a day into it (closed);
    GPT-5 and Mistral Medium stay closed, acme/unknown NULL."""
    d = SnapshotDB(build_extras_snapshot(tmp_path / "snap", opened=OPENED), derived=False)
    try:
        rows = d.query("task_model_shares", start=D(2026, 1, 5), end=D(2026, 1, 27))
    finally:
        d.close()
    rows = rows.astype({"openness": object, "openness_now": object}).fillna({"openness": "none", "openness_now": "none"})
    got = {(r.window_end.date(), r.model_permaslug): (r.openness, r.openness_now)
           for r in rows.itertuples() if r.model_rank > 0}
    assert got == {
        (D(2026, 1, 18), "deepseek/deepseek-v3"): ("closed", "open"),
        (D(2026, 1, 18), "openai/gpt-5"): ("closed", "closed"),
        (D(2026, 1, 18), "acme/unknown"): ("none", "none"),
        (D(2026, 1, 18), "mistralai/mistral-medium"): ("closed", "closed"),
        (D(2026, 1, 25), "deepseek/deepseek-v3"): ("open", "open"),
        (D(2026, 1, 25), "openai/gpt-5"): ("closed", "closed"),
        (D(2026, 1, 25), "mistralai/mistral-medium"): ("closed", "closed"),
        (D(2026, 1, 25), "qwen/qwen3-235b"): ("closed", "open"),
    }


def test_a_task_model_listed_by_its_catalogue_id_is_matched_to_that_model(tmp_path):
    """Mistral Medium's catalogue id differs from its permaslug here
    (mistralai/mistral-medium-3); the task list names it by that id. By hand: the row is
    Mistral Medium's (name "Mistral: Medium", closed), not any other named model's, and a
    model listed by its permaslug is still its own."""
    models = [dict(m, model_id="mistralai/mistral-medium-3") if m["model_permaslug"] == "mistralai/mistral-medium"
              else m for m in MODELS]
    rows = [task(D(2026, 1, 18), "code:debug", 0.2, 1, "mistralai/mistral-medium-3", 0.4),
            task(D(2026, 1, 18), "code:debug", 0.2, 2, "qwen/qwen3-235b", 0.1)]
    d = SnapshotDB(build_tiny_snapshot(tmp_path / "snap", models=models, extra_tables={TASKS_FILE: rows}),
                   derived=False)
    try:
        got = d.query("task_model_shares", start=D(2026, 1, 5), end=D(2026, 1, 27))
    finally:
        d.close()
    assert [(r.model_permaslug, r.model_name, r.openness) for r in got.itertuples()] == [
        ("mistralai/mistral-medium-3", "Mistral: Medium", "closed"), ("qwen/qwen3-235b", "Qwen: Qwen3 235B", "open")]


def test_a_task_model_without_a_known_openness_is_not_matched(tmp_path):
    """retired/old-model has usage but no catalogue row (openness unclassified), and
    "other" is the cut's bucket: neither is a named model, so by hand a task row listing
    either has no openness (NULL: the page counts it, never guesses) and keeps its slug
    as its name, like acme/unknown."""
    rows = [task(D(2026, 1, 18), "code:debug", 0.2, 1, "retired/old-model", 0.4),
            task(D(2026, 1, 18), "code:debug", 0.2, 2, "other", 0.1)]
    d = SnapshotDB(build_tiny_snapshot(tmp_path / "snap", extra_tables={TASKS_FILE: rows}), derived=False)
    try:
        got = d.query("task_model_shares", start=D(2026, 1, 5), end=D(2026, 1, 27))
    finally:
        d.close()
    assert [(r.model_permaslug, r.model_name) for r in got.itertuples()] == [
        ("retired/old-model", "retired/old-model"), ("other", "other")]
    assert got["openness"].isna().all() and got["openness_now"].isna().all()
