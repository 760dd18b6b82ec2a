"""Checking what a URL asks for against the registry (``tokenshare.app.urls``).

Streamlit binds each widget to its URL key and silently drops a value the widget cannot
take. These checks look at the raw URL first, so the app can say what it ignored and
why: one notice per problem, worded from the key's declaration. ``check_url_params``
checks every key whose values are known before a page runs (the global filters and the
pages' fixed choices), once per run, in the sidebar; ``check_key`` checks one key against
the values a page offers now (snapshots, launches, frames, categories, views).

A URL value is only ever compared with allowed values, and shown inside a Markdown code
span (``url_value``): nothing from the URL goes anywhere else."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable, Collection, Mapping

from tokenshare.app.text import code
from tokenshare.app.urls import DATE, MANY, NUMBER, PARAMS, SWITCH, TEXT, Param, param

MAX_URL_VALUES = 200  # more repeated values than this is not a real selection
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class UrlCheck:
    notices: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)


def url_value(value: str, limit: int = 40) -> str:
    """A value from the URL made fit to show inside a Markdown `code span`: one line,
    shortened, and with its backticks swapped for a look-alike, because a backtick
    would close the span and let the rest (bold text, links, images) render as
    Markdown in the app's own notice."""
    value = value.replace("\n", " ").replace("\r", " ").replace("`", "\uff40")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _parse_date(value: str) -> dt.date | None:
    if not _DATE.match(value or ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _listed(values) -> str:
    # allowed values can come from data (categories, launches, snapshot folders)
    return ", ".join(code(v) for v in values)


def _ignored(p: Param, value: str, **words) -> str:
    return f"Ignored `{p.key}={url_value(value, p.echo)}` in the URL: " + p.why.format(**words) + "."


def _last(check: UrlCheck, key: str, values: list[str]) -> str | None:
    """The value a single-valued key takes (the last), with a notice when repeated."""
    if len(values) > 1:
        check.add(f"`{key}` was given {min(len(values), 999)} times in the URL; only one value is used.")
    return values[-1] if values else None


def _check(check: UrlCheck, key: str, values: list[str], *, allowed: Collection[str] | None = None,
           accept: Callable[[str], bool] | None = None, **words) -> None:
    p = param(key)
    if p.kind == MANY:
        _check_many(check, p, values, allowed if allowed is not None else ())
        return
    value = _last(check, key, values)
    if value in (None, "") or p.kind == TEXT:
        return
    if p.kind == NUMBER:
        try:
            n = int(value)
        except ValueError:
            n = None
        if n is None or not (p.low <= n <= p.high):
            check.add(_ignored(p, value, low=p.low, high=p.high))
        return
    options = allowed if allowed is not None else (p.choices or {})
    # a switch reads true/false in any case, as Streamlit's toggle does
    ok = value in options or (p.kind == SWITCH and value.lower() in options)
    if not ok and accept is not None:
        ok = bool(accept(value))
    if not ok:
        check.add(_ignored(p, value, allowed=_listed(options), low=p.low, high=p.high, **words))


def _check_many(check: UrlCheck, p: Param, values: list[str], allowed: Collection[str]) -> None:
    values = [v for v in values if v != ""]
    if len(values) > MAX_URL_VALUES:
        check.add(f"The URL repeats `{p.key}` {len(values)} times; only known values are kept.")
    # a set (or dict), not a list: a membership test on a list made this quadratic
    # (20,000 values: 9 s of CPU). Streamlit 1.67 drops query strings of over 1,000
    # parameters before they get here, but this should not rely on that.
    known = allowed if isinstance(allowed, (Mapping, set, frozenset)) else set(allowed)
    unknown = list(dict.fromkeys(v for v in values if v not in known))
    if unknown:
        shown = ", ".join(f"`{url_value(v, p.echo)}`" for v in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        noun = p.nouns if len(unknown) > 1 else p.noun
        hint = p.hint.format(allowed=_listed(allowed)) if "{allowed}" in p.hint else p.hint
        check.add(f"Ignored unknown {noun} {shown}{more} in the URL{hint}.")


def check_key(key: str, values: list[str], *, allowed: Collection[str] | None = None,
              accept: Callable[[str], bool] | None = None, **words) -> list[str]:
    """Notices for one key's URL values (all of them, repeats kept). ``allowed``: the
    values the page offers now (a CHOICE key's own by default); ``accept``: a test for
    values that are not listed but still mean one (a date inside a race frame);
    ``words``: what the key's ``why`` text names ({first}, {last})."""
    check = UrlCheck()
    _check(check, key, values, allowed=allowed, accept=accept, **words)
    return check.notices


def check_url_params(
    raw: dict[str, list[str]],
    *,
    lab_options: Mapping[str, str],
    country_options: Mapping[str, str],
    data_start: dt.date,
    data_end: dt.date,
    page_choices: dict[str, Collection[str]] | None = None,
) -> UrlCheck:
    """Every key the registry can check before a page runs, against the URL: the dates
    (inside the snapshot), the fixed choices of the sidebar and of every page, Top N,
    and the countries and labs the snapshot has (``country_options`` and ``lab_options``
    map allowed values to names). ``raw`` maps a URL key to all its values.
    ``page_choices`` narrows a CHOICE key's values (tests use it)."""
    check = UrlCheck()
    page_choices = page_choices or {}
    specs = list(PARAMS.values())

    dates = {}
    for p in (p for p in specs if p.kind == DATE):
        value = _last(check, p.key, raw.get(p.key) or [])
        if value in (None, ""):
            continue
        d = dates[p.key] = _parse_date(value)
        if d is None:
            check.add(f"Ignored `{p.key}={url_value(value)}` in the URL: dates are written YYYY-MM-DD.")
        elif not (data_start <= d <= data_end):
            check.add(f"Ignored `{p.key}={d}` in the URL: this snapshot covers {data_start} to {data_end}.")
    s, e = dates.get("start"), dates.get("end")
    if s and e and s > e and data_start <= e and s <= data_end:
        check.add(f"`start` ({s}) is after `end` ({e}) in the URL; the two were swapped.")

    for p in specs:
        if p.fixed and p.kind not in (DATE, NUMBER):
            _check(check, p.key, raw.get(p.key) or [], allowed=page_choices.get(p.key))
    for p in (p for p in specs if p.kind == NUMBER):
        _check(check, p.key, raw.get(p.key) or [])
    supplied = {"country": country_options, "lab": lab_options}
    for p in (p for p in specs if p.kind == MANY and p.key in supplied):
        _check(check, p.key, raw.get(p.key) or [], allowed=supplied[p.key])
    return check


def clamp_dates(start: dt.date | None, end: dt.date | None, data_start: dt.date, data_end: dt.date) -> tuple[dt.date, dt.date]:
    """The date range a view uses: inside the data, start before end."""
    start = start or data_start
    end = end or data_end
    start = min(max(start, data_start), data_end)
    end = min(max(end, data_start), data_end)
    if start > end:
        start, end = end, start
    return start, end
