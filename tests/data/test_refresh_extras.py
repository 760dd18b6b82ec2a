"""``refresh --benchmarks --session-cost --tasks --apps`` against the stand-in on
127.0.0.1 (tests/openrouter_extras.py): the stand-in speaks the spec's shapes; the
requests are counted in the plan before any is made; each table is written, validated,
carried over when not asked for, and the task windows and app rankings kept per fetch;
a 400, a malformed body, an unknown permaslug or a missing index is a named message and
the rest of the refresh completes."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json

import jsonschema
import pyarrow.parquet as pq
import pytest

from tests import openrouter_extras as ex
from tests.conftest_openrouter import refresh_with, _no_ambient_key, make_client, server  # noqa: F401
from tokenshare.data.refresh import cli as refresh_cli
from tokenshare.data.refresh.errors import RefreshError
from tokenshare.data.snapshot.extra_tables import APPS_FILE, BENCHMARKS_FILE, SESSION_COST_FILE, TASKS_FILE
from tokenshare.data.snapshot.layout import SnapshotError
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.data.snapshot.write import write_snapshot

D = dt.date
T0 = dt.datetime(2025, 1, 15, 3, 0, 0, tzinfo=dt.timezone.utc)
ALL = ("benchmarks", "session_cost", "tasks", "apps")


def refresh(server, out, *, now=T0, **kw):
    kw.setdefault("window_days", 7)
    return refresh_with(out, today=D(2025, 1, 15), now=now, until=D(2025, 1, 14), client=make_client(server), **kw)


def rows(path, fname):
    return pq.read_table(path / fname).to_pylist()


def extra_requests(server):
    return [r for r in server.requests if r.path in ex.PATHS]


@pytest.mark.parametrize("path, params", [
    ("/api/v1/benchmarks", {"source": "artificial-analysis"}),
    ("/api/v1/datasets/session-cost", {"limit": "10", "offset": "30"}),
    ("/api/v1/classifications/task", {"window": "7d"}),
    ("/api/v1/datasets/app-rankings", {"sort": "trending", "category": "coding"}),
])
def test_the_stand_in_speaks_the_spec(server, path, params):
    import requests

    r = requests.get(server.base_url[:-len("/api/v1")] + path, params=params,
                     headers={"Authorization": f"Bearer {server.key}"}, timeout=5)
    assert r.status_code == 200
    ex.check_body(path, r.json())
    # the check is not vacuous: a token count sent as a number, a missing index, fail it
    body = r.json()
    if path.endswith("app-rankings"):
        body["data"][0]["total_tokens"] = int(body["data"][0]["total_tokens"])
    elif path.endswith("benchmarks"):
        del body["data"][0]["coding_index"]
    elif path.endswith("session-cost"):
        body["data"][0]["turn_range"] = "3-turns"
    else:
        del body["data"]["window_days"]
    with pytest.raises(jsonschema.ValidationError):
        ex.check_body(path, body)
    # a parameter value outside the spec's enum or range is a 400
    bad = requests.get(server.base_url[:-len("/api/v1")] + path, params={**params, "limit": "0"} if "limit" in params
                       else {**params, next(iter(params)): "nonsense"},
                       headers={"Authorization": f"Bearer {server.key}"}, timeout=5)
    assert bad.status_code == 400


def test_all_four_tables_fetched_counted_and_written(server, tmp_path):
    messages = []
    result = refresh(server, tmp_path / "s", extras=ALL,
                     progress=lambda done, total, n, msg: messages.append((done, total, msg)))
    planned = next(m for _, _, m in messages if m.startswith("planned"))
    # 1 benchmarks + at most 4 session-cost pages + 1 tasks + 10 app rankings = 16, and 2 usage windows
    assert "16 extra table request(s)" in planned and "18 Data API request(s) in all" in planned
    assert messages[0][1] == 1 + 2 + 16
    seen = extra_requests(server)
    assert all(r.authorization == f"Bearer {server.key}" for r in seen)
    # the 36 cells fit one page of 500: 1 + 1 + 1 + 10 requests made
    assert len(seen) == 13 and result.data_api_requests == 2 + 13
    s = load_snapshot(result.path)
    bench = {r["model_permaslug"]: r for r in rows(s.path, BENCHMARKS_FILE)}
    assert set(bench) == {b["model_permaslug"] for b in ex.BENCHMARKS}
    assert bench["deepseek/deepseek-chat-v3"]["price_prompt_usd_per_mtok"] == pytest.approx(0.27)
    assert bench["meta-llama/llama-3.3-70b-instruct"]["coding_index"] is None
    assert bench["acme/unlisted-model"]["price_prompt_usd_per_mtok"] is None
    cost = rows(s.path, SESSION_COST_FILE)
    assert len(cost) == 3 * 3 * 4 and {r["window_end_date"] for r in cost} == {D(2025, 1, 12)}
    tasks = rows(s.path, TASKS_FILE)
    # 2 models + an empty tag (rank 0, no model) + 1 model
    assert [(r["tag"], r["model_rank"], r["model_permaslug"]) for r in tasks] == [
        ("code:debugging", 0, None), ("code:general_impl", 1, "anthropic/claude-3.5-sonnet-20241022"),
        ("code:general_impl", 2, "deepseek/deepseek-chat-v3"), ("general:qa", 1, "meta-llama/llama-3.3-70b-instruct")]
    apps = rows(s.path, APPS_FILE)
    per = {}
    for r in apps:
        per.setdefault((r["sort"], r["category"]), []).append(r["app_name"])
    # trending: the apps whose tokens beat the mean of the periods before (Kilo Code did not)
    assert per[("trending", "")] == ["SillyTavern", "Cline", "Hermes Agent", "*Markdown* [app](http://x)"]
    assert per[("popular", "coding")] == ["Cline", "Kilo Code", "Hermes Agent"]
    # trending per category: coding's growers Cline (+3M) and Hermes Agent (+2M), Kilo Code shrank
    assert per[("trending", "coding")] == ["Cline", "Hermes Agent"]
    assert per[("trending", "entertainment")] == ["SillyTavern"]
    assert per[("trending", "productivity")] == ["*Markdown* [app](http://x)"]
    assert ("popular", "creative") not in per and ("trending", "creative") not in per  # no creative app
    assert len(apps) == 5 + 4 + 3 + 1 + 1 + 2 + 1 + 1
    assert {r["start_date"] for r in apps} == {D(2024, 12, 16)} and {r["end_date"] for r in apps} == {D(2025, 1, 14)}
    extras = s.manifest["extras"]
    assert extras["benchmarks"]["meta"]["citation"] == ex.BENCHMARK_META["citation"]
    assert extras["session_cost"]["requests"] == 1 and extras["apps"]["requests"] == 10
    assert extras["tasks"]["meta"]["window_days"] == 7
    notes = " | ".join(result.warnings)
    assert "acme/unlisted-model" in notes and "match no model" in notes
    assert "without a coding index: meta-llama/llama-3.3-70b-instruct" in notes


def test_carried_over_when_not_asked_and_history_kept(server, tmp_path, monkeypatch):
    out = tmp_path / "s"
    first = refresh(server, out, extras=ALL)
    # a later run asks for nothing extra: every table carried over, fetch dates and all
    second = refresh(server, out, now=T0 + dt.timedelta(hours=1))
    assert not extra_requests(server)[13:]
    for f in (BENCHMARKS_FILE, SESSION_COST_FILE, TASKS_FILE, APPS_FILE):
        assert rows(second.path, f) == rows(first.path, f)
    assert second.snapshot.manifest["extras"]["tasks"]["carried_from"] == first.path.name
    assert second.snapshot.manifest["extras"]["benchmarks"]["meta"]["citation"]
    # the next day's tasks window and app rankings join the kept ones
    monkeypatch.setitem(ex.TASKS, "as_of", "2025-01-15")
    third = refresh_with(out, today=D(2025, 1, 16), now=T0 + dt.timedelta(days=1), until=D(2025, 1, 15),
                         client=make_client(server), window_days=7, extras=("tasks", "apps"))
    tasks = rows(third.path, TASKS_FILE)
    assert sorted({r["window_end"] for r in tasks}) == [D(2025, 1, 14), D(2025, 1, 15)]
    assert len(tasks) == 2 * 4
    apps = rows(third.path, APPS_FILE)
    assert sorted({r["end_date"] for r in apps}) == [D(2025, 1, 14), D(2025, 1, 15)] and len(apps) == 2 * 18
    # the same window fetched again replaces its copy instead of doubling it
    fourth = refresh_with(out, today=D(2025, 1, 16), now=T0 + dt.timedelta(days=1, hours=1), until=D(2025, 1, 15),
                          client=make_client(server), window_days=7, extras=("tasks",))
    assert len(rows(fourth.path, TASKS_FILE)) == 2 * 4


def test_a_400_or_a_malformed_body_is_named_and_the_rest_completes(server, tmp_path):
    out = tmp_path / "s"
    first = refresh(server, out, extras=ALL)
    server.fault("status", endpoint="extras", status=400, params={"category": "coding"})
    server.fault("mutate", endpoint="extras", params={"source": "artificial-analysis"},
                 mutate=lambda b: {**b, "data": [{k: v for k, v in b["data"][0].items() if k != "intelligence_index"}]})
    server.fault("body", endpoint="extras", params={"window": "7d"}, body={"data": {"as_of": "soon"}})
    result = refresh(server, out, now=T0 + dt.timedelta(hours=1), extras=ALL)
    notes = " | ".join(result.warnings)
    assert "apps: not fetched (HTTP 400: OpenRouter refused the apps request" in notes
    assert "benchmarks: not fetched" in notes and "intelligence_index is missing" in notes
    assert "tasks: not fetched" in notes and "data.as_of is 'soon', not a date" in notes
    m = result.snapshot.manifest["extras"]
    for name, fname in (("apps", APPS_FILE), ("benchmarks", BENCHMARKS_FILE), ("tasks", TASKS_FILE)):
        assert m[name]["carried_from"] == first.path.name and m[name]["failed"]
        assert rows(result.path, fname) == rows(first.path, fname)
    assert "carried_from" not in m["session_cost"]  # fetched afresh
    lines = refresh_cli.extras_lines(result.snapshot.manifest)
    assert any(line.startswith("Apps: 18 rows, carried over from") and "could not fetch it" in line for line in lines)


def test_a_failure_without_a_previous_table_leaves_it_out(server, tmp_path):
    server.fault("status", endpoint="extras", status=400, params={"window": "7d"})
    result = refresh(server, tmp_path / "s", extras=("tasks", "benchmarks"))
    s = load_snapshot(result.path)
    assert TASKS_FILE not in s.manifest["files"] and BENCHMARKS_FILE in s.manifest["files"]
    assert s.manifest["extras"]["tasks"]["failed"].startswith("HTTP 400")
    assert "Tasks: 0 rows, not in the snapshot" in refresh_cli.extras_lines(s.manifest)[-1]


def test_budget_checked_before_any_request_and_cli_flags(server, tmp_path):
    small = make_client(server, max_requests=17)  # one short of 2 usage + 16 extra
    with pytest.raises(RefreshError) as info:
        refresh_with(tmp_path / "s", today=D(2025, 1, 15), now=T0, until=D(2025, 1, 14), client=small,
                     window_days=7, extras=ALL)
    assert "needs 18 Data API requests" in str(info.value)
    assert server.requests == []
    parser = argparse.ArgumentParser().add_subparsers()
    args = refresh_cli.add_parser(parser).parse_args(["--benchmarks", "--session-cost", "--tasks", "--apps"])
    assert refresh_cli.options_from_args(args).extras == ALL
    args = refresh_cli.add_parser(argparse.ArgumentParser().add_subparsers()).parse_args(
        ["--apps", "--from-json", "x.json", "--out", str(tmp_path)])
    err = io.StringIO()
    assert refresh_cli.run(args, stdout=io.StringIO(), stderr=err) == 1
    assert "--apps needs the Data API" in err.getvalue()


def _snapshot_with(tmp_path, fname, table_rows):
    usage = [{"date": D(2025, 1, 1), "model_permaslug": "a/b", "total_tokens": 5}]
    models = [{"model_permaslug": "a/b", "model_id": "a/b", "name": "B", "author": "a", "released_at": None,
               "open_weights": True, "open_weights_basis": "override", "hugging_face_id": None,
               "context_length": None, "price_prompt_usd_per_mtok": 1.0, "price_completion_usd_per_mtok": 2.0}]
    return write_snapshot(tmp_path / "snap", usage=usage, models=models, labs=[{"author": "a", "lab_name": "A",
                          "country_code": "US", "country_name": "United States"}], source="test", synthetic=True,
                          as_of="2025-01-02", start_date="2025-01-01", end_date="2025-01-01",
                          extra_tables={fname: table_rows})


BENCH = {"model_permaslug": "a/b", "display_name": "B", "intelligence_index": 50.0, "coding_index": None,
         "agentic_index": 1.0, "price_prompt_usd_per_mtok": 1.0, "price_completion_usd_per_mtok": 2.0,
         "fetched_on": D(2025, 1, 2)}
TASK = {"window_end": D(2025, 1, 1), "window_days": 7, "tag": "code:x", "display_name": "X", "macro_category": "code",
        "usage_share": 0.5, "token_share": 0.5, "category_usage_share": 1.0, "category_token_share": 1.0,
        "model_rank": 1, "model_permaslug": "a/b", "tag_usage_share": 0.2, "tag_token_share": 0.3,
        "fetched_on": D(2025, 1, 2)}


@pytest.mark.parametrize("fname, table_rows, message", [
    (BENCHMARKS_FILE, [{**BENCH, "intelligence_index": 101.0}], "intelligence_index outside 0 to 100"),
    (BENCHMARKS_FILE, [BENCH, BENCH], "a/b appears 2 times"),
    (TASKS_FILE, [{**TASK, "token_share": 1.5}], "a share outside 0 to 1"),
    (TASKS_FILE, [{**TASK, "model_rank": 0}], "model_rank 0 goes with no model"),
    (SESSION_COST_FILE, [{"app_slug": "x", "app_name": "X", "model_permaslug": "a/b", "turn_range": "3-turns",
                          "median_session_cost_usd": 1.0, "window_days": 30, "window_end_date": D(2025, 1, 1),
                          "fetched_on": D(2025, 1, 2)}], "unknown turn_range"),
    (APPS_FILE, [{"end_date": D(2025, 1, 1), "start_date": D(2025, 1, 1), "sort": "new", "category": "",
                  "subcategory": "", "rank": 1, "app_id": 1, "app_name": "A", "total_tokens": 1,
                  "total_requests": 1, "fetched_on": D(2025, 1, 2)}], "sort is not popular or trending"),
])
def test_a_bad_extra_table_is_refused_by_name(tmp_path, fname, table_rows, message):
    with pytest.raises(SnapshotError) as info:
        _snapshot_with(tmp_path, fname, table_rows)
    assert fname in str(info.value) and message in str(info.value)
    assert not (tmp_path / "snap").exists()


def test_good_extra_tables_load(tmp_path):
    s = _snapshot_with(tmp_path, TASKS_FILE, [TASK, {**TASK, "model_rank": 2, "model_permaslug": None,
                                                     "tag_usage_share": None, "tag_token_share": None} | {"model_rank": 0}])
    assert s.manifest["files"][TASKS_FILE]["rows"] == 2
    assert json.loads((s.path / "manifest.json").read_text())["files"][TASKS_FILE]["sha256"]
