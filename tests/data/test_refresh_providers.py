"""``refresh --providers`` against the stand-in server (tests/openrouter_server.py, which
serves tests/fixtures/openrouter/endpoints.json), and the endpoints body parser on
hostile bodies.

What the fixture refresh asks for (usage 2025-01-01 to 2025-01-14, every named model
has tokens in the last 28 days; the unclassified newlab model is not asked for), in
permaslug order, and what the fixture holds:

  anthropic/claude-3.5-sonnet        2 endpoints (3 / 15 USD per M tokens both)
  deepseek/deepseek-chat             3 endpoints (prompt 0.49, 0.90, 1.25)
  google/gemini-2.0-flash-001        1 endpoint
  google/gemma-3-27b-it              2 endpoints
  meta-llama/llama-3.3-70b-instruct  not in the fixture: 404 (a retired model)
  openai/gpt-oss-120b                3 endpoints
  qwen/qwen-plus                     1 endpoint
  -> 7 requests, 6 models kept, 12 endpoint rows, 1 model named as failed.
"""

from __future__ import annotations

import datetime as dt
import json

import pyarrow.parquet as pq
import pytest

from tests.conftest_openrouter import refresh_with, _no_ambient_key, make_client, server  # noqa: F401
from tests.hostile import tried
from tokenshare.data.snapshot.layout import ENDPOINTS_FILE, SnapshotError
from tokenshare.data.openrouter.endpoints import endpoints_path, parse_endpoints_body, parse_price
from tokenshare.data.openrouter.errors import ValidationError
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh
from tokenshare.data.snapshot.validate import load_snapshot

D = dt.date
T0 = dt.datetime(2025, 1, 15, 3, 0, 0, tzinfo=dt.timezone.utc)


def refresh(server, out, cache, *, now=T0, **kw):
    return refresh_with(out, today=D(2025, 1, 15), now=now, client=make_client(server), window_days=7,
                       providers=True, providers_cache=cache, **kw)


def endpoint_rows(path) -> list[dict]:
    return pq.read_table(path / ENDPOINTS_FILE).to_pylist()


def test_refresh_with_providers(server, tmp_path):
    result = refresh(server, tmp_path / "snaps", tmp_path / "cache")
    s = load_snapshot(result.path)
    assert s.has_endpoints
    rows = endpoint_rows(s.path)
    assert len(rows) == 12
    by_model = {}
    for r in rows:
        by_model.setdefault(r["model_permaslug"], []).append(r)
    assert sorted(by_model) == [
        "anthropic/claude-3.5-sonnet-20241022", "deepseek/deepseek-chat-v3", "google/gemini-2.0-flash-001",
        "google/gemma-3-27b-it", "openai/gpt-oss-120b", "qwen/qwen-plus-2025-01-25"]
    ds = sorted(by_model["deepseek/deepseek-chat-v3"], key=lambda r: r["price_prompt_usd_per_mtok"])
    # "0.00000049" USD a token = 0.49 USD per million tokens, and so on (endpoints.json)
    assert [r["price_prompt_usd_per_mtok"] for r in ds] == pytest.approx([0.49, 0.9, 1.25])
    assert [r["provider"] for r in ds] == ["DeepInfra", "Fireworks", "Together"]
    assert ds[0]["quantization"] == "fp8" and ds[0]["context_length"] == 163840
    assert ds[0]["latency_p50_ms"] == 610.0 and ds[2]["uptime_last_30m"] is None
    assert all(r["fetched_on"] == D(2025, 1, 15) for r in rows)
    claude = {r["endpoint_tag"]: r for r in by_model["anthropic/claude-3.5-sonnet-20241022"]}
    assert claude["anthropic"]["price_input_cache_read_usd_per_mtok"] == pytest.approx(0.3)
    assert claude["amazon-bedrock"]["price_input_cache_read_usd_per_mtok"] is None
    # one request per model, without the key; the retired model is named, not fatal
    asked = server.endpoint_requests()
    assert len(asked) == 7 and all(r.authorization is None for r in asked)
    assert [m for m, _ in result.providers.failed] == ["meta-llama/llama-3.3-70b-instruct"]
    text = "\n".join(result.summary_lines())
    assert "12 endpoint(s) of 6 model(s)" in text
    assert "meta-llama/llama-3.3-70b-instruct (HTTP 404: OpenRouter has no such model now (retired?))" in text
    assert s.manifest["providers"]["failed"] == ["meta-llama/llama-3.3-70b-instruct"]
    assert s.manifest["providers"]["fetched_at"] == "2025-01-15T03:00:00Z"


