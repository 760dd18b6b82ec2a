"""The refresh client against hostile server answers (tests/openrouter_server.py, a real
HTTP server on 127.0.0.1): bodies nested 200,000 levels deep or larger than the bound
give a clear message, never a RecursionError or a huge read; and whatever text the
server sends back (an error message echoing the key, a key-shaped value in the data)
is redacted before it is raised, printed or shown."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from tests.conftest_openrouter import FakeClock, _no_ambient_key, make_client, server  # noqa: F401
from tests.hostile import tried
from tests.openrouter_server import API_KEY
from tokenshare.data.openrouter.client import MAX_JSON_DEPTH
from tokenshare.data.openrouter.errors import (
    REDACTED,
    BadRequestError,
    OpenRouterError,
    ServerError,
    ValidationError,
    redact,
)

JAN1, JAN7 = dt.date(2025, 1, 1), dt.date(2025, 1, 7)
OTHER_KEY = "sk-or-v1-" + "ab12" * 16  # shaped like a real key, not the client's


def nested(levels: int, open_="[", close="]") -> bytes:
    return (open_ * levels + close * levels).encode()


@pytest.mark.parametrize("body", [
    nested(200_000),                                       # a RecursionError in json.loads before
    b'{"a":' * 200_000 + b"1" + b"}" * 200_000,           # objects, not lists
    nested(MAX_JSON_DEPTH + 1),                            # parses, but past the bound
    b'{"data": ' + nested(5_000) + b', "meta": {}}',
], ids=["lists-200k", "objects-200k", "just-past-the-bound", "deep-inside-data"])
def test_deeply_nested_bodies_give_a_message(server, body):
    # Collect earlier tests' garbage now, at a shallow stack: parsing these bodies recurses
    # to the interpreter's limit, and a collection that runs there (allocating 200,000
    # containers starts one) calls finalizers whose warnings pytest's unraisable hook then
    # cannot even format (RecursionError), which failed this test once in a full run.
    gc.collect()
    server.fault("body", body=body)
    with pytest.raises(ValidationError) as info:
        make_client(server).rankings(JAN1, JAN7)
    assert "nested more than" in str(info.value) and "rankings-daily" in str(info.value)
    tried("refresh")


def test_a_body_nested_to_the_bound_still_parses_as_json(server):
    """The depth bound is not hit by ordinary bodies: the recorded ones pass (6 levels at
    most), so the bound refuses only the absurd."""
    assert len(make_client(server).rankings(JAN1, JAN7).rows) == 42
    assert len(make_client(server).models()) == 10


@pytest.mark.parametrize("endpoint", ["rankings", "models"])
def test_a_body_over_the_size_bound_is_refused_unread(server, endpoint):
    server.fault("body", endpoint=endpoint, body=b'{"data": [' + b'"x",' * 100_000 + b'"x"], "meta": {}}')
    client = make_client(server, max_body_bytes=100_000)
    with pytest.raises(ValidationError) as info:
        client.rankings(JAN1, JAN7) if endpoint == "rankings" else client.models()
    assert "larger than 100,000 bytes" in str(info.value)
    tried("refresh")


@pytest.mark.parametrize("status, error_cls", [(400, BadRequestError), (418, ServerError)])
@pytest.mark.parametrize("echo", ["key", "other-key", "both"])
def test_server_text_echoing_a_key_is_redacted(server, status, error_cls, echo):
    said = {"key": f"bad token {API_KEY}", "other-key": f"try {OTHER_KEY} instead",
            "both": f"{API_KEY} / {OTHER_KEY}"}[echo]
    server.fault("status", status=status, body={"error": {"code": status, "message": said}})
    with pytest.raises(error_cls) as info:
        make_client(server).rankings(JAN1, JAN7)
    text = str(info.value) + info.value.message
    assert API_KEY not in text and OTHER_KEY not in text
    assert REDACTED in text, text  # the message is still there, with the key cut out
    tried("refresh")


def test_a_key_shaped_value_in_the_data_is_redacted_from_the_validation_error(server):
    def plant(body):
        body["data"][0]["model_permaslug"] = None
        body["data"][0]["date"] = OTHER_KEY
        return body

    server.fault("mutate", mutate=plant)
    with pytest.raises(OpenRouterError) as info:
        make_client(server).rankings(JAN1, JAN7)
    assert OTHER_KEY not in str(info.value)
    tried("refresh")


def test_an_error_body_too_big_or_too_deep_gives_the_status_alone(server):
    for body in (nested(200_000), b'{"error": {"message": "' + b"x" * 200_000 + b'"}}'):
        server.fault("status", status=400, body=body)
        with pytest.raises(BadRequestError) as info:
            make_client(server).rankings(JAN1, JAN7)
        assert "HTTP 400" in str(info.value) and "OpenRouter says" not in str(info.value)
        tried("refresh")


def test_the_refresh_run_reports_redacted_text(server, tmp_path, monkeypatch):
    """Through the whole refresh: the failure message a user sees (CLI or Data page)
    carries no key, though the server put both into its error."""
    from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh
    from tokenshare.data.refresh.errors import RefreshError

    server.fault("status", status=418, body={"error": {"message": f"{API_KEY} and {OTHER_KEY}"}})
    with pytest.raises(RefreshError) as info:
        run_refresh(RefreshOptions(tmp_path / "snaps", since="2025-01-01", until="2025-01-07",
                today=dt.date(2025, 1, 15)), client=make_client(server))
    assert API_KEY not in str(info.value) and OTHER_KEY not in str(info.value)
    assert "HTTP 418" in str(info.value)
    tried("refresh")


def test_redact():
    assert redact(f"a {OTHER_KEY} b") == f"a {REDACTED} b"
    assert redact("secret-not-key-shaped in text", key="secret-not-key-shaped") == f"{REDACTED} in text"
    assert redact("sk-or- alone and sk-or-ab") == "sk-or- alone and sk-or-ab"  # too short to be a key
