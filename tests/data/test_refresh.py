"""The refresh pipeline end to end against a real HTTP server on 127.0.0.1.

Fixture bodies (tests/fixtures/openrouter/), per day:

rankings-daily-2025-01-01_2025-01-07.json (as_of 2025-01-08T02:00:00Z), every day:
  anthropic/claude-3.5-sonnet-20241022 500000 (closed: no hugging_face_id)
  deepseek/deepseek-chat-v3           400000 (open: hugging_face_id)
  google/gemini-2.0-flash-001         300000 (closed: override google/gemini*)
  meta-llama/llama-3.3-70b-instruct   200000 (open: override meta-llama/llama*)
  newlab/mystery-model-7b              50000 (not in the catalogue: unclassified)
  other                               100000
rankings-daily-2025-01-08_2025-01-14.json (as_of 2025-01-15T02:00:00Z), every day:
  anthropic/claude-3.5-sonnet-20241022 600000 (closed)
  deepseek/deepseek-chat-v3           450000 (open)
  google/gemini-2.0-flash-001         300000 (closed)
  google/gemma-3-27b-it               150000 (open: override google/gemma*; no hf id)
  qwen/qwen-plus-2025-01-25           120000 (closed: date suffix -> qwen/qwen-plus; override)
  openai/gpt-oss-120b                 100000 (open)
  newlab/mystery-model-7b              50000 (unclassified)
  other                               200000
rankings-daily-2025-01-12_2025-01-15.json (as_of 2025-01-16T02:00:00Z): the same as the
  second body, except claude on 2025-01-13 restated to 650000; adds 2025-01-15.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import io
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402

from tests.conftest_openrouter import refresh_with, _no_ambient_key, make_client, server, tree_digest  # noqa: E402,F401
from tests.openrouter_server import API_KEY, DAILY_DAY_LATER, FIXTURES  # noqa: E402
from tokenshare.core.settings import shown_path
from tokenshare import __version__  # noqa: E402
from tokenshare.data.refresh import cli as refresh_cli
from tokenshare.data.snapshot.layout import CATEGORY_FILE, LABS_FILE, MODELS_FILE, USAGE_FILE, read_labs_csv  # noqa: E402
from tokenshare.data.published.locate import candidate_snapshots  # noqa: E402
from tokenshare.data.snapshot.validate import load_snapshot  # noqa: E402
from tokenshare.data.refresh.catalogue import (  # noqa: E402
    Catalogue,
    build_labs,
    classify_open_weights,
    load_overrides,
    strip_date_suffix,
)
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh  # noqa: E402
from tokenshare.data.refresh.plan import date_windows  # noqa: E402
from tokenshare.data.refresh.progress import RefreshInterrupted  # noqa: E402
from tokenshare.data.refresh.errors import RefreshError

D = dt.date
T0 = dt.datetime(2025, 1, 15, 3, 0, 0, tzinfo=dt.timezone.utc)
BODY_A = FIXTURES / "rankings-daily-2025-01-01_2025-01-07.json"
BODY_B = FIXTURES / "rankings-daily-2025-01-08_2025-01-14.json"
MODELS = FIXTURES / "models.json"


def refresh(server, out, *, today=D(2025, 1, 15), now=T0, client=None, **kw):
    kw.setdefault("window_days", 7)
    return refresh_with(out, today=today, now=now, client=client or make_client(server), **kw)


def rows(path: Path, name: str = USAGE_FILE) -> list[dict]:
    return pq.read_table(path / name).to_pylist()


def tokens_on(path: Path, day: D, slug: str) -> int:
    return next(r["total_tokens"] for r in rows(path) if r["date"] == day and r["model_permaslug"] == slug)


def open_share(path: Path, first: D, last: D) -> float:
    """open / (open + closed) over [first, last], leaving out `other` and unclassified
    models (open_weights NULL), computed with plain Python from the snapshot files."""
    ow = {m["model_permaslug"]: m["open_weights"] for m in rows(path, MODELS_FILE)}
    opened = closed = 0
    for r in rows(path):
        if not first <= r["date"] <= last or r["model_permaslug"] == "other":
            continue
        flag = ow[r["model_permaslug"]]
        if flag is True:
            opened += r["total_tokens"]
        elif flag is False:
            closed += r["total_tokens"]
    return opened / (opened + closed)


# --------------------------------------------------------------------------- end to end


def test_end_to_end_refresh_open_weight_share(server, tmp_path):
    out = tmp_path / "snapshots"
    progress = []
    result = refresh(server, out, progress=lambda *a: progress.append(a))

    assert server.day_windows() == [("2025-01-01", "2025-01-07"), ("2025-01-08", "2025-01-14")]
    s = load_snapshot(result.path)
    assert s.path.name == "2025-01-15T030000Z" and s.path.parent == out
    assert (s.start_date, s.end_date) == (D(2025, 1, 1), D(2025, 1, 14))
    assert s.as_of == "2025-01-15T02:00:00Z"
    assert s.citation == "Source: OpenRouter (openrouter.ai/rankings), as of 2025-01-15 02:00 UTC."
    assert not s.synthetic and s.source == "openrouter"

    # Hand computation for the ISO week Mon 2025-01-06 .. Sun 2025-01-12, from the bodies:
    #   2 days (06, 07) of the first body, 5 days (08..12) of the second.
    #   open   = 2 * (deepseek 400000 + llama 200000)
    #          + 5 * (deepseek 450000 + gemma 150000 + gpt-oss 100000)
    #          = 2 * 600000 + 5 * 700000 = 1,200,000 + 3,500,000 = 4,700,000
    #   closed = 2 * (claude 500000 + gemini 300000)
    #          + 5 * (claude 600000 + gemini 300000 + qwen-plus 120000)
    #          = 2 * 800000 + 5 * 1,020,000 = 1,600,000 + 5,100,000 = 6,700,000
    #   (newlab/mystery-model-7b is unclassified and `other` is the tail: both left out)
    #   share  = 4,700,000 / 11,400,000 = 47/114 = 0.41228...
    assert open_share(s.path, D(2025, 1, 6), D(2025, 1, 12)) == pytest.approx(float(Fraction(47, 114)))

    usage = rows(s.path)
    assert len(usage) == 7 * 6 + 7 * 8
    models = {m["model_permaslug"]: m for m in rows(s.path, MODELS_FILE)}
    assert "other" not in models
    assert set(models) == {r["model_permaslug"] for r in usage} - {"other"}
    claude = models["anthropic/claude-3.5-sonnet-20241022"]
    assert claude["model_id"] == "anthropic/claude-3.5-sonnet"
    assert (claude["open_weights"], claude["open_weights_basis"]) == (False, "hugging_face_id")
    assert claude["released_at"] == D(2024, 10, 22)
    assert claude["price_prompt_usd_per_mtok"] == pytest.approx(3.0)
    assert claude["price_completion_usd_per_mtok"] == pytest.approx(15.0)
    assert claude["context_length"] == 200000
    ds = models["deepseek/deepseek-chat-v3"]
    assert ds["model_id"] == "deepseek/deepseek-chat"  # not the :free variant
    assert (ds["open_weights"], ds["open_weights_basis"], ds["hugging_face_id"]) == (True, "hugging_face_id", "deepseek-ai/DeepSeek-V3")
    assert ds["price_prompt_usd_per_mtok"] == pytest.approx(0.49)
    assert (models["google/gemma-3-27b-it"]["open_weights"], models["google/gemma-3-27b-it"]["open_weights_basis"]) == (True, "override")
    assert models["google/gemini-2.0-flash-001"]["open_weights"] is False
    qp = models["qwen/qwen-plus-2025-01-25"]
    assert (qp["model_id"], qp["open_weights"], qp["open_weights_basis"]) == ("qwen/qwen-plus", False, "override")
    mystery = models["newlab/mystery-model-7b"]
    assert (mystery["author"], mystery["open_weights"], mystery["open_weights_basis"], mystery["model_id"]) == (
        "newlab", None, "unknown", None)

    labs = {r["author"]: r for r in read_labs_csv(s.path / LABS_FILE)}
    assert labs["newlab"]["country_code"] == "XX" and labs["newlab"]["country_name"] == "Unknown country"
    assert labs["deepseek"]["country_code"] == "CN"

    m = s.manifest
    assert m["api_version"] == "v1" and m["tool_version"] == __version__
    assert m["categories"] is False
    assert m["request_count"] == 3 and m["data_api_requests"] == 2 and m["models_api_requests"] == 1
    assert [(w["start"], w["end"], w["rows"]) for w in m["windows"]] == [
        ("2025-01-01", "2025-01-07", 42), ("2025-01-08", "2025-01-14", 56)]
    assert m["unmatched_permaslugs"] == ["newlab/mystery-model-7b"] and m["unmatched_count"] == 1
    assert m["authors_added"] == ["newlab"]
    assert m["models_matched_by_date_suffix"] == {"qwen/qwen-plus-2025-01-25": "qwen/qwen-plus"}
    assert m["licence"] == "CC BY 4.0"

    assert result.new_authors == ["newlab"] and result.unmatched_permaslugs == ["newlab/mystery-model-7b"]
    assert any("Licensed under CC BY 4.0." in line for line in result.summary_lines())
    # progress: (done, total, rows, message), first and last
    assert progress[0][:3] == (0, 3, 0) and progress[-1][:3] == (3, 3, 98)
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)


def test_a_day_later_fetches_only_new_days_plus_the_last_three(server, tmp_path):
    out = tmp_path / "snapshots"
    first = refresh(server, out)
    before = tree_digest(first.path)
    server.requests.clear()
    server.add_daily(DAILY_DAY_LATER)
    second = refresh(server, out, today=D(2025, 1, 16), now=T0 + dt.timedelta(days=1))

    # new day 2025-01-15, plus 2025-01-12..14 again (first end_date 2025-01-14 - 2 days)
    assert server.day_windows() == [("2025-01-12", "2025-01-15")]
    assert tree_digest(first.path) == before
    assert candidate_snapshots(out) == [second.path, first.path]
    assert second.path.name > first.path.name
    s = load_snapshot(second.path)
    assert (s.start_date, s.end_date) == (D(2025, 1, 1), D(2025, 1, 15))
    assert s.as_of == "2025-01-16T02:00:00Z"
    assert s.manifest["incremental_from"] == first.path.name
    assert s.manifest["refetched_from"] == "2025-01-12"
    claude = "anthropic/claude-3.5-sonnet-20241022"
    assert tokens_on(s.path, D(2025, 1, 13), claude) == 650000  # restated figure wins
    assert tokens_on(first.path, D(2025, 1, 13), claude) == 600000
    assert tokens_on(s.path, D(2025, 1, 2), claude) == 500000  # kept from the first snapshot
    assert tokens_on(s.path, D(2025, 1, 15), claude) == 600000  # the new day
    assert len(rows(s.path)) == 98 + 8
    assert s.manifest["request_count"] == 2  # one usage window + the catalogue


def test_categories_weekly_series(server, tmp_path):
    out = tmp_path / "snapshots"
    result = refresh(server, out, categories=True, category_names=["programming", "roleplay"])
    weekly = [r for r in server.data_requests() if r.params.get("period") == "week"]
    # until 2025-01-14 (a Tuesday): whole weeks only, Mon 2025-01-06 .. Sun 2025-01-12
    assert [(r.params["category"], r.params["start_date"], r.params["end_date"]) for r in weekly] == [
        ("programming", "2025-01-06", "2025-01-12"), ("roleplay", "2025-01-06", "2025-01-12")]
    s = load_snapshot(result.path)
    assert s.has_categories and s.manifest["categories"] is True
    cat = rows(s.path, CATEGORY_FILE)
    assert {(r["category"], r["model_permaslug"]): r["total_tokens"] for r in cat} == {
        ("programming", "anthropic/claude-3.5-sonnet-20241022"): 2000000,
        ("programming", "deepseek/deepseek-chat-v3"): 1500000,
        ("programming", "other"): 300000,
        ("roleplay", "deepseek/deepseek-chat-v3"): 900000,
        ("roleplay", "newlab/mystery-model-7b"): 400000,
        ("roleplay", "other"): 100000,
    }
    assert {r["week"] for r in cat} == {D(2025, 1, 6)}
    # a later refresh without --categories carries the series over unchanged
    later = refresh(server, out, today=D(2025, 1, 15), now=T0 + dt.timedelta(hours=1))
    assert rows(later.path, CATEGORY_FILE) == cat
    assert later.snapshot.manifest["categories"] is False


# --------------------------------------------------------------------------- faults


@pytest.fixture(scope="module")
def baseline_template(tmp_path_factory):
    """A first snapshot (2025-01-01..07), made once from the recorded bodies."""
    out = tmp_path_factory.mktemp("baseline") / "snapshots"
    run_refresh(RefreshOptions(out, from_json=[BODY_A, MODELS], today=D(2025, 1, 8), now=T0 - dt.timedelta(days=7)))
    return out


@pytest.fixture
def baseline(baseline_template, tmp_path):
    """A copy of the first snapshot; the run under test then refreshes a week later and
    asks for two windows: 2025-01-05..11 and 2025-01-12..14."""
    out = tmp_path / "snapshots"
    shutil.copytree(baseline_template, out)
    return out


def _set_first_tokens(value):
    def f(b):
        b["data"][0]["total_tokens"] = value
        return b
    return f


def _dup(b):
    b["data"].insert(1, dict(b["data"][0]))
    return b


def _outside(b):
    b["data"][0]["date"] = "2025-01-20"
    return b


def _version(b):
    b["meta"]["version"] = "v2"
    return b


def _empty(b):
    b["data"] = []
    return b


# name, fault kwargs (on the 2nd usage window unless said), client kwargs, expected message parts
FAILURES = [
    ("401", None, {"key": "sk-or-wrong-key-123"}, ["HTTP 401", "missing or wrong", "2025-01-05 to 2025-01-11", "window 1 of 2"]),
    ("read timeout", dict(kind="sleep", seconds=0.6, times=9, skip=1), {"read_timeout": 0.2, "read_retries": 1},
     ["read timeout", "2025-01-12 to 2025-01-14", "window 2 of 2"]),
    ("truncated body", dict(kind="truncate", skip=1), {}, ["cut off", "window 2 of 2"]),
    ("version v2", dict(kind="mutate", mutate=_version, skip=1), {}, ["meta.version is 'v2'"]),
    ("duplicate rows", dict(kind="mutate", mutate=_dup, skip=1), {}, ["appears twice", "2025-01-12"]),
    ("negative tokens", dict(kind="mutate", mutate=_set_first_tokens("-5"), skip=1), {}, ["'-5' is not a non-negative integer"]),
    ("non-numeric tokens", dict(kind="mutate", mutate=_set_first_tokens("lots"), skip=1), {}, ["'lots' is not a non-negative integer"]),
    ("zero rows", dict(kind="mutate", mutate=_empty, skip=1), {}, ["zero rows for 2025-01-12 to 2025-01-14"]),
    ("rows outside the window", dict(kind="mutate", mutate=_outside, skip=1), {},
     ["date 2025-01-20 is outside the requested window 2025-01-12 to 2025-01-14"]),
    ("500 forever", dict(kind="status", status=500, times=99, skip=1), {"retries": 2}, ["HTTP 500", "window 2 of 2"]),
    ("models API down", dict(kind="status", status=503, times=99, endpoint="models"), {"retries": 1},
     ["model catalogue", "HTTP 503"]),
]


@pytest.mark.parametrize("name,fault,client_kw,expected", FAILURES, ids=[f[0] for f in FAILURES])
def test_faults_fail_clearly_and_leave_snapshots_unchanged(server, baseline, name, fault, client_kw, expected):
    out = baseline
    before = tree_digest(out)
    if fault:
        fault = dict(fault)
        server.fault(fault.pop("kind"), **fault)
    client = make_client(server, **client_kw)
    with pytest.raises(RefreshError) as ei:
        refresh(server, out, client=client)
    msg = str(ei.value)
    for part in expected:
        assert part in msg, msg
    assert f"existing snapshots in {shown_path(out)} are unchanged" in msg  # no server path (issue 26)
    assert "sk-or-wrong-key-123" not in msg and API_KEY not in msg
    assert tree_digest(out) == before  # byte for byte, and no leftover temp folders


RECOVERIES = [
    ("429 with Retry-After", dict(kind="status", status=429, retry_after="3", skip=1)),
    ("500 then success", dict(kind="status", status=500, skip=1)),
    ("read timeout once", dict(kind="sleep", seconds=0.6, skip=1)),
]


@pytest.mark.parametrize("name,fault", RECOVERIES, ids=[r[0] for r in RECOVERIES])
def test_transient_faults_recover(server, baseline, name, fault):
    out = baseline
    before = tree_digest(out)
    fault = dict(fault)
    server.fault(fault.pop("kind"), **fault)
    client = make_client(server, read_timeout=0.3)
    result = refresh(server, out, client=client)
    s = load_snapshot(result.path)
    assert s.end_date == D(2025, 1, 14)
    assert s.manifest["data_api_requests"] == 3  # two windows, one retried
    if "429" in name:
        assert 3 in client.slept
    after = tree_digest(out)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(candidate_snapshots(out)) == 2


def test_model_missing_from_the_catalogue_is_kept_unclassified(server, baseline):
    out = baseline
    before = tree_digest(out)

    def drop_gemma(b):
        b["data"] = [m for m in b["data"] if not m["id"].startswith("google/gemma")]
        return b

    server.fault("mutate", endpoint="models", mutate=drop_gemma)
    result = refresh(server, out)
    s = load_snapshot(result.path)
    gemma = next(m for m in rows(s.path, MODELS_FILE) if m["model_permaslug"] == "google/gemma-3-27b-it")
    assert (gemma["author"], gemma["open_weights"], gemma["open_weights_basis"]) == ("google", None, "unknown")
    assert s.manifest["unmatched_permaslugs"] == ["google/gemma-3-27b-it", "newlab/mystery-model-7b"]
    assert s.manifest["unmatched_count"] == 2
    # its tokens are kept, never dropped
    assert tokens_on(s.path, D(2025, 1, 9), "google/gemma-3-27b-it") == 150000
    assert {k: v for k, v in tree_digest(out).items() if k in before} == before


def test_retired_model_keeps_its_previous_classification(server, baseline):
    out = baseline

    def drop_llama(b):
        b["data"] = [m for m in b["data"] if not m["id"].startswith("meta-llama/")]
        return b

    server.fault("mutate", endpoint="models", mutate=drop_llama)
    result = refresh(server, out)
    llama = next(m for m in rows(result.path, MODELS_FILE) if m["model_permaslug"].startswith("meta-llama/"))
    assert llama["open_weights"] is True and llama["model_id"] == "meta-llama/llama-3.3-70b-instruct"
    assert result.snapshot.manifest["models_kept_from_previous"] == ["meta-llama/llama-3.3-70b-instruct"]


def test_interruption_between_windows_leaves_everything_unchanged(server, baseline):
    out = baseline
    before = tree_digest(out)

    def progress(done, total, n_rows, message):
        if done == 2:  # catalogue + first usage window done
            raise KeyboardInterrupt

    with pytest.raises(RefreshInterrupted) as ei:
        refresh(server, out, progress=progress)
    msg = str(ei.value)
    assert "interrupted after 2 of 3 steps" in msg
    assert "last finished: usage 2025-01-05 to 2025-01-11" in msg
    assert f"existing snapshots in {shown_path(out)} are unchanged" in msg  # no server path (issue 26)
    assert isinstance(ei.value, KeyboardInterrupt)
    assert server.day_windows() == [("2025-01-05", "2025-01-11")]  # the second was never asked
    assert tree_digest(out) == before


def test_disk_full_while_writing_leaves_everything_unchanged(server, baseline, monkeypatch):
    out = baseline
    before = tree_digest(out)
    calls = {"n": 0}
    real = pq.write_table

    def full_disk(*a, **kw):
        calls["n"] += 1
        if calls["n"] == 2:  # usage.parquet written, models.parquet hits a full disk
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*a, **kw)

    monkeypatch.setattr(pq, "write_table", full_disk)
    with pytest.raises(RefreshError) as ei:
        refresh(server, out)
    assert "No space left on device" in str(ei.value) and "writing the snapshot" in str(ei.value)
    assert tree_digest(out) == before


def test_missing_key_fails_before_any_request(server, tmp_path):
    out = tmp_path / "snapshots"
    with pytest.raises(RefreshError, match="no OpenRouter API key"):
        refresh(server, out, client=make_client(server, key=None))
    assert server.requests == []
    assert not out.exists() or list(out.iterdir()) == []


def test_too_many_windows_for_the_budget_fails_before_any_request(server, tmp_path):
    with pytest.raises(RefreshError, match="needs 14 Data API requests, more than this run's budget of 10"):
        refresh(server, tmp_path / "s", window_days=1, client=make_client(server, max_requests=10))
    assert server.requests == []


def test_until_after_the_latest_completed_day_is_refused(server, tmp_path):
    with pytest.raises(RefreshError, match="after the latest completed UTC day"):
        refresh(server, tmp_path / "s", until=D(2025, 1, 15))


# --------------------------------------------------------------------------- --from-json


def test_from_json_matches_the_network_run(server, tmp_path):
    net = refresh(server, tmp_path / "net")
    imported = run_refresh(RefreshOptions(tmp_path / "json", from_json=[MODELS, BODY_B, BODY_A],
            today=D(2025, 1, 15), now=T0))
    assert rows(imported.path) == rows(net.path)
    assert rows(imported.path, MODELS_FILE) == rows(net.path, MODELS_FILE)
    m = imported.snapshot.manifest
    assert m["as_of"] == "2025-01-15T02:00:00Z" and m["request_count"] == 0
    assert sorted(m["from_json"]) == sorted([BODY_A.name, BODY_B.name, MODELS.name])


def test_from_json_refuses_files_it_cannot_recognise(tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": 1}')
    with pytest.raises(RefreshError, match="neither a rankings-daily body"):
        run_refresh(RefreshOptions(tmp_path / "s", from_json=[BODY_A, junk, MODELS], today=D(2025, 1, 15)))
    cut = tmp_path / "cut.json"
    cut.write_text(BODY_A.read_text()[:500])
    with pytest.raises(RefreshError, match="cut.json is not valid JSON"):
        run_refresh(RefreshOptions(tmp_path / "s", from_json=[cut, MODELS], today=D(2025, 1, 15)))
    with pytest.raises(RefreshError, match="second models API body"):
        run_refresh(RefreshOptions(tmp_path / "s", from_json=[BODY_A, MODELS, MODELS], today=D(2025, 1, 15)))
    bad = tmp_path / "v2.json"
    body = json.loads(BODY_A.read_text())
    body["meta"]["version"] = "v2"
    bad.write_text(json.dumps(body))
    with pytest.raises(RefreshError, match=r"v2.json: meta.version is 'v2'"):
        run_refresh(RefreshOptions(tmp_path / "s", from_json=[bad, MODELS], today=D(2025, 1, 15)))
    assert not (tmp_path / "s").exists() or list((tmp_path / "s").iterdir()) == []


# --------------------------------------------------------------------------- pruning


def test_prune_keeps_the_newest_n(tmp_path):
    out = tmp_path / "snapshots"
    made = []
    for h in range(3):
        made.append(run_refresh(RefreshOptions(out, from_json=[BODY_A, MODELS], today=D(2025, 1, 15),
                now=T0 + dt.timedelta(hours=h))).path)
    (out / "hand-made").mkdir()
    shutil.copytree(made[0], out / "hand-made" / "x")
    last = run_refresh(RefreshOptions(out, from_json=[BODY_A, MODELS], today=D(2025, 1, 15),
            now=T0 + dt.timedelta(hours=5), prune=2))
    assert last.pruned == [made[1], made[0]]
    assert sorted(p.name for p in out.iterdir()) == sorted([made[2].name, last.path.name, "hand-made"])


# --------------------------------------------------------------------------- pieces


def test_windows_and_date_suffixes():
    assert date_windows(D(2025, 1, 1), D(2025, 1, 10), 4) == [
        (D(2025, 1, 1), D(2025, 1, 4)), (D(2025, 1, 5), D(2025, 1, 8)), (D(2025, 1, 9), D(2025, 1, 10))]
    assert strip_date_suffix("tencent/hy3-preview-20260421") == "tencent/hy3-preview"
    assert strip_date_suffix("openai/gpt-4o-2024-05-13") == "openai/gpt-4o"
    assert strip_date_suffix("deepseek/deepseek-chat-v3-0324") == "deepseek/deepseek-chat-v3-0324"


def test_catalogue_matching():
    cat = Catalogue([
        {"id": "tencent/hy3-preview", "canonical_slug": "tencent/hy3-preview-20260421"},
        {"id": "tencent/hy3-preview:free", "canonical_slug": "tencent/hy3-preview-20260421"},
        {"id": "openai/gpt-4o", "canonical_slug": "openai/gpt-4o-2024-05-13"},
        {"id": "openai/gpt-4o-2024-08-06", "canonical_slug": "openai/gpt-4o-2024-08-06"},
        {"id": "x-ai/grok-4:batch", "canonical_slug": "x-ai/grok-4-07-09"},
    ])
    assert cat.match("tencent/hy3-preview-20260421") == (cat.by_id["tencent/hy3-preview"], "exact")
    assert cat.match("tencent/hy3-preview-20260421:free")[1] == "variant"
    assert cat.match("tencent/hy3-preview-20260501")[0]["id"] == "tencent/hy3-preview"
    # two gpt-4o snapshots strip to the same slug: the plain id decides
    assert cat.match("openai/gpt-4o-2024-11-20")[0]["id"] == "openai/gpt-4o"
    assert cat.match("x-ai/grok-4-07-09")[0]["id"] == "x-ai/grok-4:batch"
    assert cat.match("nobody/nothing") == (None, "")


def test_overrides_cover_the_mixed_labs():
    ov = load_overrides()
    assert all(o.reason for o in ov)

    def ow(slug, hf=None):
        return classify_open_weights(slug, slug, hf, ov)[0]

    assert ow("google/gemini-2.5-pro") is False and ow("google/gemma-3-12b-it") is True
    assert ow("openai/gpt-oss-20b") is True and ow("openai/gpt-4.1") is False
    for closed in ("mistralai/mistral-medium-3.1", "mistralai/codestral-2508", "mistralai/mistral-saba",
                   "mistralai/mistral-ocr-2505", "qwen/qwen-max", "qwen/qwen-plus-2025-07-28",
                   "qwen/qwen-turbo", "qwen/qwen3-max"):
        assert ow(closed, hf="someone/something") is False, closed
    assert ow("mistralai/mistral-small-3.2-24b-instruct", hf="mistralai/Mistral-Small-3.2-24B-Instruct-2506") is True
    assert ow("qwen/qwen3-235b-a22b", hf="Qwen/Qwen3-235B-A22B") is True
    assert ow("meta-llama/llama-4-maverick") is True and ow("microsoft/phi-4") is True
    assert classify_open_weights("openrouter/sonoma-sky-alpha", None, None, ov)[:2] == (None, "override")


def test_overrides_file_needs_a_reason_on_every_line(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("model_pattern,open_weights,reason\ngoogle/gemma*,true,published\nx/*,false,\n")
    with pytest.raises(RefreshError, match="o.csv line 3: every override needs a reason"):
        load_overrides(f)
    f.write_text("model_pattern,open_weights,reason\nx/*,maybe,why\n")
    with pytest.raises(RefreshError, match="must be true, false or unknown"):
        load_overrides(f)


def test_unknown_authors_join_the_labs_table():
    labs, added = build_labs(["deepseek", "brand-new-lab", "openai"])
    assert added == ["brand-new-lab"]
    row = next(r for r in labs if r["author"] == "brand-new-lab")
    assert (row["country_code"], row["country_name"]) == ("XX", "Unknown country")


# --------------------------------------------------------------------------- CLI


def _cli(argv, monkeypatch=None):
    parser = argparse.ArgumentParser(prog="tokenshare")
    sub = parser.add_subparsers(dest="command", required=True)
    refresh_cli.add_parser(sub)
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    code = refresh_cli.run(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_from_json(tmp_path):
    out = tmp_path / "snapshots"
    code, stdout, stderr = _cli(["refresh", "--out", str(out), "--until", "2025-01-14",
                                 "--from-json", str(BODY_A), str(BODY_B), str(MODELS)])
    assert code == 0, stderr
    assert "3/3 windows" in stderr and "98 rows" in stderr and "model catalogue, 10 models" in stderr and "[########################]" in stderr
    assert "Source: OpenRouter (openrouter.ai/rankings), as of 2025-01-15 02:00 UTC. Licensed under CC BY 4.0." in stdout
    assert "newlab" in stdout
    assert len(candidate_snapshots(out)) == 1


def test_cli_against_the_server_and_a_wrong_key(server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENROUTER_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENROUTER_API_KEY", API_KEY)
    out = tmp_path / "snapshots"
    code, stdout, stderr = _cli(["refresh", "--out", str(out), "--since", "2025-01-08", "--until", "2025-01-14"])
    assert code == 0, stderr
    assert server.day_windows() == [("2025-01-08", "2025-01-14")]
    before = tree_digest(out)
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-never-print-me")
    code, stdout, stderr = _cli(["refresh", "--out", str(out), "--since", "2025-01-08", "--until", "2025-01-14", "--full"])
    assert code == 1
    assert "missing or wrong" in stderr and "sk-or-never-print-me" not in stderr + stdout
    assert tree_digest(out) == before


def test_cli_has_no_key_option():
    parser = argparse.ArgumentParser()
    p = refresh_cli.add_parser(parser.add_subparsers())
    assert not any("key" in opt for a in p._actions for opt in a.option_strings)


def test_progress_bar_text():
    t = [0.0]
    bar = refresh_cli.ProgressBar(io.StringIO(), width=10, clock=lambda: t[0])
    t[0] = 30.0
    assert bar.line(3, 6, 1234, "usage x") == "[#####-----] 3/6 windows | 1,234 rows | ~30s left | usage x"
    t[0] = 0.0
    paced = refresh_cli.ProgressBar(io.StringIO(), width=10, clock=lambda: t[0], min_step_seconds=60 / 28)
    t[0] = 1.0  # the first steps were quick, but the rest are paced at 60/28 s each
    assert "~2m09s left" in paced.line(1, 61, 0, "")
    assert "done in 1s" in paced.line(61, 61, 0, "")


# --------------------------------------------------------------------------- the app


def test_the_app_shows_the_refreshed_snapshot(server, tmp_path, monkeypatch):
    """Refresh, open the result in the app (AppTest) and check the Share headline (the
    latest complete ISO week, 2025-01-06..12) against the hand computation above."""
    from streamlit.testing.v1 import AppTest

    result = refresh(server, tmp_path / "snapshots")
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)
    monkeypatch.setenv("TOKENSHARE_SNAPSHOT", str(result.path))
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    share = next(m.value for m in at.metric if m.label.startswith("Open-weight share"))
    assert share == f"{100 * 47 / 114:.1f}%" == "41.2%"
    shown = " ".join(str(getattr(e, "value", "")) for e in at.main)
    assert "as of 2025-01-15 02:00 UTC" in shown
    assert not any("Synthetic sample data" in i.value for i in at.info)


def test_python_m_tokenshare_has_the_refresh_command():
    cli = pytest.importorskip("tokenshare.cli", reason="tokenshare/cli.py not there yet")
    args = cli.build_parser().parse_args(["refresh", "--since", "2025-01-08", "--full"])
    assert args.func is refresh_cli.run and args.since == D(2025, 1, 8) and args.full
