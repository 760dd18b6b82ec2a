"""What changed: the latest complete ISO week against the week before, as figures and as
Markdown ready to paste into a post (the Claims page shows the same block;
``python -m tokenshare digest`` prints it).

``build`` takes the frames of named queries (the Share page's ``open_share_by_period``
by week, the Race page's ``lab_ranks`` for open-weight labs over the whole market, and
``claims_movers`` and ``claims_week_launches``) and ``markdown`` words them. Links go to
this app's views; ``view_url`` writes them from URL keys of the app's registry
(``tokenshare/app/urls.py``; a test checks that every key used here is declared there
for the page it names)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote, urlencode, urlsplit

import pandas as pd

from tokenshare.analysis.tail import digest as tail_digest
from tokenshare.analysis.tail.words import BELOW
from tokenshare.core.formatting import as_date, human_tokens, pct, pp_delta

MOVERS = 3  # labs and models named up and down
MIN_MOVE = 0.0005  # a move in share of at least 0.05 points (shown as 0.1 pp)
DEFAULT_BASE_URL = "http://localhost:8501"
# The URL keys the digest's links use, by page (url path); all declared in the registry.
LINK_KEYS = {
    "share": ("start", "end", "grain", "country", "lab", "field"),
    "race": ("start", "end", "grain", "scope", "country", "lab", "field"),
    "launches": ("start", "end", "launch", "country", "lab"),
}
# Their defaults (the registry's, checked by a test): a link leaves a default value out,
# as the app's address bar does, so the command's links and the page's are the same.
LINK_DEFAULTS = {"grain": "week", "scope": "open", "field": "all"}


@dataclass
class Digest:
    week: dt.date | None  # first day of the latest complete week
    week_end: dt.date | None
    previous: dt.date | None  # first day of the week before
    share: float | None = None
    previous_share: float | None = None
    leader: str | None = None
    leader_share: float | None = None
    previous_leader: str | None = None
    labs_up: list = field(default_factory=list)  # dicts: series, share_before, share_now, delta, tokens_now
    labs_down: list = field(default_factory=list)
    models_up: list = field(default_factory=list)
    models_down: list = field(default_factory=list)
    launches: list = field(default_factory=list)  # dicts: model_permaslug, model_name, lab_name, ...
    # the tail below the daily top 50 (tail/digest.py), None when not computed
    bounds: tail_digest.DigestBounds | None = None

    @property
    def delta(self) -> float | None:
        if self.share is None or self.previous_share is None:
            return None
        return self.share - self.previous_share

    @property
    def leader_changed(self) -> bool:
        return self.previous_leader is not None and self.leader != self.previous_leader


def latest_two_weeks(trend: pd.DataFrame) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """(latest complete week, its last day, the complete week before it) from
    ``open_share_by_period`` rows at grain week; weeks without named tokens are skipped."""
    d = trend[~trend["is_partial"].astype(bool) & (trend["named_tokens"] > 0)].sort_values("period")
    if d.empty:
        return None, None, None
    last = d.iloc[-1]
    prev = as_date(d.iloc[-2]["period"]) if len(d) > 1 else None
    return as_date(last["period"]), as_date(last["period_end"]), prev


def window(trend: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The days the digest's other queries cover: the week before's first day to the
    latest complete week's last day (None when there is no complete week)."""
    week, week_end, prev = latest_two_weeks(trend)
    if week is None:
        return None
    return (prev or week), week_end


