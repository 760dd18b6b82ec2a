"""Every environment variable and fixed path tokenshare uses, read in this one module.

Values are read when asked for, not at import, so a test (or an operator) that changes
the environment is seen on the next call. Nothing else in the package reads
``os.environ``; ``tests/test_layers.py`` enforces that.

The variables, their meaning and defaults are declared once, in ``VARIABLES`` below;
``docs/settings.md`` holds the table ``markdown_table()`` makes of them, and a test
(``tests/test_docs.py``) fails when a variable the code names is missing from it.
"""

from __future__ import annotations

import os
from pathlib import Path
from dataclasses import dataclass
from typing import Mapping

PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PACKAGE_DIR.parent
SAMPLE_DIR = REPO_ROOT / "sample_data"
SNAPSHOTS_DIR = REPO_ROOT / "data" / "snapshots"
DEFAULT_CACHE_DIR = REPO_ROOT / "data" / "cache"
def shown_path(path) -> str:
    """A folder or file as a visitor may see it: relative to the app's folder (e.g.
    ``data/snapshots/2026-12-01T02-00-00Z``), or only its last two names when it is
    elsewhere, never the server's full path (issue 26, finding 8). A URL is kept."""
    text = str(path)
    if "://" in text:
        return text
    p = Path(path)
    try:
        return str(p.resolve().relative_to(REPO_ROOT.resolve()))
    except (ValueError, OSError):
        return "…/" + "/".join(p.parts[-2:]) if len(p.parts) > 2 else p.name


# Touched by ``python -m tokenshare owner-reset``: the passphrase limits forget every
# failure before its time (the owner's way in when strangers used up the attempts).
OWNER_RESET_FILE = REPO_ROOT / "data" / ".owner-signin-reset"
QUERIES_DIR = REPO_ROOT / "queries"
REFERENCE_DIR = PACKAGE_DIR / "data" / "reference"
# The curated tables shipped with the package (tokenshare/data/reference/).
REFERENCE_LABS = REFERENCE_DIR / "labs.csv"
OPEN_WEIGHTS_OVERRIDES = REFERENCE_DIR / "open_weights_overrides.csv"
SAMPLE_CATALOGUE = REFERENCE_DIR / "sample_catalogue.csv"
SPEND_ASSUMPTIONS = REFERENCE_DIR / "spend_assumptions.toml"
STREAMLIT_DIR_NAME = ".streamlit"

API_KEY_ENV = "OPENROUTER_API_KEY"
BASE_URL_ENV = "OPENROUTER_BASE_URL"


@dataclass(frozen=True)
class Variable:
    """One setting: its name, what it does, its default, and where it is read from."""

    name: str
    what: str
    default: str
    where: str = "environment"


VARIABLES: tuple[Variable, ...] = (
    Variable('TOKENSHARE_SNAPSHOT',
             'the snapshot to open: a folder or an ``http(s)://`` / ``s3://`` URL, or a published root (a folder or ``http(s)://`` URL holding ``latest.json``)',
             'newest under ``data/snapshots/``, else the sample'),
    Variable('TOKENSHARE_RECHECK_SECONDS',
             "how often a URL snapshot's manifest or a published root's ``latest.json`` is read again",
             '``300``'),
    Variable('TOKENSHARE_CACHE_DIR',
             'where local copies of URL snapshots are kept',
             '``data/cache``'),
    Variable('TOKENSHARE_DERIVED',
             'keep the query database and comparisons beside a snapshot',
             'on'),
    Variable('TOKENSHARE_VALIDATION_STAMPS',
             "remember that a snapshot's files were checked",
             'on'),
    Variable('TOKENSHARE_HTTPFS',
             "read URL snapshots in place through DuckDB's httpfs",
             'on'),
    Variable('TOKENSHARE_HTTPFS_PATH',
             "an httpfs extension file to load instead of DuckDB's own",
             'unset'),
    Variable('TOKENSHARE_HTTPFS_INSTALL',
             'let DuckDB download httpfs when it is missing',
             'on'),
    Variable('TOKENSHARE_VALIDATE_CHARTS',
             "run Altair's schema checks on every chart (slow; for debugging)",
             'off'),
    Variable('TOKENSHARE_LOCAL_PATHS',
             "the app runs locally for its owner: the Compare page takes any folder path (never on a public app: it would let visitors probe the server's disk)",
             'off'),
    Variable('TOKENSHARE_MAX_AGE',
             "with a key configured, the app refreshes ``data/snapshots/`` in the background once the open snapshot's ``as_of`` is older than this (``24h``, ``90m``, ``2d``, or seconds; docs/refresh.md)",
             '``24h``'),
    Variable('TOKENSHARE_AUTO_REFRESH',
             "that background refresh at all (``off``: only the CLI and the owner's button refresh)",
             'on'),
    Variable('TOKENSHARE_PUBLIC_URL',
             "this app's public address (``https://tokenshare.streamlit.app``): the **Share this view** link and embed snippet start with it (unset, or not an ``http(s)://`` address: a link relative to the app)",
             'unset'),
    Variable('OPENROUTER_API_KEY',
             'the Data API key (also read from ``.streamlit/secrets.toml``)',
             'unset',
             'environment or secrets'),
    Variable('OPENROUTER_BASE_URL',
             'the OpenRouter API root (tests point it at 127.0.0.1)',
             '``https://openrouter.ai/api/v1``'),
    Variable("TOKENSHARE_OWNER_PASSPHRASE",
             "the owner's passphrase for the Data page's **Refresh data** (compared in constant time; docs/refresh.md)",
             "unset", "secrets"),
    Variable("TOKENSHARE_OWNER_EMAILS",
             "the owners' e-mail addresses, signed in with ``st.login`` (a list, or one address)",
             "unset", "secrets"),
)


