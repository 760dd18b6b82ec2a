"""The view in words, for the line pasted beside a shared link and the PNG card: the
date range and grain, then each filter the view sets (the canonical link's pairs), each
in the words the app's controls use (``urls``' vocabularies), and the one-line
description (headline, filters, source and as-of date).

Plain Python: nothing here imports streamlit."""

from __future__ import annotations

import datetime as dt

from tokenshare.app import urls

# What a key's value is called in words where the key's own name would not say it.
LABELS = {"country": "countries", "lab": "labs", "by": "broken down by", "volume": "volume",
          "scope": "ranking", "race_by": "racing", "frame": "frame", "launch": "launch", "split": "split",
          "cached": "cached", "pricing": "open-weight pricing", "price": "price", "dimension": "split by",
          "segment": "segments", "category": "categories", "old": "older snapshot", "new": "newer snapshot",
          "view": "table", "snapshot": "snapshot"}
OPENNESS_WORDS = {"open": "open-weight models only", "closed": "closed models only"}
FIELD_WORDS = {"all": "measured against the whole market", "focus": "measured against the focus alone"}
TEXT_LIMIT = 60


def _short(value: str, limit: int = TEXT_LIMIT) -> str:
    one_line = " ".join(str(value).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _value_words(key: str, value: str, names: dict[str, str]) -> str:
    p = urls.param(key)
    if key in names:
        return names[key].get(value, value) if isinstance(names[key], dict) else value
    if p.choices:
        return p.choices.get(value, value)
    return _short(value)


def filters_in_words(start: dt.date, end: dt.date, grain: str, pairs: list[tuple[str, str]],
                     names: dict[str, dict[str, str]] | None = None) -> str:
    """``start`` to ``end`` by ``grain``, then the filters of ``pairs`` (the canonical
    link's, in its order) in words; ``names``: key -> {URL value: display name} (lab and
    country names from the snapshot)."""
    names = names or {}
    grain_words = urls.GRAINS.get(grain, grain)
    parts = [f"{start.isoformat()} to {end.isoformat()} by {grain_words.lower() if grain != 'week' else 'ISO week'}"]
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        if key in ("start", "end", "grain"):
            continue
        grouped.setdefault(key, []).append(value)
    for key, values in grouped.items():
        if key == "openness":
            parts.append(OPENNESS_WORDS.get(values[-1], values[-1]))
        elif key == "tier":
            parts.append(urls.TIERS[values[-1]].lower())
        elif key == "field":
            parts.append(FIELD_WORDS.get(values[-1], values[-1]))
        elif key == "top":
            parts.append(f"top {values[-1]} named")
        elif key == "sql":
            parts.append("a custom SQL query")
        elif urls.param(key).kind == urls.SWITCH:
            parts.append(f"{key} {urls.SWITCHES.get(values[-1].lower(), values[-1])}")
        else:
            shown = ", ".join(_value_words(key, v, names) for v in values)
            parts.append(f"{LABELS.get(key, key)}: {shown}")
    return "; ".join(parts)


def description(headline: str, filters: str, source: str) -> str:
    """The one line to paste beside the link: the headline, the filters, and the source
    line with its as-of date."""
    head = headline.strip().rstrip(".")
    return f"{head} ({filters}). {source.strip()}"
