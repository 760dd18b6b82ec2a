"""Every URL query parameter the app reads, declared once.

A view of the app is its URL: the sidebar's global filters and each page's own choices
are widgets bound to query parameters (``bind="query-params"``), so a link opens the
same view. Each key is declared here with its kind, the values it takes (fixed ones
listed; the ones that depend on the snapshot or the page are supplied by the caller),
its default, the pages that read it and what it means. The sidebar, the pages and the
"Ignored … in the URL" notices (``tokenshare.app.urlcheck``) all read from here, and the
docs/urls.md's URL table is ``markdown_table()`` (``tests/app/test_url_registry.py`` checks both
that no page reads an undeclared key and that docs/urls.md has the table as generated).

Plain Python: nothing here imports streamlit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from tokenshare.analysis.race_frames import DEFAULT_RACE_BY, RACE_BY
from tokenshare.analysis.providers import DEFAULT_PRICE, PRICE_WORDS
from tokenshare.analysis.spend import DEFAULT_PRICING, PRICINGS
from tokenshare.analysis.value import DEFAULT_INDEX, INDICES
from tokenshare.app import evidence

# Kinds of value. A URL gives every key as a list of strings; all but MANY use the last.
DATE = "date"  # YYYY-MM-DD inside the snapshot
CHOICE = "choice"  # one of a fixed set
NUMBER = "number"  # a whole number in [low, high]
SWITCH = "switch"  # true or false (any case), as Streamlit's toggle reads it
TEXT = "text"  # free text the page checks itself (the workbench's SQL)
PICK = "pick"  # one of the values the page offers now (snapshots, launches, frames, views)
MANY = "many"  # repeated key, each value one of what the snapshot or page offers
FIXED_KINDS = (DATE, CHOICE, NUMBER, SWITCH, TEXT)  # checkable before any page runs

ALL_PAGES = ("all",)

# The vocabularies (URL value -> what it means). The SQL takes the URL values as they are.
GRAINS = {"day": "Day", "week": "ISO week (Mon–Sun)", "month": "Month"}
OPENNESS = {"all": "All models", "open": "Open weights", "closed": "Closed"}
TIERS = {"all": "Paid and free", "paid": "Paid only", "free": "Free variants only"}
BREAKDOWNS = {"openness": "Open vs closed", "lab": "Lab", "country": "Lab country", "model": "Model"}
VOLUMES = {"named": "Named models only", "all": "Include unclassified and outside top 50"}
RACE_SCOPES = {"open": "Open-weight labs", "all": "All labs"}
FIELDS = {"all": "The whole market", "focus": "The focus alone"}
SWITCHES = {"true": "on", "false": "off"}
DIMENSIONS = {"category": "Use-case category (estimates)", "modality": "Modality", "context": "Context length",
              "language": "Language type (estimates)", "task": "Task tag (7-day windows, listed top models)"}
# The Spend page's detail tabs: the URL value is the tab's label (Streamlit binds tabs by label).
SPEND_SECTIONS = {"By weights": "tokens vs estimated spend, open-weight vs closed",
                  "By lab": "tokens vs estimated spend by lab, with the lab table",
                  "Over time": "the open-weight share of tokens and of estimated spend per period",
                  "Measured cost": "OpenRouter's measured median cost per session, open-weight vs closed"}
# The Data page's tabs.
DATA_PARTS = {"Table behind a view": "the named query behind a view, its table and SQL",
              "Coverage": "what the daily top 50 leaves out: the cut over time and how the pages bound it"}
# The Race page's tabs below the bump chart.
RACE_DETAILS = {"Leaders": "who held #1 and for how long: the leader timeline and its table",
                "Shares": "each top lab's share of tokens per period"}
TOP_MIN, TOP_MAX, DEFAULT_TOP = 3, 25, 10
DEFAULT_GRAIN = "week"
DEFAULT_OPENNESS = "all"
DEFAULT_TIER = "all"


@dataclass(frozen=True)
class Param:
    key: str
    kind: str
    pages: tuple[str, ...]  # url paths of the pages that read it, or ALL_PAGES
    meaning: str
    default: object = None  # what a widget starts at (None: set by the snapshot or page)
    default_text: str = ""  # the default in words, when it depends on the data
    choices: Mapping[str, str] | None = None  # CHOICE / SWITCH: value -> what it means
    values_text: str = ""  # what the values are, when they are not a fixed list
    low: int | None = None  # NUMBER bounds
    high: int | None = None
    noun: str = ""  # MANY: what one value is ("lab") ...
    nouns: str = ""  # ... and several ("labs")
    why: str = "choose one of {allowed}"  # after "Ignored `key=value` in the URL: "
    hint: str = ""  # MANY: after "Ignored unknown labs … in the URL"
    echo: int = 40  # how many characters of a bad value a notice repeats
    widget: bool = True  # bound to a widget; False: read before any widget (snapshot=, by app.py)

    @property
    def is_global(self) -> bool:
        return self.pages == ALL_PAGES

    @property
    def fixed(self) -> bool:
        """Checkable from the URL and the snapshot's date range alone."""
        return self.kind in FIXED_KINDS