def test_second_run_uses_the_cache(server, tmp_path):
    cache = tmp_path / "cache"
    refresh(server, tmp_path / "a", cache)
    n = len(server.endpoint_requests())
    later = T0 + dt.timedelta(hours=5)
    result = refresh(server, tmp_path / "b", cache, now=later)
    # only the model that failed is asked again; the six answers come from the cache
    assert len(server.endpoint_requests()) - n == 1
    assert (result.providers.from_cache, result.providers.from_network) == (6, 0)
    assert all(r["fetched_on"] == D(2025, 1, 15) for r in endpoint_rows(result.path))
    # a day and more later the cache is too old: every model is asked again
    n = len(server.endpoint_requests())
    refresh(server, tmp_path / "c", cache, now=T0 + dt.timedelta(hours=25))
    assert len(server.endpoint_requests()) - n == 7


def test_pacing_spaces_the_endpoint_requests(server, tmp_path):
    client = make_client(server)
    run_refresh(RefreshOptions(tmp_path / "s", today=D(2025, 1, 15), now=T0, window_days=7, providers=True,
            providers_cache=None), client=client)
    # 60 a minute: one second between endpoint requests (the fake clock's sleeps)
    assert sum(1 for x in client.fake_clock.sleeps if x == pytest.approx(1.0)) >= 6


def _set_price(body, value, index=1):
    body["data"]["endpoints"][index]["pricing"]["prompt"] = value
    return body


@pytest.mark.parametrize("kind,kw,why", [
    ("mutate", {"mutate": lambda b: _set_price(b, "free")}, "pricing.prompt is 'free'"),
    ("mutate", {"mutate": lambda b: _set_price(b, None)}, "pricing.prompt is missing"),
    ("mutate", {"mutate": lambda b: {"data": {"id": "x"}}}, "data.endpoints is missing"),
    ("cut_json", {}, "not valid JSON"),
    ("status", {"status": 404}, "HTTP 404"),
])
def test_a_bad_model_is_left_out_whole_and_named(server, tmp_path, kind, kw, why):
    """The first model asked for (Claude) gets the bad answer: none of its endpoints is
    written (not even the good one), every other model is, and the summary says why."""
    server.fault(kind, endpoint="endpoints", **kw)
    result = refresh(server, tmp_path / "snaps", None)
    rows = endpoint_rows(load_snapshot(result.path).path)
    assert not any(r["model_permaslug"].startswith("anthropic/") for r in rows)
    assert len(rows) == 12 - 2
    failed = dict(result.providers.failed)
    assert why in failed["anthropic/claude-3.5-sonnet"]
    assert "anthropic/claude-3.5-sonnet (" in "\n".join(result.summary_lines())
    tried("refresh")


def test_every_model_failing_writes_the_snapshot_without_the_table(server, tmp_path):
    server.endpoints = {}
    result = refresh(server, tmp_path / "snaps", None)
    s = load_snapshot(result.path)
    assert not s.has_endpoints and not (s.path / ENDPOINTS_FILE).exists()
    assert len(result.providers.failed) == 7
    assert any("7 of 7 model(s) could not be fetched" in w for w in result.warnings)
    tried("refresh")


# --------------------------------------------------------------------------- the parser


GOOD = {"provider_name": "P", "tag": "p", "context_length": 1000,
        "pricing": {"prompt": "0.000001", "completion": "0.000002"}}


def parse(endpoints):
    return parse_endpoints_body({"data": {"id": "a/b", "endpoints": endpoints}}, model_permaslug="a/b-1",
                                model_id="a/b", fetched_on=D(2026, 1, 1), where="endpoints of a/b")