def markdown_table() -> str:
    """``VARIABLES`` as the Markdown table of docs/settings.md."""
    lines = ["| variable | what it does | default | read from |", "| --- | --- | --- | --- |"]
    for v in VARIABLES:
        lines.append(f"| `{v.name}` | {v.what.replace('``', '`')} | {v.default.replace('``', '`')} | {v.where} |")
    return "\n".join(lines)

_FALSE = frozenset({"0", "false", "no", "off"})
_TRUE = frozenset({"1", "true", "yes", "on"})


def environment() -> Mapping[str, str]:
    """The process environment, for code that takes an ``env`` mapping (tests pass
    their own)."""
    return os.environ


def text(name: str, env: Mapping[str, str] | None = None) -> str | None:
    """A variable's value, stripped; None when unset or blank."""
    value = ((os.environ if env is None else env).get(name) or "").strip()
    return value or None


def flag(name: str, default: bool, env: Mapping[str, str] | None = None) -> bool:
    """A yes/no variable: ``0/false/no/off`` and ``1/true/yes/on`` (any case); unset,
    blank or anything else gives ``default``."""
    value = (text(name, env) or "").lower()
    if value in _FALSE:
        return False
    if value in _TRUE:
        return True
    return default


def snapshot_location() -> str | None:
    """``TOKENSHARE_SNAPSHOT``: a folder path or a URL, or None."""
    return text("TOKENSHARE_SNAPSHOT")


DEFAULT_RECHECK_SECONDS = 300


def recheck_seconds() -> int:
    """``TOKENSHARE_RECHECK_SECONDS``: seconds between re-reads of a URL snapshot's manifest
    or a published root's pointer (at least 1; unset or not a whole number: 300)."""
    value = text("TOKENSHARE_RECHECK_SECONDS") or ""
    return max(1, int(value)) if value.isdigit() else DEFAULT_RECHECK_SECONDS


def cache_dir() -> Path:
    value = text("TOKENSHARE_CACHE_DIR")
    return Path(value) if value else DEFAULT_CACHE_DIR


def derived_enabled() -> bool:
    return flag("TOKENSHARE_DERIVED", True)


def validation_stamps_enabled() -> bool:
    return flag("TOKENSHARE_VALIDATION_STAMPS", True)


def httpfs_enabled() -> bool:
    return flag("TOKENSHARE_HTTPFS", True)


def httpfs_path() -> str | None:
    return text("TOKENSHARE_HTTPFS_PATH")


def httpfs_install_allowed() -> bool:
    return flag("TOKENSHARE_HTTPFS_INSTALL", True)


def public_url() -> str | None:
    """``TOKENSHARE_PUBLIC_URL`` without its trailing slash, when it is an http(s) address
    with a host and nothing a link could be broken by (spaces, quotes, angle brackets, a
    query or fragment); else None."""
    from urllib.parse import urlsplit

    value = (text("TOKENSHARE_PUBLIC_URL") or "").strip()
    if not value or any(c in value for c in " \t\n\"'<>`\\") or "?" in value or "#" in value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return value.rstrip("/")


def validate_charts() -> bool:
    return flag("TOKENSHARE_VALIDATE_CHARTS", False)


def local_paths_allowed() -> bool:
    """``TOKENSHARE_LOCAL_PATHS``: whether the Compare page offers a free-text folder path."""
    return flag("TOKENSHARE_LOCAL_PATHS", False)


DEFAULT_MAX_AGE_S = 24 * 3600
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str) -> float:
    """``24h``, ``90m``, ``2d``, ``45s`` or a bare number of seconds, as seconds (> 0).
    Raises ValueError with a message naming the value."""
    text = value.strip().lower()
    unit = _DURATION_UNITS.get(text[-1:]) if text else None
    number = text[:-1] if unit else text
    try:
        seconds = float(number) * (unit or 1)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a duration (say 24h, 90m, 2d or a number of seconds)") from None
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"{value[:40]!r} is not a positive duration")
    return seconds


def max_age() -> tuple[float, str | None]:
    """``TOKENSHARE_MAX_AGE`` in seconds, and a message when the value set was unusable
    (the default, 24 h, is used then)."""
    value = text("TOKENSHARE_MAX_AGE")
    if value is None:
        return float(DEFAULT_MAX_AGE_S), None
    try:
        return parse_duration(value), None
    except ValueError as exc:
        return float(DEFAULT_MAX_AGE_S), f"TOKENSHARE_MAX_AGE: {exc}; using 24h"


def auto_refresh_enabled() -> bool:
    return flag("TOKENSHARE_AUTO_REFRESH", True)


def api_key_from_env(env: Mapping[str, str] | None = None) -> str | None:
    return text(API_KEY_ENV, env)


def base_url_from_env(env: Mapping[str, str] | None = None) -> str | None:
    return text(BASE_URL_ENV, env)


def secrets_toml_paths() -> list[Path]:
    """Where ``.streamlit/secrets.toml`` is looked for: the working directory, then the
    repository root (Streamlit reads the one in the working directory)."""
    out: list[Path] = []
    for base in (Path.cwd(), REPO_ROOT):
        p = base / STREAMLIT_DIR_NAME / "secrets.toml"
        if p not in out:
            out.append(p)
    return out