def _choice(key, pages, choices, default, meaning) -> Param:
    return Param(key, CHOICE, pages, meaning, default=default, choices=choices)


PARAMS: dict[str, Param] = {p.key: p for p in (
    # ------------------------------------------------------------------ global (the sidebar)
    Param("start", DATE, ALL_PAGES, "First day of the date range.", default_text="first day of the snapshot",
          values_text="YYYY-MM-DD inside the snapshot"),
    Param("end", DATE, ALL_PAGES, "Last day of the date range.", default_text="last day of the snapshot",
          values_text="YYYY-MM-DD inside the snapshot"),
    _choice("grain", ALL_PAGES, GRAINS, DEFAULT_GRAIN, "Period: day, ISO week (Monday to Sunday) or month."),
    _choice("openness", ALL_PAGES, OPENNESS, DEFAULT_OPENNESS,
            "Models counted: all, open-weight only, or closed only."),
    _choice("tier", ALL_PAGES, TIERS, DEFAULT_TIER,
            "Tokens counted: `all`, `paid` only, or `free` only (the `:free` variants, counted under their base "
            "model). `paid` and `free` leave out the tail outside the top 50, whose tier is unknown."),
    Param("country", MANY, ALL_PAGES, "Lab countries to focus on; repeat the key for several "
          "(`country=US&country=CN`). What a focus is measured against: `field`.",
          default_text="all countries", values_text="ISO codes of the snapshot's lab countries (US, CN, FR, ...)",
          noun="country code", nouns="country codes", hint=" (use ISO codes such as US, CN, FR)", echo=30),
    Param("lab", MANY, ALL_PAGES, "Labs to focus on; repeat the key for several. What a focus is measured "
          "against: `field`.", default_text="all labs",
          values_text="OpenRouter author slugs in the snapshot (deepseek, arcee-ai, ...)",
          noun="lab", nouns="labs", echo=30),
    _choice("field", ALL_PAGES, FIELDS, "all",
            "With a lab or country focus: `all` measures it against the whole market (shares of every named "
            "token, ranks among every lab); `focus` against the focus alone (shares of its own tokens, a race "
            "among its labs only). Spend, Launches and Segments say on the page what their filters do."),
    Param("snapshot", PICK, ALL_PAGES, "Pins the view to a snapshot the app keeps, so a shared link's figures "
          "stay the ones it was made on; a snapshot no longer kept opens the latest, with a notice.",
          default_text="the latest snapshot",
          values_text="a name the Data page lists as kept: a folder under data/snapshots/, `sample`, or a "
                      "snapshot id a published root keeps", echo=60, widget=False),
    Param("top", NUMBER, ALL_PAGES, "How many labs or models a chart names; the others are summed as Rest.",
          default=DEFAULT_TOP, low=TOP_MIN, high=TOP_MAX, why="it takes a whole number from {low} to {high}"),
    # ------------------------------------------------------------------ the pages' own
    _choice("by", ("share",), BREAKDOWNS, "openness", "What the share-over-time chart is broken down by."),
    _choice("volume", ("share",), VOLUMES, "named",
            "`named`: open and closed models only; `all` adds unclassified models and the tail outside "
            "each day's top 50 as bands of their own."),
    Param("markers", SWITCH, ("share", "launches"), "Launch markers on the open-share line (Share) or on the "
          "launch's lab chart (Launches).", default=False, choices=SWITCHES),
    _choice("scope", ("race", "race-animated"), RACE_SCOPES, "open", "Rank open-weight labs only, or all labs."),
    _choice("race_by", ("race-animated",), RACE_BY, DEFAULT_RACE_BY, "Race labs or models."),
    _choice("detail", ("race",), RACE_DETAILS, "Leaders",
            "The Race page's tab below the bump chart; only the open one is drawn."),
    Param("frame", PICK, ("race-animated",), "The period the animated race shows, by its first day; a date "
          "inside a period opens that period.", default_text="latest complete period",
          values_text="YYYY-MM-DD, a period's first day in the range",
          why="frames are the first days of the periods from {first} to {last} (YYYY-MM-DD)"),
    Param("launch", PICK, ("launches",), "The launch shown day by day, by model permaslug.",
          default_text="the launch with the largest jump", values_text="model permaslug of a launch in view",
          why="no launch of that model in view (check the permaslug, the date range and the filters)", echo=60),
    _choice("split", ("spend", "value"), evidence.split_choices(), evidence.default_split(),
            "Prompt:completion token split the spend estimate (Spend) and the blended price (Value) assume "
            "(default from the cited evidence in tokenshare/data/reference/spend_assumptions.toml)."),
    _choice("cached", ("spend",), evidence.cached_choices(), evidence.default_cached(),
            "Percent of prompt tokens assumed read from cache, priced at the model's cache-read price where it "
            "has one (default from the same file)."),
    _choice("pricing", ("spend",), PRICINGS, DEFAULT_PRICING,
            "What open-weight tokens are priced at: the catalogue's price, or each model's cheapest or median "
            "provider in the snapshot's provider data (closed models, and open ones without it, keep the "
            "catalogue's price)."),
    _choice("section", ("spend",), SPEND_SECTIONS, "By weights",
            "The Spend page's detail tab (below the assumptions); only the open one is drawn."),
    _choice("price", ("providers",), PRICE_WORDS, DEFAULT_PRICE,
            "The price the Providers page compares: blended at the Spend page's default split, or the prompt "
            "or completion price alone."),
    Param("dimension", CHOICE, ("segments", "categories"), "What the Segments page splits tokens by: "
          "OpenRouter's use-case categories (weekly estimates), modality (text, image input, image output, audio, "
          "tool calling; daily), context length bucket (daily), language type (natural vs programming; weekly "
          "estimates) or task tag (OpenRouter's 7-day task classification: open-weight share of each tag's listed top "
          "models, with their coverage). `/categories` opens it with `category`.", default="category", choices=DIMENSIONS,
          default_text="`category` (else the first split the snapshot has)"),
    Param("segment", MANY, ("segments", "categories"), "Segments of the modality, context or language dimension "
          "compared; repeat the key for several.", default_text="every segment of the dimension",
          values_text="segments of the chosen dimension in the snapshot (tool_calling, 100K, programming, ...)",
          noun="segment", nouns="segments", hint=": choose from {allowed}"),
    Param("category", MANY, ("segments", "categories"), "Use-case categories compared (with `dimension=category`); "
          "repeat the key for several.",
          default_text="programming and roleplay (else the two largest)",
          values_text="categories in the snapshot's estimates (programming, roleplay, ...)",
          noun="category", nouns="categories", hint=": choose from {allowed}"),
    _choice("index", ("value",), INDICES, DEFAULT_INDEX,
            "The capability the Value page plots against price: Artificial Analysis's intelligence, coding or "
            "agentic index (from the snapshot's benchmarks table)."),
    Param("app_category", PICK, ("apps",), "The app category whose ranking the Apps page shows (`all`: every app).",
          default="all", values_text="`all` or a category the snapshot's app rankings have (coding, ...)",
          why="the snapshot's app rankings have {allowed}"),
    Param("app_subcategory", PICK, ("apps",), "The subcategory within `app_category` (`all`: the whole category).",
          default="all", values_text="`all` or a subcategory of the chosen category in the snapshot's app rankings",
          why="the snapshot's app rankings have {allowed} for this category"),
    Param("sql", TEXT, ("workbench",), "The SQL workbench's query (read-only, run in a sandbox process with "
          "memory, time and result limits; see docs/workbench.md).",
          default_text="the headline example", values_text="one DuckDB SELECT statement, up to 20,000 characters"),
    Param("old", PICK, ("compare",), "The older snapshot compared, by folder name.", default_text="second newest",
          values_text="folder names under data/snapshots/, or `sample`",
          why="snapshots here are {allowed} (folder names under data/snapshots/, or `sample`)"),
    Param("new", PICK, ("compare",), "The newer snapshot compared, by folder name.", default_text="newest",
          values_text="folder names under data/snapshots/, or `sample`",
          why="snapshots here are {allowed} (folder names under data/snapshots/, or `sample`)"),
    _choice("part", ("data",), DATA_PARTS, "Table behind a view",
            "The Data page's tab: the table behind a view, or the coverage of the daily top 50; only the open "
            "one is drawn."),
    Param("view", PICK, ("data",), "The named query whose table the Data page shows.",
          default="open_share_by_period", values_text="the page queries listed on the Data page"),
)}

