"""The Claims page's parts: the figures each card needs (from the same named queries and
analysis functions as the page that shows the evidence), the evidence links (URLs of
this app written from the URL registry's keys), the card itself with its verdict badge,
and the launch-outcome chart of claim 2."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import altair as alt
import pandas as pd
import streamlit as st

from tokenshare.analysis import claims, digest, race, spend
from tokenshare.analysis.metrics import focus_headline
from tokenshare.app import cache, evidence, urls
from tokenshare.app.charts.finished import cached_chart
from tokenshare.app.page_parts.tail import claims_tail, launch_tail
from tokenshare.app.state import Context
from tokenshare.app.text import md
from tokenshare.core import sql

BADGES = {  # verdict -> (badge colour, icon)
    claims.HOLDS: ("green", ":material/check_circle:"),
    claims.PARTLY: ("orange", ":material/contrast:"),
    claims.DOES_NOT_HOLD: ("red", ":material/cancel:"),
    claims.UNTESTABLE: ("gray", ":material/help:"),
}
PAGE_PATHS = {"share", "race", "race-animated", "countries", "launches", "spend", "categories", "data"}


# --------------------------------------------------------------------------- links


def filter_params(ctx: Context, *, keep_focus: bool = True) -> dict:
    """The global filters as URL values, defaults left out (so a link is as short as
    the view allows and follows the snapshot when it grows)."""
    f = ctx.filters
    out: dict = {}
    if f.start != ctx.data_start:
        out["start"] = f.start
    if f.end != ctx.data_end:
        out["end"] = f.end
    if f.grain != urls.default("grain"):
        out["grain"] = f.grain
    if keep_focus:
        if f.countries:
            out["country"] = list(f.countries)
        if f.labs:
            out["lab"] = list(f.labs)
        field = st.session_state.get("field")
        if (f.countries or f.labs) and field in urls.choices("field") and field != urls.default("field"):
            out["field"] = field
    return out


def app_base() -> str:
    """This app's address as the browser sees it (``st.context.url`` less the page and
    query), or "" when unknown (AppTest): links are then relative."""
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - outside a browser session there is no URL
        url = ""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    path = parts.path.rstrip("/")
    if path.endswith("/claims"):
        path = path[: -len("/claims")]
    return f"{parts.scheme}://{parts.netloc}{path}"


def evidence_url(page: str, params: dict, base: str | None = None) -> str:
    """A URL of this app: ``page`` (a url path) with ``params``, each key checked
    against the registry (declared, and read by that page). Lists repeat their key; a
    value equal to the key's default is left out (Streamlit drops it from the address
    bar anyway, so the link reads as the view's own URL)."""
    if page not in PAGE_PATHS:
        raise KeyError(f"no page /{page} to link to")
    pairs = []
    for key, value in params.items():
        p = urls.param(key)
        if not (p.is_global or page in p.pages):
            raise KeyError(f"URL key {key!r} is not read by /{page} (tokenshare/app/urls.py)")
        for one in (value if isinstance(value, (list, tuple)) else [value]):
            if one is None or one == "":
                continue
            text = one.isoformat() if isinstance(one, dt.date) else str(one)
            if p.default is not None and text.lower() == str(p.default).lower():
                continue
            pairs.append((key, text))
    query = urlencode(pairs)
    prefix = (app_base() if base is None else base) or "."
    return f"{prefix}/{page}" + (f"?{query}" if query else "")


# --------------------------------------------------------------------------- figures


@dataclass
class Figures:
    """What the cards show, each from the query and function of its evidence page."""

    trend: pd.DataFrame  # open_share_by_period on the yardstick (Share)
    impact: pd.DataFrame  # launch_impact of open-weight launches (Launches)
    spells: pd.DataFrame  # leader_spells, scope open, on the yardstick (Race)
    arcee_standing: pd.DataFrame  # race.focus_standing of Arcee among open-weight labs (Race, lab=arcee-ai)
    arcee_share: pd.DataFrame  # focus_share_by_period for Arcee (Share, lab=arcee-ai)
    us_share: pd.DataFrame  # focus_share_by_period for US labs (Share, country=US)
    trinity: pd.DataFrame  # Arcee's Trinity launches (launch_impact, lab=arcee-ai)
    spend_row: object  # the Spend page's latest complete period at the default assumptions
    free: pd.DataFrame  # free_share (free_share_by_period, columns renamed)
    free_view: str  # the named query behind ``free``