@pytest.mark.parametrize("value,expected", [
    ("0.000001", 1.0), ("0", 0.0), (" 0.0000003 ", 0.3), ("3e-6", 3.0), (0.000002, 2.0), (0, 0.0),
])
def test_prices_are_parsed_as_decimals(value, expected):
    assert parse_price(value, field="prompt", where="w", required=True) == pytest.approx(expected)


@pytest.mark.parametrize("value", [
    "free", "$0.000001", "-0.000001", "-1", "NaN", "Infinity", "1e400", "0x10", "1,5", "", " ", "0.1.2",
    True, [], {}, float("nan"), float("inf"), -1, "1" * 40, "0.000001 USD",
])
def test_garbage_prices_are_refused(value):
    with pytest.raises(ValidationError) as err:
        parse_price(value, field="prompt", where="endpoints of a/b, endpoint 'p'", required=True)
    assert "endpoints of a/b, endpoint 'p': pricing.prompt" in str(err.value)
    tried("refresh")


@pytest.mark.parametrize("endpoints,message", [
    ([{**GOOD, "pricing": None}], "pricing is missing"),
    ([{**GOOD, "pricing": "0.1"}], "pricing is not an object"),
    ([{**GOOD, "pricing": {"prompt": "0.1"}}], "pricing.completion is missing"),
    ([{**GOOD, "provider_name": None}], "provider_name is missing"),
    ([{**GOOD, "provider_name": 7}], "provider_name is 7"),
    ([GOOD, GOOD], "endpoint 'p': is listed twice"),
    (["p"], "endpoint 1: is not an object"),
    ([{**GOOD, "provider_name": "x" * 300}], "300 characters"),
    ([GOOD] * 501, "at most 500"),
])
def test_bad_endpoints_are_refused(endpoints, message):
    with pytest.raises(ValidationError) as err:
        parse(endpoints)
    assert message in str(err.value)
    tried("refresh")


@pytest.mark.parametrize("body", [None, [], "x", {"data": []}, {"data": {"endpoints": {}}}, {"endpoints": []}])
def test_malformed_bodies_are_refused(body):
    with pytest.raises(ValidationError):
        parse_endpoints_body(body, model_permaslug="a/b", model_id="a/b", fetched_on=D(2026, 1, 1), where="w")
    tried("refresh")


def test_optional_figures_out_of_range_are_left_empty():
    rows = parse([{**GOOD, "uptime_last_30m": 140, "context_length": -5, "latency_last_30m": {"p50": "fast"},
                   "throughput_last_30m": {"p50": 80.5}, "quantization": "FP8", "tag": None}])
    r = rows[0]
    assert (r["uptime_last_30m"], r["context_length"], r["latency_p50_ms"]) == (None, None, None)
    assert (r["throughput_p50_tps"], r["quantization"], r["endpoint_tag"]) == (80.5, "fp8", "P")
    tried("refresh", 4)


@pytest.mark.parametrize("model_id", ["a/../b", "../x", "a", "a/b/c", "a b/c", "/a", "a/", "a/b?x=1", "a/b#c", 7])
def test_model_ids_are_checked_before_a_path_is_made(model_id):
    with pytest.raises(ValueError):
        endpoints_path(model_id)
    tried("refresh")


def test_model_id_paths():
    assert endpoints_path("deepseek/deepseek-chat:free") == "/models/deepseek/deepseek-chat:free/endpoints"