GLOBAL_KEYS = tuple(k for k, p in PARAMS.items() if p.is_global)


def param(key: str) -> Param:
    """The declaration of ``key``; a KeyError names the registry when it has none."""
    try:
        return PARAMS[key]
    except KeyError:
        raise KeyError(f"URL key {key!r} is not declared in tokenshare/app/urls.py") from None


def choices(key: str) -> list[str]:
    """The fixed values of a CHOICE key, in the order the widget shows them."""
    return list(param(key).choices or ())


def default(key: str):
    return param(key).default


# --------------------------------------------------------------------------- README table


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _values(p: Param) -> str:
    if p.kind == NUMBER:
        return f"{p.low} to {p.high}"
    if p.choices:
        return ", ".join(f"`{v}`" for v in p.choices)
    return p.values_text


def _default(p: Param) -> str:
    if p.default_text:
        return p.default_text
    return f"`{str(p.default).lower() if isinstance(p.default, bool) else p.default}`"


def markdown_table() -> str:
    """The README's table of URL parameters, generated from the registry."""
    lines = ["| key | pages | values | default | meaning |", "| --- | --- | --- | --- | --- |"]
    for p in PARAMS.values():
        pages = "all" if p.is_global else ", ".join(f"/{page}" for page in p.pages)
        lines.append("| " + " | ".join(_cell(c) for c in (f"`{p.key}`", pages, _values(p), _default(p), p.meaning))
                     + " |")
    return "\n".join(lines) + "\n"