def yardstick(ctx: Context, **extra) -> dict:
    """The focus rule: the whole market, unless field=focus narrows it to the focus."""
    narrowed = bool(ctx.filters.countries or ctx.filters.labs) and st.session_state.get("field") == "focus"
    return ctx.params(**extra) if narrowed else ctx.params(**{"countries": [], "labs": [], **extra})


def arcee_name(ctx: Context) -> str:
    """Arcee AI's lab name in the snapshot (once per snapshot)."""
    def make() -> str:
        names = ctx.labs.loc[ctx.labs["author"] == claims.ARCEE, "lab_name"]
        return names.iloc[0] if len(names) else claims.ARCEE
    return cache.cached("claims", cache.key(ctx.snapshot.snapshot_id, "claims.arcee_name"), make)


def spend_page_defaults() -> dict:
    """The Spend page's other default choices, where the tree has them (the providers
    work adds a pricing choice and the prompt share its provider ranking uses). A query
    is bound only the parameters it reads."""
    # the Spend page's own URL keys other than the split and the cached share, at their
    # defaults (a key and the query parameter it sets share their name)
    extra = {k: p.default for k, p in urls.PARAMS.items()
             if "spend" in p.pages and k not in ("split", "cached") and p.default is not None}
    if hasattr(spend, "rank_prompt_share"):
        extra["rank_prompt_share"] = evidence.rank_prompt_share()
    return extra


# The cards' figures depend only on the snapshot and the filters, and computing them (ten
# queries' frames through the analysis functions) was most of a Claims rerun's CPU; a
# rerun with the same filters (a widget elsewhere, another visitor's identical link)
# reuses them, from the app's one cache (tokenshare/app/cache.py). The page only reads
# the frames: they are kept read-only and shared, not copied.
def _filters_key(ctx: Context, what: str) -> tuple:
    # the yardstick also reads `field` (the focus rule), which is not a query parameter
    return cache.key(ctx.snapshot.snapshot_id, what, ctx.params(),
                     {"filters": repr(ctx.filters), "field": st.session_state.get("field")})


def gather(ctx: Context) -> Figures:
    """The figures every card needs, for the open snapshot and the sidebar's filters."""
    return cache.cached("claims", _filters_key(ctx, "claims.gather"), lambda: _read_only_figures(_gather(ctx)))


def judge(ctx: Context, fig: Figures) -> dict[str, claims.Finding]:
    """Each card's finding (claims 1-5, objections A-C), judged once per snapshot and
    filters (``gather``'s key) and then shared: judged on every rerun, they were about a
    third of the page's script time (py-spy), which a visitor waits for on each change.
    A Finding is frozen, and no page writes into its numbers."""
    def judged() -> dict[str, claims.Finding]:
        arcee = arcee_name(ctx)
        return {
            "1": claims.judge_open_share(fig.trend),
            "2": claims.judge_launches(fig.impact),
            "3": claims.judge_leaders(fig.spells, ctx.labs),
            "4": claims.judge_us_labs(fig.arcee_standing, fig.arcee_share, fig.trinity,
                                      below_cut=claims_tail.never_ranked_but_live(ctx, arcee)),
            "5": claims.judge_fraction(fig.trend),
            "A": spend_finding(fig.spend_row),
            "B": claims.judge_free_share(fig.free),
            "C": claims.judge_providers(provider_counts(ctx)),
        }
    return cache.cached("claims", _filters_key(ctx, "claims.judge"), judged)


def _read_only_figures(figures: Figures) -> Figures:
    for name in Figures.__dataclass_fields__:
        setattr(figures, name, cache.read_only(getattr(figures, name)))
    return figures


def what_changed(ctx: Context) -> digest.Digest:
    """The what-changed digest for the sidebar's dates and focus (cached like ``gather``)."""
    f = ctx.filters
    params = {"start": f.start, "end": f.end, "countries": tuple(f.countries), "labs": tuple(f.labs)}
    return cache.cached("claims", cache.key(ctx.snapshot.snapshot_id, "claims.what_changed", params),
                        lambda: digest.collect(ctx.query, **params))


