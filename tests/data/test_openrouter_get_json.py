"""``OpenRouterClient.get_json``, the client's public JSON GET that the segment and
provider fetchers use, against the stand-in server on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.conftest_openrouter import _no_ambient_key, make_client, server  # noqa: F401
from tests.openrouter_server import API_KEY, load_fixture
from tokenshare.data.openrouter.errors import AuthError, NotFoundError, ServerError

RANKINGS = "/datasets/rankings-daily"
MODEL = "deepseek/deepseek-chat"


def test_a_data_api_get_sends_the_key_and_counts_against_the_budget(server):
    c = make_client(server)
    params = {"start_date": "2025-01-01", "end_date": "2025-01-07", "period": "day"}
    body = c.get_json(RANKINGS, params, where="a week", data_api=True)
    # the raw parsed body, not a validated response: seven days of six models
    assert isinstance(body, dict) and len(body["data"]) == 7 * 6
    seen = server.requests[-1]
    assert seen.path == "/api/v1" + RANKINGS and seen.params == params
    assert seen.authorization == f"Bearer {API_KEY}"
    assert (c.requests_made, c.models_requests) == (1, 0)
    c.close()


def test_a_models_api_get_sends_no_key_and_is_counted_apart(server):
    c = make_client(server)
    body = c.get_json(f"/models/{MODEL}/endpoints", where=f"endpoints of {MODEL}", data_api=False)
    assert [e["model_id"] for e in body["data"]["endpoints"]] == [MODEL] * len(load_fixture("endpoints.json")[MODEL])
    seen = server.requests[-1]
    assert seen.authorization is None and seen.params == {}
    assert (c.requests_made, c.models_requests) == (0, 1)
    c.close()


def test_a_data_api_get_without_a_key_fails_before_any_request(server):
    c = make_client(server, key=None)
    with pytest.raises(AuthError, match="no OpenRouter API key"):
        c.get_json(RANKINGS, {"start_date": "2025-01-01", "end_date": "2025-01-07"}, where="a week", data_api=True)
    assert server.requests == [] and c.requests_made == 0
    c.close()


def test_failures_name_where_and_never_the_key(server):
    c = make_client(server)
    with pytest.raises(NotFoundError) as ei:
        c.get_json("/models/nobody/no-such-model/endpoints", where="endpoints of nobody/no-such-model",
                   data_api=False)
    assert "endpoints of nobody/no-such-model" in str(ei.value) and "HTTP 404" in str(ei.value)
    server.fault("status", status=500, times=99)
    with pytest.raises(ServerError) as ei:
        c.get_json(RANKINGS, {"start_date": "2025-01-01", "end_date": "2025-01-07"}, where="a week", data_api=True)
    assert str(ei.value).startswith("a week:") and API_KEY not in str(ei.value)
    c.close()