def test_validation_refuses_a_broken_endpoints_table(server, tmp_path):
    """A snapshot whose model_endpoints.parquet has a negative price or a duplicate
    endpoint is refused, naming the file, column and row."""
    import pyarrow as pa

    result = refresh(server, tmp_path / "snaps", None)
    path = result.path
    table = pq.read_table(path / ENDPOINTS_FILE)
    cases = {
        "negative": (table.set_column(table.schema.get_field_index("price_prompt_usd_per_mtok"),
                                      "price_prompt_usd_per_mtok",
                                      pa.array([-1.0] + table["price_prompt_usd_per_mtok"].to_pylist()[1:])),
                     "column price_prompt_usd_per_mtok"),
        "duplicate": (pa.concat_tables([table, table.slice(0, 1)]), "appears 2 times"),
        "uptime": (table.set_column(table.schema.get_field_index("uptime_last_30m"), "uptime_last_30m",
                                    pa.array([101.0] + table["uptime_last_30m"].to_pylist()[1:], pa.float64())),
                   "not a percentage"),
    }
    from tokenshare.data.snapshot.layout import sha256_of

    for name, (bad, message) in cases.items():
        pq.write_table(bad, path / ENDPOINTS_FILE)
        manifest = json.loads((path / "manifest.json").read_text())
        manifest["files"][ENDPOINTS_FILE] = {"rows": bad.num_rows, "sha256": sha256_of(path / ENDPOINTS_FILE)}
        (path / "manifest.json").write_text(json.dumps(manifest))
        with pytest.raises(SnapshotError) as err:
            load_snapshot(path, use_stamp=False)
        assert ENDPOINTS_FILE in str(err.value) and message in str(err.value), name
        tried("snapshot")


def test_cli_providers_flag(server, tmp_path, monkeypatch):
    """`python -m tokenshare refresh --providers` (here with recorded usage bodies, so no
    key): the endpoints come from OPENROUTER_BASE_URL, the cache goes under
    TOKENSHARE_CACHE_DIR, and the summary names the retired model."""
    import argparse
    import io

    from tests.openrouter_server import FIXTURES
    from tokenshare.data.refresh import cli as refresh_cli, providers as refresh_providers

    monkeypatch.setenv("OPENROUTER_BASE_URL", server.base_url)
    monkeypatch.setenv("TOKENSHARE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(refresh_providers.Spacer, "wait", lambda self: None)  # pacing: tested above
    parser = argparse.ArgumentParser(prog="tokenshare")
    refresh_cli.add_parser(parser.add_subparsers(dest="command", required=True))
    bodies = [FIXTURES / n for n in ("rankings-daily-2025-01-01_2025-01-07.json",
                                     "rankings-daily-2025-01-08_2025-01-14.json", "models.json")]
    args = parser.parse_args(["refresh", "--out", str(tmp_path / "snaps"), "--until", "2025-01-14", "--providers",
                              "--from-json", *map(str, bodies)])
    out, err = io.StringIO(), io.StringIO()
    assert refresh_cli.run(args, stdout=out, stderr=err) == 0, err.getvalue()
    text = out.getvalue()
    assert "Providers: 12 endpoint(s) of 6 model(s) (6 request(s), 0 from the cache)" in text
    assert "could not get 1 model(s), left out: meta-llama/llama-3.3-70b-instruct (HTTP 404" in text
    assert len(list((tmp_path / "cache" / "endpoints").glob("*.json"))) == 6


def test_a_refresh_without_providers_carries_them_over(server, tmp_path):
    out = tmp_path / "snaps"
    first = refresh(server, out, None)
    asked = len(server.endpoint_requests())
    second = run_refresh(RefreshOptions(out, today=D(2025, 1, 15), now=T0 + dt.timedelta(hours=30),
            window_days=7), client=make_client(server))
    assert len(server.endpoint_requests()) == asked  # nothing fetched again
    assert second.path != first.path
    old, new = endpoint_rows(first.path), endpoint_rows(second.path)
    assert new == old and all(r["fetched_on"] == D(2025, 1, 15) for r in new)  # the original fetch date
    s = load_snapshot(second.path)
    assert s.manifest["providers"] == {"carried_from": first.path.name, "endpoints": 12,
                                       "fetched_at": "2025-01-15T03:00:00Z"}
    assert f"carried over from {first.path.name} (fetched 2025-01-15T03:00:00Z" in "\n".join(second.summary_lines())
    # --full builds on nothing, so nothing is carried
    third = run_refresh(RefreshOptions(out, today=D(2025, 1, 15), now=T0 + dt.timedelta(hours=31),
            window_days=7, full=True), client=make_client(server))
    assert not load_snapshot(third.path).has_endpoints