def _gather(ctx: Context) -> Figures:
    market = yardstick(ctx)
    ranks = ctx.query("lab_ranks", **ctx.params(countries=[], labs=[], scope="open"))
    arcee = ctx.params(countries=[], labs=[claims.ARCEE])
    default = evidence.default_point()
    trend_spend = ctx.query("spend_open_by_period", **ctx.params(prompt_share=default.s, cached_share=default.c,
                                                                 **spend_page_defaults()))
    spend_row, _ = spend.latest_complete(trend_spend)
    free, free_view = free_share(ctx.query, ctx.params())
    return Figures(
        trend=ctx.query("open_share_by_period", **market),
        impact=ctx.query("launch_impact", **ctx.params(openness="open")),
        spells=ctx.query("leader_spells", **yardstick(ctx, scope="open")),
        arcee_standing=race.focus_standing(ranks, [arcee_name(ctx)]),
        arcee_share=ctx.query("focus_share_by_period", **arcee),
        us_share=ctx.query("focus_share_by_period", **ctx.params(countries=["US"], labs=[])),
        trinity=claims.trinity_launches(ctx.query("launch_impact", **ctx.params(openness="open", countries=[],
                                                                                labs=[claims.ARCEE]))),
        spend_row=spend_row,
        free=free,
        free_view=free_view,
    )


@dataclass(frozen=True)
class UsFigures:
    """Card 4's figures beside its finding: US labs' share of open-weight tokens in the
    latest complete period and their best period (the Share page with country=US), the
    Trinity launches (records, launch day first) and the card's note counting the tail."""

    share: object
    best: object
    trinity: list
    note: str


def us_figures(ctx: Context, fig: Figures, period) -> UsFigures:
    """Card 4's figures for the latest complete ``period``, once per snapshot and filters
    like ``judge``."""
    def make() -> UsFigures:
        # "no tokens before" only where the catalogue shows no earlier model of the lab (issue 21)
        trinity = launch_tail.with_lab_live_before(ctx, fig.trinity)
        return UsFigures(us_open_share(fig.us_share), best_period(fig.us_share),
                         trinity.sort_values("launch_day").to_dict("records"),
                         claims_tail.us_card_note(ctx, arcee_name(ctx), period))
    return cache.cached("claims", _filters_key(ctx, "claims.us") + (str(period),), make)


def spend_finding(row) -> claims.Finding:
    if row is None:
        return claims.judge_spend_gap(None, None)
    a = evidence.spend_assumptions()
    return claims.judge_spend_gap(row["token_share"], spend.open_share_range(row, spend.default_point(a), a))


def us_open_share(us_share: pd.DataFrame):
    """US labs' share of open-weight tokens in the latest complete period (the Share
    page's second figure with country=US)."""
    return focus_headline(us_share) if not us_share.empty else None


def best_period(focus_share: pd.DataFrame):
    """The complete period in which a focus had its largest share of open-weight tokens
    (``focus_share_by_period`` rows), or None."""
    d = focus_share[~focus_share["is_partial"].astype(bool) & focus_share["share_of_open"].notna()]
    if d.empty:
        return None
    return d.sort_values(["share_of_open", "period"], ascending=[False, True]).iloc[0]


def provider_counts(ctx: Context) -> pd.DataFrame | None:
    """Providers per open-weight model, for the open-weight models with the most tokens
    (columns model_permaslug, tokens, providers), or None when the snapshot has no
    provider data. The one place the market-depth work's figure comes in: it reads the
    ``provider_endpoints`` named query when the tree has it (one row per model and
    endpoint, an empty provider for a model without provider data)."""
    if "provider_endpoints" not in sql.all_query_names():
        return None
    params = ctx.params(openness="open", prompt_share=evidence.default_point().s)
    top = ctx.derive(top_by_providers, ("provider_endpoints", params))  # once per snapshot and filters
    return None if top.empty else top