def movers(frame: pd.DataFrame, week, previous, n: int = MOVERS) -> tuple[list, list]:
    """The ``n`` series whose share of named tokens rose most from ``previous`` to
    ``week``, and the ``n`` that fell most (``claims_movers`` rows), each by at least
    MIN_MOVE. A series absent in one week has a 0 share there."""
    if frame.empty or previous is None:
        return [], []
    f = frame.assign(period=frame["period"].map(as_date))
    now = f[f["period"] == week].set_index("series_key")
    before = f[f["period"] == previous].set_index("series_key")
    keys = list(dict.fromkeys([*now.index, *before.index]))
    names = {**before["series"].to_dict(), **now["series"].to_dict()}
    rows = pd.DataFrame({
        "series_key": keys,
        "series": [names[k] for k in keys],
        "share_before": [float(before["share"].get(k, 0.0)) for k in keys],
        "share_now": [float(now["share"].get(k, 0.0)) for k in keys],
        "tokens_now": [int(now["tokens"].get(k, 0)) for k in keys],
    })
    rows["delta"] = rows["share_now"] - rows["share_before"]
    # a change that rounds to 0.0 points is no move
    up = rows[rows["delta"] >= MIN_MOVE].sort_values(["delta", "series_key"], ascending=[False, True]).head(n)
    down = rows[rows["delta"] <= -MIN_MOVE].sort_values(["delta", "series_key"], ascending=[True, True]).head(n)
    return up.to_dict("records"), down.to_dict("records")


def _leader(ranks: pd.DataFrame, period) -> tuple[str | None, float | None]:
    if period is None or ranks.empty:
        return None, None
    r = ranks[ranks["period"].map(as_date) == period]
    if r.empty:
        return None, None
    top = r.sort_values("rank").iloc[0]
    return top["lab_name"], float(top["share"])


def build(trend: pd.DataFrame, ranks: pd.DataFrame, lab_moves: pd.DataFrame, model_moves: pd.DataFrame,
          launches: pd.DataFrame) -> Digest:
    """The digest's figures. ``trend``: open_share_by_period at grain week; the other
    frames over ``window(trend)``: lab_ranks (scope open, whole market), claims_movers
    by lab and by model, claims_week_launches for the latest week."""
    week, week_end, prev = latest_two_weeks(trend)
    d = Digest(week, week_end, prev)
    if week is None:
        return d
    t = trend.assign(period=trend["period"].map(as_date)).set_index("period")
    d.share = float(t.loc[week, "open_share"])
    if prev is not None:
        d.previous_share = float(t.loc[prev, "open_share"])
    d.leader, d.leader_share = _leader(ranks, week)
    d.previous_leader, _ = _leader(ranks, prev)
    d.labs_up, d.labs_down = movers(lab_moves, week, prev)
    d.models_up, d.models_down = movers(model_moves, week, prev)
    if not launches.empty:
        days = launches["launch_day"].map(as_date)
        inside = launches[(days >= week) & (days <= week_end)]
        d.launches = inside.sort_values(["first_week_tokens", "model_permaslug"],
                                        ascending=[False, True]).to_dict("records")
    return d


def collect(query: Callable[..., pd.DataFrame], *, start, end, countries=(), labs=()) -> Digest:
    """Run the digest's named queries with ``query(name, **params)`` (the app's cached
    runner, or a SnapshotDB's ``query``) over [start, end] and the lab and country
    focus, and ``build`` the digest. The open share and the movers' yardstick are as on
    the Share page; the leader is the Race page's, among every open-weight lab."""
    base = {"countries": list(countries), "labs": list(labs)}
    # the open-weight share is the whole market's (the focus rule: a lab or country
    # focus picks the movers and launches, the yardstick stays the market)
    trend = query("open_share_by_period", start=start, end=end, grain="week", countries=[], labs=[])
    span = window(trend)
    if span is None:
        empty = pd.DataFrame()
        return build(trend, empty, empty, empty, empty)
    lo, hi = span
    ranks = query("lab_ranks", start=lo, end=hi, grain="week", scope="open", countries=[], labs=[])
    lab_moves = query("claims_movers", start=lo, end=hi, grain="week", breakdown="lab", **base)
    model_moves = query("claims_movers", start=lo, end=hi, grain="week", breakdown="model", **base)
    week, week_end, _ = latest_two_weeks(trend)
    launches = query("claims_week_launches", start=week, end=week_end, openness="all", **base)
    d = build(trend, ranks, lab_moves, model_moves, launches)
    # what the daily top 50 hides in the two weeks: every figure above worded with it
    d.bounds = tail_digest.digest_bounds(query("tail_usage_rows", start=lo, end=hi), query("tail_catalogue"))
    return d


# --------------------------------------------------------------------------- links and words


