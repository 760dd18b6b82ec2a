"""What can go wrong talking to OpenRouter, one exception class per kind of trouble.

Every message says what is wrong and where (which request or file), and never
contains the API key. ``tokenshare.data.refresh`` turns any of them into a
``RefreshError``.
"""

from __future__ import annotations


class OpenRouterError(Exception):
    """Something went wrong talking to OpenRouter or reading what it sent.

    ``where`` says which request or file (never with the key)."""

    def __init__(self, message: str, *, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


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


class NetworkError(OpenRouterError):
    """Could not connect, timed out, or the connection broke mid-body."""


class ValidationError(OpenRouterError):
    """A response body does not match the documented format."""
