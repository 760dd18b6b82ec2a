"""The app's secrets: the OpenRouter key from ``st.secrets`` (``.streamlit/secrets.toml``
locally, the Secrets box on Streamlit Community Cloud), handed to the refresh as a
mapping and never shown; and how the owner signs in (``tokenshare.app.hosting.owner``)."""

from __future__ import annotations

import streamlit as st


def secrets_for_refresh() -> dict:
    """The OpenRouter key from st.secrets, if one is set there, as a one-entry mapping.
    st.secrets raises when no secrets file exists; that simply means no key there."""
    try:
        value = st.secrets.get("OPENROUTER_API_KEY")
    except Exception:  # noqa: BLE001 - any secrets problem means "no key in secrets"
        return {}
    return {"OPENROUTER_API_KEY": value} if value else {}


OWNER_SECRETS = ("TOKENSHARE_OWNER_PASSPHRASE", "TOKENSHARE_OWNER_EMAILS", "auth")


def owner_settings() -> dict:
    """The owner sign-in secrets that are set (passphrase, e-mail allowlist, whether an
    [auth] section exists), from st.secrets only: never the environment or the URL."""
    out = {}
    for name in OWNER_SECRETS:
        try:
            value = st.secrets.get(name)
        except Exception:  # noqa: BLE001 - no secrets file, or an unreadable one: not set
            return {}
        if value:
            out[name] = True if name == "auth" else value
    return out
