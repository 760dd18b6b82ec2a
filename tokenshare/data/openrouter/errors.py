"""What can go wrong talking to OpenRouter, one exception class per kind of trouble.

Every message says what is wrong and where (which request or file), and never
contains the API key. ``tokenshare.data.refresh.pipeline`` turns any of them into a
``RefreshError``.
"""

from __future__ import annotations

import re

# Anything shaped like an OpenRouter key (sk-or-v1-<64 hex>, and older or test forms).
KEY_SHAPE = re.compile(r"sk-or-[A-Za-z0-9_\-]{4,}")
REDACTED = "[redacted key]"


def redact(text: str, key: str | None = None) -> str:
    """``text`` with the key, and anything shaped like an OpenRouter key, replaced: for
    any text a server (or a file it sent) supplied, before it is printed, logged or shown."""
    text = str(text)
    if key:
        text = text.replace(key, REDACTED)
    return KEY_SHAPE.sub(REDACTED, text)


class OpenRouterError(Exception):
    """Something went wrong talking to OpenRouter or reading what it sent.

    ``where`` says which request or file (never with the key). The message is redacted
    of anything shaped like a key (it may quote the server); ``redact_key`` removes the
    client's own key whatever its shape."""

    def __init__(self, message: str, *, where: str | None = None):
        self.message = redact(message)
        self.where = where
        super().__init__(f"{where}: {self.message}" if where else self.message)

    def redact_key(self, key: str | None) -> None:
        if key:
            self.message = redact(self.message, key)
            self.args = tuple(redact(a, key) if isinstance(a, str) else a for a in self.args)


class AuthError(OpenRouterError):
    """401/403, or no key at all."""


class BadRequestError(OpenRouterError):
    """HTTP 400: typically a date out of range."""


class RateLimitError(OpenRouterError):
    """429 that retries could not get past, or a Retry-After too long to wait for."""


class RetryAfterTooLong(RateLimitError):
    """OpenRouter asked to wait longer (Retry-After) than the run is willing to."""


class BudgetExceeded(OpenRouterError):
    """The run would go over its request budget (kept under the 500-a-day limit)."""


class ServerError(OpenRouterError):
    """5xx after all retries, or another unexpected HTTP status."""


class NotFoundError(ServerError):
    """HTTP 404: the path does not exist (a wrong base URL, or a model OpenRouter retired)."""


class NetworkError(OpenRouterError):
    """Could not connect, timed out, or the connection broke mid-body."""


class ValidationError(OpenRouterError):
    """A response body does not match the documented format."""