# Characters kept as they are in a base URL; everything else (parentheses, brackets,
# angle brackets, backticks, spaces, quotes) is percent-encoded, so a base URL cannot end
# a Markdown link, start a heading or carry raw HTML (issue 26, finding 12).
URL_SAFE = ":/?#@!$&*+,;=%-._~"


def check_base_url(base: str) -> str:
    """``base`` when it is an http(s) URL with a host and no spaces or control
    characters; ValueError saying what is wrong otherwise."""
    if not base.lower().startswith(("http://", "https://")):
        raise ValueError(f"--base-url must start with http:// or https://, got {base!r}")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in base):
        raise ValueError(f"--base-url must not hold spaces or control characters, got {base!r}")
    try:
        host = urlsplit(base).hostname
    except ValueError as exc:
        raise ValueError(f"--base-url is not a URL ({exc}), got {base!r}") from None
    if not host:
        raise ValueError(f"--base-url names no host, got {base!r}")
    return base


def view_url(base: str, page: str, params: dict) -> str:
    """``base``/``page``?``params`` (lists repeat their key; empty and default values
    are left out; ``page`` "" is the home page). Keys must be in LINK_KEYS[page]."""
    allowed = LINK_KEYS.get(page or "share", ())
    pairs = []
    for k, v in params.items():
        if k not in allowed:
            raise KeyError(f"URL key {k!r} is not one the digest links to /{page} with")
        for one in (v if isinstance(v, (list, tuple)) else [v]):
            text = one.isoformat() if isinstance(one, dt.date) else str(one)
            if one is None or text == "" or LINK_DEFAULTS.get(k) == text:
                continue
            pairs.append((k, text))
    query = urlencode(pairs)
    return f"{quote(base.rstrip('/'), safe=URL_SAFE)}/{page}" + (f"?{query}" if query else "")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&])")
# GFM links bare addresses: an invisible WORD JOINER after "http:" / "https:" and "www"
_AUTOLINK = re.compile(r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=\bwww)(?=\.)")


def plain_md(value) -> str:
    """A data value as Markdown text: special characters escaped, on one line (for
    Markdown pasted elsewhere; the app uses its own stricter ``md``)."""
    text = re.sub(r"\s+", " ", "" if value is None else str(value)).strip()
    text = _AUTOLINK.sub("\u2060", _MD_SPECIAL.sub(r"\\\1", text))
    return re.sub(r"^([-+=]|\d+[.)])", r"\\\1", text)


def _fmt_day(d) -> str:
    d = as_date(d)
    return f"{d.day} {d.strftime('%b %Y')}"


def _moves(rows: list, esc, d: Digest | None = None, kind: str = "labs") -> str:
    """Each mover's change in the ranked lists and the share it moved to, counting the
    tail below the daily top 50 where that matters (d.bounds): a range, and the move
    marked when the bounds do not decide its direction."""
    b = d.bounds if d is not None else None
    out = []
    for r in rows:
        if b is None:
            out.append(f"{esc(r['series'])} {pp_delta(r['delta'])} (to {pct(r['share_now'])})")
            continue
        table = b.labs if kind == "labs" else b.models
        now = table.get((r["series_key"], pd.Timestamp(d.week)))
        before = table.get((r["series_key"], pd.Timestamp(d.previous))) if d.previous else None
        if not (now is not None and now[3]) and not (before is not None and before[3]):
            out.append(f"{esc(r['series'])} {pp_delta(r['delta'])} (to {pct(r['share_now'])})")
            continue
        to, decided = tail_digest.move_words(r, now, before)
        out.append(f"{esc(r['series'])} {pp_delta(r['delta'])} in the ranked lists (to {to}"
                   + ("" if decided else f"; not decided: {BELOW} in one of the weeks") + ")")
    return ", ".join(out) or "none"


def _open_share_line(d: Digest, span: str) -> str:
    """The open-weight share of named tokens, a range when the tail matters."""
    change = (f", {pp_delta(d.delta)} from {pct(d.previous_share)}" if d.delta is not None else "")
    b = d.bounds.open_share.get(pd.Timestamp(d.week)) if d.bounds is not None else None
    if b is None or not tail_digest.share_text(*b).startswith(("under", "between")):
        return f"{pct(d.share)} ({span}){change}"
    return (f"{tail_digest.share_text(*b)} counting the tail {BELOW} ({span}; {pct(d.share)} in the ranked "
            f"lists{change})")


