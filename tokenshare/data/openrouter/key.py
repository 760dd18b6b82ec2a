"""Where the OpenRouter API key comes from: ``OPENROUTER_API_KEY`` in the environment,
else ``st.secrets`` (when the app passes it), else ``.streamlit/secrets.toml``
(``OPENROUTER_API_KEY = "..."``); never from the command line. The key is handed to the
client and nowhere else, and no message here ever contains it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Iterable, Mapping

from tokenshare.core import settings
from tokenshare.data.openrouter.errors import AuthError

KEY_ENV = settings.API_KEY_ENV
KEY_URL = "https://openrouter.ai/settings/keys"


def secrets_toml_paths() -> list[Path]:
    """Where ``.streamlit/secrets.toml`` is looked for: the working directory, then the
    repository root (Streamlit reads the one in the working directory)."""
    return settings.secrets_toml_paths()


def _key_from_toml(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return None
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message names a line and column, not the content.
        raise AuthError(f"is not valid TOML ({exc})", where=str(path)) from None
    except OSError as exc:
        raise AuthError(f"cannot be read ({exc.strerror or exc})", where=str(path)) from None
    value = data.get(KEY_ENV)
    if value is None:
        return None
    if not isinstance(value, str):
        raise AuthError(f"{KEY_ENV} must be a string", where=str(path))
    return value.strip() or None


def resolve_api_key(
    secrets: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    secrets_paths: Iterable[Path] | None = None,
) -> str | None:
    """The API key: ``OPENROUTER_API_KEY`` from the environment, else from a secrets
    mapping (``st.secrets``), else from ``.streamlit/secrets.toml``. None if absent.

    Internal: the key is passed to the client and nowhere else."""
    value = settings.api_key_from_env(env)
    if value:
        return value
    if secrets is not None:
        try:
            sval = secrets.get(KEY_ENV)  # st.secrets supports .get
        except Exception:  # st.secrets raises if no secrets file exists at all
            sval = None
        if isinstance(sval, str) and sval.strip():
            return sval.strip()
    for path in secrets_toml_paths() if secrets_paths is None else secrets_paths:
        key = _key_from_toml(Path(path))
        if key:
            return key
    return None


def api_key_available(
    secrets: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    secrets_paths: Iterable[Path] | None = None,
) -> bool:
    """Whether a key is configured (environment, ``st.secrets`` or secrets.toml).
    Never returns the key; a malformed secrets.toml counts as no key."""
    try:
        return resolve_api_key(secrets, env=env, secrets_paths=secrets_paths) is not None
    except AuthError:
        return False
