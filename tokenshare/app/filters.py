"""Global filters: their allowed values, and checking what a URL asks for.

Streamlit binds each filter widget to a URL query parameter (``bind="query-params"``)
and silently drops values a widget cannot take. ``check_url_params`` looks at the raw
URL first, so the app can say what it ignored and why."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

GRAINS = {"day": "Day", "week": "ISO week (Mon–Sun)", "month": "Month"}
DEFAULT_GRAIN = "week"
OPENNESS = {"all": "All models", "open": "Open weights", "closed": "Closed"}
DEFAULT_OPENNESS = "all"
TOP_MIN, TOP_MAX, DEFAULT_TOP = 3, 25, 10
BREAKDOWNS = {"openness": "Open vs closed", "lab": "Lab", "country": "Lab country", "model": "Model"}
VOLUMES = {"named": "Named models only", "all": "Include unclassified and outside top 50"}
RACE_SCOPES = {"open": "Open-weight labs", "all": "All labs"}

# URL keys of the global filters, in the order they appear in the sidebar.
GLOBAL_KEYS = ("start", "end", "grain", "openness", "country", "lab", "top")
MAX_URL_VALUES = 200  # more repeated values than this is not a real selection
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    grain: str = DEFAULT_GRAIN
    openness: str = DEFAULT_OPENNESS
    countries: tuple[str, ...] = ()
    labs: tuple[str, ...] = ()
    top: int = DEFAULT_TOP

    def params(self) -> dict:
        """The bound parameters every named query takes (a query uses what it needs)."""
        return {
            "start": self.start,
            "end": self.end,
            "grain": self.grain,
            "openness": self.openness,
            "countries": list(self.countries),
            "labs": list(self.labs),
            "top": int(self.top),
        }


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


_short = url_value


def _parse_date(value: str) -> dt.date | None:
    if not _DATE.match(value or ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def check_url_params(
    raw: dict[str, list[str]],
    *,
    lab_options: dict[str, str],
    country_options: dict[str, str],
    data_start: dt.date,
    data_end: dt.date,
    page_choices: dict[str, dict] | None = None,
) -> UrlCheck:
    """Compare the URL's values with what the filters accept; one notice per problem.

    ``raw`` maps a URL key to all its values (repeated keys kept). ``lab_options`` and
    ``country_options`` map allowed values to display names. Values are only ever
    compared with allowed ones: nothing from the URL goes anywhere else."""
    check = UrlCheck()
    page_choices = page_choices or {}

    def single(key: str) -> str | None:
        values = raw.get(key) or []
        if len(values) > 1:
            check.add(f"`{key}` was given {min(len(values), 999)} times in the URL; only one value is used.")
        return values[-1] if values else None

    dates = {}
    for key in ("start", "end"):
        value = single(key)
        if value in (None, ""):
            continue
        d = dates[key] = _parse_date(value)
        if d is None:
            check.add(f"Ignored `{key}={_short(value)}` in the URL: dates are written YYYY-MM-DD.")
        elif not (data_start <= d <= data_end):
            check.add(
                f"Ignored `{key}={d}` in the URL: this snapshot covers {data_start} to {data_end}."
            )
    s, e = dates.get("start"), dates.get("end")
    if s and e and s > e and data_start <= e and s <= data_end:
        check.add(f"`start` ({s}) is after `end` ({e}) in the URL; the two were swapped.")

    choice_sets = {"grain": GRAINS, "openness": OPENNESS, **page_choices}
    for key, allowed in choice_sets.items():
        value = single(key)
        if value not in (None, "") and value not in allowed:
            check.add(
                f"Ignored `{key}={_short(value)}` in the URL: choose one of "
                + ", ".join(f"`{a}`" for a in allowed) + "."
            )

    value = single("top")
    if value not in (None, ""):
        try:
            n = int(value)
        except ValueError:
            n = None
        if n is None or not (TOP_MIN <= n <= TOP_MAX):
            check.add(f"Ignored `top={_short(value)}` in the URL: it takes a whole number from {TOP_MIN} to {TOP_MAX}.")

    for key, allowed, what in (("country", country_options, "country code"), ("lab", lab_options, "lab")):
        values = [v for v in (raw.get(key) or []) if v != ""]
        if len(values) > MAX_URL_VALUES:
            check.add(f"The URL repeats `{key}` {len(values)} times; only known values are kept.")
        # dict, not list: a membership test on a list made this quadratic (20,000
        # values: 9 s of CPU). Streamlit 1.67 drops query strings of over 1,000
        # parameters before they get here, but this should not rely on that.
        unknown = list(dict.fromkeys(v for v in values if v not in allowed))
        if unknown:
            shown = ", ".join(f"`{_short(v, 30)}`" for v in unknown[:5])
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            hint = " (use ISO codes such as US, CN, FR)" if key == "country" else ""
            check.add(f"Ignored unknown {what}{'s' if len(unknown) > 1 else ''} {shown}{more} in the URL{hint}.")
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
