"""The OpenRouter client against a real HTTP server on 127.0.0.1 (tests/openrouter_server.py)."""

from __future__ import annotations

import copy
import datetime as dt
import socket
import time

import pytest  # noqa: E402

from tests.conftest_openrouter import FakeClock, _no_ambient_key, make_client, server  # noqa: E402,F401
from tests.openrouter_server import API_KEY, FakeOpenRouter, load_fixture  # noqa: E402
from tokenshare.data.openrouter.client import OpenRouterClient  # noqa: E402
from tokenshare.data.openrouter.errors import (  # noqa: E402
    AuthError,
    BadRequestError,
    BudgetExceeded,
    NetworkError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from tokenshare.data.openrouter.responses import parse_models_body, parse_rankings_body  # noqa: E402
from tokenshare.data.openrouter.key import api_key_available, resolve_api_key  # noqa: E402
from tokenshare.data.openrouter.pacing import Pacer  # noqa: E402

D = dt.date
JAN1, JAN7 = D(2025, 1, 1), D(2025, 1, 7)


# --------------------------------------------------------------------------- happy path


def test_rankings_window_is_validated_and_keyed(server):
    c = make_client(server)
    r = c.rankings(JAN1, JAN7)
    assert len(r.rows) == 7 * 6
    assert r.as_of == "2025-01-08T02:00:00Z" and r.version == "v1"
    assert {row.date for row in r.rows} == {D(2025, 1, d) for d in range(1, 8)}
    seen = server.requests[-1]
    assert seen.params == {"start_date": "2025-01-01", "end_date": "2025-01-07", "period": "day"}
    assert seen.authorization == f"Bearer {API_KEY}"
    assert c.requests_made == 1


def test_models_sends_no_key_and_asks_all_modalities(server):
    c = make_client(server)
    models = c.models()
    assert len(models) == 10
    seen = server.requests[-1]
    assert seen.params == {"output_modalities": "all"}
    assert seen.authorization is None
    assert c.requests_made == 0 and c.models_requests == 1


def test_base_url_from_environment(monkeypatch):
    monkeypatch.setenv("OPENROUTER_BASE_URL", "http://127.0.0.1:9/api/v1/")
    assert OpenRouterClient(api_key="x").base_url == "http://127.0.0.1:9/api/v1"
    monkeypatch.delenv("OPENROUTER_BASE_URL")
    assert OpenRouterClient(api_key="x").base_url == "https://openrouter.ai/api/v1"


# --------------------------------------------------------------------------- key


def test_key_from_env_then_secrets_mapping_then_toml(tmp_path):
    toml = tmp_path / "secrets.toml"
    assert resolve_api_key(env={}, secrets_paths=[toml]) is None
    toml.write_text('OPENROUTER_API_KEY = "from-toml"\n')
    assert resolve_api_key(env={}, secrets_paths=[toml]) == "from-toml"
    assert resolve_api_key({"OPENROUTER_API_KEY": "from-secrets"}, env={}, secrets_paths=[toml]) == "from-secrets"
    assert resolve_api_key({"OPENROUTER_API_KEY": "x"}, env={"OPENROUTER_API_KEY": "from-env"}) == "from-env"


def test_api_key_available_is_a_bool_and_never_the_key(tmp_path):
    toml = tmp_path / "secrets.toml"
    assert api_key_available(env={}, secrets_paths=[toml]) is False
    assert api_key_available(env={"OPENROUTER_API_KEY": "sk-secret"}, secrets_paths=[toml]) is True
    assert api_key_available({"OPENROUTER_API_KEY": "sk-secret"}, env={}, secrets_paths=[toml]) is True
    toml.write_text('OPENROUTER_API_KEY = "sk-secret"\n')
    assert api_key_available(env={}, secrets_paths=[toml]) is True


def test_malformed_secrets_toml_is_reported_without_its_content(tmp_path):
    toml = tmp_path / "secrets.toml"
    toml.write_text('OPENROUTER_API_KEY = "sk-or-leaky\n')
    with pytest.raises(AuthError) as ei:
        resolve_api_key(env={}, secrets_paths=[toml])
    assert "not valid TOML" in str(ei.value) and "sk-or-leaky" not in str(ei.value)
    assert api_key_available(env={}, secrets_paths=[toml]) is False


def test_no_key_fails_before_any_request(server):
    c = make_client(server, key=None)
    with pytest.raises(AuthError, match="no OpenRouter API key"):
        c.rankings(JAN1, JAN7)
    assert server.requests == []


@pytest.mark.parametrize("status", [401, 403])
def test_refused_key_says_missing_or_wrong_and_never_shows_it(server, status):
    wrong = "sk-or-WRONG-key-do-not-print"
    c = make_client(server, key=wrong)
    if status == 403:
        server.fault("status", status=403)
    with pytest.raises(AuthError) as ei:
        c.rankings(JAN1, JAN7)
    msg = str(ei.value)
    assert f"HTTP {status}" in msg and "missing or wrong" in msg
    assert wrong not in msg and wrong not in repr(c)
    assert len(server.requests) == 1  # no retries on 401/403


def test_400_says_which_dates(server):
    c = make_client(server)
    with pytest.raises(BadRequestError) as ei:
        c.rankings(D(2024, 12, 1), D(2024, 12, 31))
    msg = str(ei.value)
    assert "start_date=2024-12-01" in msg and "end_date=2024-12-31" in msg and "out of range" in msg
    assert "2025-01-01" in msg


# --------------------------------------------------------------------------- retries


def test_429_honours_retry_after(server):
    server.fault("status", status=429, retry_after="7")
    c = make_client(server)
    r = c.rankings(JAN1, JAN7)
    assert len(r.rows) == 42
    assert c.slept == [7]  # urllib3 Retry read the header; our sleeper got exactly that
    assert [s.status for s in server.requests] == [429, 200]
    assert c.requests_made == 2  # the retry counts against the budget


def test_429_retry_after_really_waits(server):
    server.fault("status", status=429, retry_after="1")
    clock = FakeClock()
    c = OpenRouterClient(api_key=API_KEY, base_url=server.base_url, backoff_factor=0.01,
                         pacer=Pacer(clock=clock, sleep=clock.sleep))  # real sleep for retries
    c.rankings(JAN1, JAN7)
    first, second = server.requests
    assert second.at - first.at >= 0.95


def test_429_with_a_day_long_retry_after_stops_instead_of_hanging(server):
    server.fault("status", status=429, retry_after="86400")
    c = make_client(server)
    t0 = time.monotonic()
    with pytest.raises(RateLimitError) as ei:
        c.rankings(JAN1, JAN7)
    assert time.monotonic() - t0 < 5
    assert "86400 s" in str(ei.value) and "rankings-daily 2025-01-01 to 2025-01-07" in str(ei.value)
    assert c.slept == []


def test_429_that_never_clears_gives_a_clear_error(server):
    server.fault("status", status=429, retry_after="2", times=99)
    c = make_client(server, retries=3)
    with pytest.raises(RateLimitError, match="HTTP 429: rate limited"):
        c.rankings(JAN1, JAN7)
    assert len(server.requests) == 4 and c.slept == [2, 2, 2]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_then_success_recovers(server, status):
    server.fault("status", status=status)
    c = make_client(server)
    assert len(c.rankings(JAN1, JAN7).rows) == 42
    assert [s.status for s in server.requests] == [status, 200]


def test_5xx_backoff_is_exponential_and_then_gives_up(server):
    server.fault("status", status=500, times=99)
    c = make_client(server, retries=4, backoff_factor=0.5)
    with pytest.raises(ServerError, match="HTTP 500: OpenRouter server error"):
        c.rankings(JAN1, JAN7)
    assert len(server.requests) == 5
    assert c.slept == [1.0, 2.0, 4.0]  # urllib3: no wait before the 1st retry, then 0.5*2^n


def test_read_timeout_then_success_recovers(server):
    server.fault("sleep", seconds=0.6)
    c = make_client(server, read_timeout=0.2)
    assert len(c.rankings(JAN1, JAN7).rows) == 42
    assert len(server.requests) == 2


def test_read_timeout_every_time_gives_a_clear_error(server):
    server.fault("sleep", seconds=0.6, times=9)
    c = make_client(server, read_timeout=0.2, read_retries=1)
    with pytest.raises(NetworkError) as ei:
        c.rankings(JAN1, JAN7)
    assert "read timeout" in str(ei.value) and "2025-01-01 to 2025-01-07" in str(ei.value)


def test_connection_refused_retries_then_says_so():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens
    c = make_client(base_url=f"http://127.0.0.1:{port}/api/v1", retries=2)
    with pytest.raises(NetworkError, match="could not connect"):
        c.rankings(JAN1, JAN7)
    assert c.requests_made == 3  # first try + 2 retries, all counted


def test_truncated_body_is_a_clear_error(server):
    server.fault("truncate")
    c = make_client(server)
    with pytest.raises(NetworkError, match="cut off"):
        c.rankings(JAN1, JAN7)


def test_body_cut_mid_json_is_a_clear_error(server):
    server.fault("cut_json")
    c = make_client(server)
    with pytest.raises(ValidationError, match="not valid JSON"):
        c.rankings(JAN1, JAN7)


# --------------------------------------------------------------------------- pacing, budget


def test_pacer_stays_under_30_a_minute():
    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(90):
        pacer.wait()
        stamps.append(clock())
    for i, t in enumerate(stamps):
        in_minute = [u for u in stamps[i:] if u < t + 60]
        assert len(in_minute) < 30
    assert stamps[-1] - stamps[0] == pytest.approx(89 * 60 / 28)


def test_client_paces_data_requests_without_real_sleeping(server):
    c = make_client(server)
    t0 = time.monotonic()
    for _ in range(4):
        c.rankings(JAN1, JAN7)
    assert time.monotonic() - t0 < 2
    assert c.fake_clock.sleeps == pytest.approx([60 / 28] * 3)


def test_budget_stops_before_the_limit(server):
    c = make_client(server, max_requests=2)
    c.rankings(JAN1, JAN7)
    c.rankings(JAN1, JAN7)
    with pytest.raises(BudgetExceeded, match="500-requests-a-day"):
        c.rankings(JAN1, JAN7)
    assert len(server.requests) == 2


def test_budget_counts_retries(server):
    server.fault("status", status=500)
    c = make_client(server, max_requests=2)
    c.rankings(JAN1, JAN7)  # 500 then 200: two requests
    with pytest.raises(BudgetExceeded):
        c.rankings(JAN1, JAN7)
    assert len(server.requests) == 2


# --------------------------------------------------------------------------- validation


def _body():
    return load_fixture("rankings-daily-2025-01-01_2025-01-07.json")


def _set(i, key, value):
    def f(b):
        b["data"][i][key] = value
        return b
    return f


def _dup(b):
    b["data"].insert(1, dict(b["data"][0]))
    return b


def _two_others(b):
    other = next(r for r in b["data"] if r["model_permaslug"] == "other")
    b["data"].append(dict(other, total_tokens="5"))
    return b


def _meta(key, value):
    def f(b):
        if value is None:
            del b["meta"][key]
        else:
            b["meta"][key] = value
        return b
    return f


BAD_BODIES = [
    ("version v2", _meta("version", "v2"), "meta.version is 'v2'"),
    ("no version", _meta("version", None), "meta.version is missing"),
    ("bad as_of", _meta("as_of", "yesterday"), "meta.as_of"),
    ("duplicate row", _dup, "appears twice"),
    ("two others", _two_others, "more than one 'other' row for 2025-01-01"),
    ("negative tokens", _set(3, "total_tokens", "-5"), "total_tokens '-5' is not a non-negative integer"),
    ("non-numeric tokens", _set(3, "total_tokens", "12x"), "total_tokens '12x' is not a non-negative integer"),
    ("decimal tokens", _set(3, "total_tokens", "1.5"), "total_tokens '1.5'"),
    ("tokens as a number", _set(3, "total_tokens", 12), "total_tokens is a JSON int"),
    ("date outside window", _set(0, "date", "2025-01-20"), "date 2025-01-20 is outside the requested window 2025-01-01 to 2025-01-07"),
    ("not a date", _set(0, "date", "2025-13-01"), "is not a YYYY-MM-DD date"),
    ("empty permaslug", _set(0, "model_permaslug", ""), "model_permaslug '' is not a non-empty string"),
    ("missing field", lambda b: (b["data"][2].pop("total_tokens"), b)[1], "data[2] has no 'total_tokens'"),
    ("data not a list", lambda b: dict(b, data={}), "'data' is missing or not a list"),
    ("no meta", lambda b: {"data": b["data"]}, "'meta' is missing"),
]


@pytest.mark.parametrize("name,mutate,expected", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_invalid_rankings_bodies_are_refused(name, mutate, expected):
    with pytest.raises(ValidationError) as ei:
        parse_rankings_body(mutate(copy.deepcopy(_body())), start=JAN1, end=JAN7, where="test window")
    assert expected in str(ei.value)
    assert str(ei.value).startswith("test window: ")


@pytest.mark.parametrize("name,mutate,expected", [BAD_BODIES[0], BAD_BODIES[3], BAD_BODIES[5], BAD_BODIES[9]],
                         ids=["v2", "duplicate", "negative", "outside"])
def test_invalid_bodies_from_the_server_are_refused(server, name, mutate, expected):
    server.fault("mutate", mutate=mutate)
    c = make_client(server)
    with pytest.raises(ValidationError, match="rankings-daily 2025-01-01 to 2025-01-07"):
        c.rankings(JAN1, JAN7)
    with pytest.raises(ValidationError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        server.fault("mutate", mutate=mutate)
        c.rankings(JAN1, JAN7)


def test_weekly_buckets_must_be_mondays_in_the_window():
    body = load_fixture("rankings-weekly-programming-2025-01-06_2025-01-12.json")
    r = parse_rankings_body(body, start=D(2025, 1, 6), end=D(2025, 1, 12), period="week")
    assert {x.date for x in r.rows} == {D(2025, 1, 6)}
    body["data"][0]["date"] = "2025-01-07"
    with pytest.raises(ValidationError, match="is not a Monday"):
        parse_rankings_body(body, start=D(2025, 1, 6), end=D(2025, 1, 12), period="week")


def test_empty_window_parses_to_no_rows():
    body = _body()
    body["data"] = []
    assert parse_rankings_body(body, start=JAN1, end=JAN7).rows == []


def test_models_body_validation():
    good = load_fixture("models.json")
    assert len(parse_models_body(good)) == 10
    bad = copy.deepcopy(good)
    bad["data"][1]["hugging_face_id"] = 5
    with pytest.raises(ValidationError, match=r"data\[1\] \(id 'deepseek/deepseek-chat'\): hugging_face_id is a JSON int"):
        parse_models_body(bad)
    bad = copy.deepcopy(good)
    bad["data"].append(dict(bad["data"][0]))
    with pytest.raises(ValidationError, match="appears twice"):
        parse_models_body(bad)
    with pytest.raises(ValidationError, match="empty"):
        parse_models_body({"data": []})
    with pytest.raises(ValidationError, match="'data' list"):
        parse_models_body([])


def test_wrong_base_url_says_so(server):
    c = make_client(server, base_url=server.base_url.replace("/api/v1", "/api/v9"))
    with pytest.raises(ServerError, match="HTTP 404: .*/api/v9/models does not exist; check OPENROUTER_BASE_URL"):
        c.models()


def test_models_fault_from_server(server):
    server.fault("status", status=503, endpoint="models", times=9)
    c = make_client(server, retries=1)
    with pytest.raises(ServerError, match="models\\?output_modalities=all: HTTP 503"):
        c.models()
    assert c.models_requests == 2 and len(server.requests) == 2