def top_by_providers(rows: pd.DataFrame) -> pd.DataFrame:
    """The ``provider_endpoints`` rows' models with a listed provider, the most tokens
    first (the first ``claims.TOP_PROVIDER_MODELS``): model_permaslug, tokens, providers."""
    listed = rows[rows["provider"].fillna("") != ""]
    counts = listed.groupby("model_permaslug").agg(tokens=("tokens", "max"), providers=("provider", "nunique"))
    top = counts.sort_values(["tokens"], ascending=False).head(claims.TOP_PROVIDER_MODELS)
    return top.reset_index()


def free_share(query, params: dict) -> tuple[pd.DataFrame, str]:
    """The free share's rows (``query(name, **params)``: the page's cached runner or a
    SnapshotDB's) in the columns ``claims.judge_free_share`` reads, and the named query
    they came from (`:free` variants counted under their base model)."""
    rows = query("free_share_by_period", **params)
    return rows.rename(columns={"open_free_tokens": "free_open_tokens", "open_free_models": "free_models"}), \
        "free_share_by_period"


# --------------------------------------------------------------------------- drawing


def badge(verdict: str) -> str:
    """The verdict's badge, as Markdown (what ``st.badge`` writes)."""
    colour, icon = BADGES[verdict]
    return f":{colour}-badge[{icon} {verdict.capitalize()}]"


def card(number: str, title: str, quote: str, test: str, finding: claims.Finding, rule: str,
         links: list[tuple[str, str]], *, source: tuple[str, str] | None = None, extra=None) -> None:
    """One claim: its words (quoted, with the source), the test in one sentence, the
    figure, the verdict and the rule that gave it, and the evidence links. ``extra``:
    a function drawing more (a chart) inside the card. Data values in ``finding`` are
    shown through ``md``; the other texts are this page's own.

    The card's texts above ``extra`` are two Markdown elements, not six: the browser
    re-renders every element on every rerun (~1 ms each), and eight cards of nine
    elements made Claims the page with the most of them (86)."""
    src_title, src_url = source or (claims.SOURCE_TITLE, claims.SOURCE_URL)
    with st.container(border=True, key=f"claim-{number}"):
        # the page's own words and links in one element, the data's (escaped) in the other:
        # tests/pages/test_data_text.py checks that no element showing data text has a live link
        st.markdown(f"##### {number}. {title}\n\n{badge(finding.verdict)}\n\n"
                    f"> {quote}\n>\n> — [{src_title}]({src_url})")
        st.markdown("\n\n".join([
            f"**The test.** {test}",
            f"**The data.** {md(finding.figure[:1].upper() + finding.figure[1:])}.",
            f"**Verdict: {finding.verdict}**, because {md(finding.why)}.",
        ]))
        if extra is not None:
            extra()
        st.caption(f"Rule: {rule}")
        st.markdown("**Evidence:** " + " · ".join(f"[{label}]({url})" for label, url in links))


@cached_chart
def launch_outcome_chart(impact: pd.DataFrame, height: int = 240):
    """Claim 2's distribution: every measured launch's jump against its hold, with the
    rule's thresholds as lines and the quadrant "jumped and held" shaded."""
    d = claims.launch_outcomes(impact)
    d = d.assign(outcome=d["both"].map({True: "Jumped and held", False: "Did not do both"}),
                 jump_plot=d["jump"].clip(lower=0.1))
    base = alt.Chart(d)
    points = base.mark_circle(size=60, opacity=0.8).encode(
        x=alt.X("jump_plot:Q", title="Jump (week 1 ÷ before, log)", scale=alt.Scale(type="log")),
        y=alt.Y("hold:Q", title="Hold", axis=alt.Axis(format="%")),
        color=alt.Color("outcome:N", title=None, scale=alt.Scale(domain=["Jumped and held", "Did not do both"],
                                                                 range=["#2e7d32", "#9e9e9e"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("model_name:N", title="Model"), alt.Tooltip("lab_name:N", title="Lab"),
                 alt.Tooltip("jump:Q", title="Jump", format=".2f"), alt.Tooltip("hold:Q", title="Hold", format=".0%")],
    )
    vline = alt.Chart(pd.DataFrame({"x": [claims.JUMP_MIN]})).mark_rule(strokeDash=[4, 3]).encode(x="x:Q")
    hline = alt.Chart(pd.DataFrame({"y": [claims.HOLD_MIN]})).mark_rule(strokeDash=[4, 3]).encode(y="y:Q")
    return (points + vline + hline).properties(height=height)