def _leader_note(d: Digest) -> str:
    """" (not decided by the bounds ...)" when a lab below the cut could have led."""
    if d.bounds is None or d.leader is None or d.bounds.leader.get(pd.Timestamp(d.week)) == d.leader:
        return ""
    return f" Not decided: a lab with models {BELOW} could have led that week."


def markdown(d: Digest, *, citation: str, as_of: str, synthetic: bool, link: Callable[[str, dict], str],
             esc: Callable[[object], str] = plain_md, filters: dict | None = None, heading: str = "##") -> str:
    """The digest as Markdown: a title, one bullet per figure with a link to its view,
    and the citation line with the snapshot's as-of. ``link(page, params)`` makes a
    URL; ``filters``: the global filters' URL values to carry into every link
    (country, lab, field)."""
    carry = {k: v for k, v in (filters or {}).items() if v}
    lines = []
    if d.week is None:
        lines.append(f"{heading} What changed on OpenRouter")
        lines.append("")
        lines.append("No complete week in this range: nothing to compare.")
    else:
        span = f"{d.week.isoformat()} to {d.week_end.isoformat()}"
        before = f"the week of {_fmt_day(d.previous)}" if d.previous else "no earlier week"
        lines.append(f"{heading} What changed on OpenRouter: week of {_fmt_day(d.week)} vs {before}")
        lines.append("")
        if synthetic:
            lines.append("**Synthetic sample data: these are not OpenRouter's figures.**")
            lines.append("")
        share_link = link("share", {"end": d.week_end, "grain": "week"})  # the market's share: no focus
        lines.append(f"- **Open-weight share of named tokens**: {_open_share_line(d, span)}. [Share]({share_link})")
        race_link = link("race", {"end": d.week_end, "grain": "week", "scope": "open", **carry})
        if d.leader is None:
            lines.append(f"- **Open-weight leader**: no open-weight tokens that week. [Race]({race_link})")
        elif d.leader_changed:
            lines.append(f"- **Open-weight leader**: {esc(d.leader)} took the lead from {esc(d.previous_leader)} "
                         f"({pct(d.leader_share)} of open-weight tokens).{_leader_note(d)} [Race]({race_link})")
        else:
            lines.append(f"- **Open-weight leader**: {esc(d.leader)}, unchanged ({pct(d.leader_share)} of "
                         f"open-weight tokens).{_leader_note(d)} [Race]({race_link})")
        lines.append(f"- **Labs moving up** (share of named tokens): {_moves(d.labs_up, esc, d)}; "
                     f"**down**: {_moves(d.labs_down, esc, d)}. [Race, all labs]"
                     f"({link('race', {'end': d.week_end, 'grain': 'week', 'scope': 'all', **carry})})")
        lines.append(f"- **Models moving up**: {_moves(d.models_up, esc, d, 'models')}; "
                     f"**down**: {_moves(d.models_down, esc, d, 'models')}.")
        week_range = {"start": d.week, "end": d.week_end, **{k: v for k, v in carry.items() if k != "field"}}
        if d.launches:
            items = "; ".join(
                f"[{esc(r['model_name'])}]({link('launches', {**week_range, 'launch': r['model_permaslug']})}) "
                f"({esc(r['lab_name'])}, {as_date(r['launch_day']).isoformat()}): "
                f"{human_tokens(r['first_week_tokens'])} tokens in its first "
                + (f"{int(r['days_counted'])} days (so far)" if int(r["days_counted"]) < 7 else "week")
                for r in d.launches[:8])
            more = f" and {len(d.launches) - 8} more" if len(d.launches) > 8 else ""
            lines.append(f"- **Launches in the week** ({len(d.launches)}): {items}{more}.")
        else:
            lines.append(f"- **Launches in the week**: none. [Launches]({link('launches', week_range)})")
    lines.append("")
    lines.append(esc(citation) + (f" Generated as of {esc(as_of)}." if synthetic else ""))
    return "\n".join(lines) + "\n"
